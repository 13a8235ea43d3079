/**
 * Drift against paired sensors through the pipeline (PGlite): the DFT gauges of one asset, each in its own lane.
 */
import { describe, expect, it } from 'vitest';
import type { AlertView, Reading } from '#contracts';
import { DAY, T0, makeSeries } from '../core/test-support/series.js';
import type { Finding } from '../core/index.js';
import { DetectorStateRepository } from '../state/detector-state.repository.js';
import { assetWithDevices, ingestBacklog } from '../testing/gauge-assets.js';
import { restartableApps } from '../testing/restartable-apps.js';
import type { DetectionTestApp } from '../testing/detection-test-app.js';

const DFT = 'coating_thickness_um';

interface Gauge {
  readonly id: string;
  /** Calibration offset, um. */
  readonly offset: number;
  /** Minutes after the hour it reports. */
  readonly minute: number;
  /** Own drift from day 10, um per day. */
  readonly driftPerDay?: number;
}

/** Hourly DFT of the gauges of one film (nominal 300 um, `film(hour)` common to all), in event-time order. */
function readings(gauges: readonly Gauge[], days: number, film: (hour: number) => number = () => 305): Reading[] {
  return gauges
    .flatMap((g, n) =>
      makeSeries({
        deviceId: g.id,
        metric: DFT,
        count: days * 24,
        start: T0 + g.minute * 60_000,
        value: (i, t) => film(i) + g.offset + (Math.max(0, t - T0 - 10 * DAY) / DAY) * (g.driftPerDay ?? 0),
        noise: 2,
        seed: 200 + n,
      }),
    )
    .sort((a, b) => a.ts - b.ts);
}

const driftAlerts = async (t: DetectionTestApp): Promise<AlertView[]> =>
  (await t.request<AlertView[]>('GET', '/api/alerts?kind=sensor_drift&limit=1000')).body;
const label = (f: Finding) => `${f.deviceId}:${f.kind}:${f.phase}@${new Date(f.detectedAt).toISOString()}`;

describe('drift against paired sensors (pipeline)', () => {
  const { app, close, database } = restartableApps();

  it('raises one sensor_drift on the drifting gauge only; gauges moving together raise none', async () => {
    const db = await database();
    const t = await app(db);
    const pair: Gauge[] = [
      { id: 'pair-a', offset: 0, minute: 0 },
      { id: 'pair-b', offset: 5, minute: 10, driftPerDay: -1.5 },
    ];
    const trio: Gauge[] = [
      { id: 'trio-a', offset: 0, minute: 0 },
      { id: 'trio-b', offset: -4, minute: 20 },
      { id: 'trio-c', offset: 3, minute: 40, driftPerDay: -2 },
    ];
    const together: Gauge[] = [
      { id: 'both-a', offset: 0, minute: 0 },
      { id: 'both-b', offset: 6, minute: 30 },
    ];
    await assetWithDevices(
      t,
      'Pair',
      pair.map((g) => g.id),
    );
    await assetWithDevices(
      t,
      'Trio',
      trio.map((g) => g.id),
    );
    await assetWithDevices(
      t,
      'Together',
      together.map((g) => g.id),
    );
    // The trio's film and the other pair's lose 120 um on day 15 (coating damage seen by every gauge).
    const damaged = (hour: number) => (hour < 15 * 24 ? 305 : 185);
    const all = [...readings(pair, 40), ...readings(trio, 40, damaged), ...readings(together, 40, damaged)].sort(
      (a, b) => a.ts - b.ts,
    );
    await ingestBacklog(t, all);

    const alerts = await driftAlerts(t);
    expect(alerts.map((a) => `${a.deviceId}:${a.status}`).sort()).toEqual(['pair-b:active', 'trio-c:active']);
    for (const a of alerts) {
      expect(a).toMatchObject({ metric: DFT, fault: 'sensor', lifecycle: 'condition', priority: 'P4' });
      expect(a.evidence.series).toBe('paired_differences');
    }
    const pairAlert = alerts.find((a) => a.deviceId === 'pair-b')!;
    expect(pairAlert.explanation).toMatch(/pair-a/);
    expect(pairAlert.details?.blame).toBe('alone');
    expect(alerts.find((a) => a.deviceId === 'trio-c')!.details?.blame).toBe('largest');
    // The common loss is still coating damage, on every gauge of its film.
    const damage = (await t.request<AlertView[]>('GET', '/api/alerts?kind=coating_damage&limit=1000')).body;
    expect(new Set(damage.map((a) => a.deviceId))).toContain('both-a');
    const drift = t.findings.filter((f) => f.kind === 'sensor_drift');
    expect(drift.map((f) => `${f.deviceId}:${f.phase}:${f.evidence.series}`).sort()).toEqual([
      'pair-b:raised:paired_differences',
      'trio-c:raised:paired_differences',
    ]);
  });

  it("judges each gauge with its device's sensitivity: one lowered by false positives raises later", async () => {
    const t = await app(await database());
    const gauges = (prefix: string): Gauge[] => [
      { id: `${prefix}-a`, offset: 0, minute: 0 },
      { id: `${prefix}-b`, offset: -4, minute: 20 },
      { id: `${prefix}-c`, offset: 3, minute: 40, driftPerDay: -2 },
    ];
    await assetWithDevices(
      t,
      'Usual',
      gauges('usual').map((g) => g.id),
    );
    await assetWithDevices(
      t,
      'Lowered',
      gauges('lowered').map((g) => g.id),
    );
    const all = [...readings(gauges('usual'), 40), ...readings(gauges('lowered'), 40)].sort((a, b) => a.ts - b.ts);
    const firstDay = all.findIndex((r) => r.ts >= all[0]!.ts + DAY);
    await t.ingest(all.slice(0, firstDay));
    // What a planner's false positives on lowered-c would have left (the alert action's path; its API is
    // covered by detection.medium.test.ts): sensitivity 0.5, so drift wants 30 um and 12 confirmations.
    t.pipeline.registry.setSensitivity('lowered-c', 0.5);
    await t.ingest(all.slice(firstDay), 48);

    const alerts = await driftAlerts(t);
    expect(alerts.map((a) => a.deviceId).sort()).toEqual(['lowered-c', 'usual-c']);
    const usual = alerts.find((a) => a.deviceId === 'usual-c')!;
    const lowered = alerts.find((a) => a.deviceId === 'lowered-c')!;
    expect(usual.details).toMatchObject({ limit: 15, sensitivity: 1 });
    expect(lowered.details).toMatchObject({ limit: 30, sensitivity: 0.5 });
    // 15 um more of -2 um a day: about a week later.
    expect(Date.parse(lowered.eventTime) - Date.parse(usual.eventTime)).toBeGreaterThan(6 * DAY);
  });

  it('a restart in the middle restores the groups: the same finding, once', async () => {
    const pair: Gauge[] = [
      { id: 'gauge-a', offset: 0, minute: 0 },
      { id: 'gauge-b', offset: 5, minute: 10, driftPerDay: -1.5 },
    ];
    const all = readings(pair, 40);
    const cut = all.findIndex((r) => r.ts >= T0 + 16 * DAY);
    const drift = (list: readonly Finding[]) => list.filter((f) => f.kind === 'sensor_drift').map(label);

    const steady = await app(await database());
    await assetWithDevices(
      steady,
      'Steady',
      pair.map((g) => g.id),
    );
    await ingestBacklog(steady, all);
    const expected = drift(steady.findings);
    expect(expected).toHaveLength(1);
    expect(expected[0]).toMatch(/^gauge-b:sensor_drift:raised@/);

    const db = await database();
    const first = await app(db);
    await assetWithDevices(
      first,
      'Restarted',
      pair.map((g) => g.id),
    );
    await ingestBacklog(first, all.slice(0, cut));
    const before = drift(first.findings);
    await close(first);
    const second = await app(db);
    // The shutdown flush wrote each gauge's part of the group under its reserved key.
    const stored = await second.app.get(DetectorStateRepository).loadDevice('gauge-b');
    expect(stored.filter((row) => 'paired' in row).map((row) => row.metric)).toEqual([DFT]);
    await ingestBacklog(second, all.slice(cut));
    expect([...before, ...drift(second.findings)]).toEqual(expected);
    const alerts = await driftAlerts(second);
    expect(alerts.map((a) => `${a.deviceId}:${a.status}:${a.occurrences}`)).toEqual(['gauge-b:active:1']);
  });
});
