/**
 * A drifting gauge's own asset-fault alerts attributed to its drift, through the real pipeline (PGlite): the
 * DFT gauges of one asset, each in its own lane, as in pipeline/paired-drift.medium.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { AlertDetail, AlertView, Reading } from '#contracts';
import { DATABASE, type Database } from '#database';
import { DAY, T0, makeSeries } from '../core/test-support/series.js';
import type { Finding } from '../core/index.js';
import { AlertRepository } from './alert.repository.js';
import { InMemoryAlertBook } from './in-memory-alert-book.js';
import { dftFinding } from '../testing/findings.js';
import { assetWithDevices, ingestBacklog } from '../testing/gauge-assets.js';
import { restartableApps } from '../testing/restartable-apps.js';
import { createFleet, type DetectionTestApp } from '../testing/detection-test-app.js';

const DFT = 'coating_thickness_um';

interface Gauge {
  readonly id: string;
  readonly offset: number;
  readonly minute: number;
  /** Reading error from day 10 on, um, as a function of days since then. */
  readonly error?: (days: number) => number;
}

function readings(gauges: readonly Gauge[], days: number): Reading[] {
  return gauges
    .flatMap((g, n) =>
      makeSeries({
        deviceId: g.id,
        metric: DFT,
        count: days * 24,
        start: T0 + g.minute * 60_000,
        value: (_i, t) => 305 + g.offset + (t >= T0 + 10 * DAY ? (g.error?.((t - T0 - 10 * DAY) / DAY) ?? 0) : 0),
        noise: 2,
        seed: 300 + n,
      }),
    )
    .sort((a, b) => a.ts - b.ts);
}

const alertsOf = async (t: DetectionTestApp, deviceId: string): Promise<AlertView[]> =>
  (await t.request<AlertView[]>('GET', `/api/alerts?deviceId=${deviceId}&limit=1000`)).body;

const ASSET_FAULTS = new Set(['coating_damage', 'coating_degradation', 'corrosion', 'cathodic_protection', 'anomaly']);

/** Trio-c reads 40 um low from day 10 (a knock on its probe) and drifts 3 um a day lower from then on. */
const TRIO: readonly Gauge[] = [
  { id: 'trio-a', offset: 0, minute: 0 },
  { id: 'trio-b', offset: -4, minute: 20 },
  { id: 'trio-c', offset: 3, minute: 40, error: (d) => -40 - 3 * d },
];

describe('asset-fault alerts of a drifting gauge attributed to its drift (pipeline)', () => {
  const { app, close, database } = restartableApps();

  /** A new app with the gauges on one asset, their backlog of `days` ingested. */
  const ingested = async (asset: string, gauges: readonly Gauge[], days: number): Promise<DetectionTestApp> => {
    const t = await app(await database());
    await assetWithDevices(
      t,
      asset,
      gauges.map((g) => g.id),
    );
    await ingestBacklog(t, readings(gauges, days));
    return t;
  };

  it('ends with the sensor_drift alert and no open coating alert on the drifting gauge', async () => {
    const t = await ingested('Trio', TRIO, 60);

    const alerts = await alertsOf(t, 'trio-c');
    const drift = alerts.find((a) => a.kind === 'sensor_drift')!;
    expect(drift).toMatchObject({ status: 'active', fault: 'sensor' });
    expect(drift.details?.blame).toBe('largest');
    expect(
      alerts.filter((a) => ASSET_FAULTS.has(a.fault) && (a.status === 'active' || a.status === 'acknowledged')),
    ).toEqual([]);
    // The step read as coating damage before the drift was confirmed: resolved, with the reason.
    const damage = alerts.filter((a) => a.kind === 'coating_damage');
    expect(damage).toHaveLength(1);
    expect(damage[0]).toMatchObject({
      status: 'cleared',
      clearReason: 'sensor_drift',
      note: `attributed to sensor drift of ${DFT} on this device, see alert ${drift.id}`,
    });
    expect(Date.parse(damage[0]!.clearedEventTime!)).toBe(Date.parse(drift.eventTime));
    const cleared = t.publisher.events.find((e) => e.type === 'alert.cleared' && e.subject.id === damage[0]!.id);
    expect(cleared?.data).toMatchObject({ note: damage[0]!.note });
    // What the drift stands for is on it: the alert it resolved and the findings it held back (the forecast
    // and the breakdown the falling readings went on to show), in its details and its history.
    const findings = t.findings.filter((f) => f.deviceId === 'trio-c' && f.fault !== 'sensor');
    const after = findings.filter((f) => f.detectedAt > Date.parse(drift.eventTime));
    expect(after.map((f) => f.kind)).toEqual(
      expect.arrayContaining(['predicted_coating_breakdown', 'dft_below_breakdown']),
    );
    expect(drift.details).toMatchObject({ resolvedAlerts: 1, heldFindings: after.length });
    const { history } = (await t.request<AlertDetail>('GET', `/api/alerts/${drift.id}`)).body;
    const attributed = history.filter((h) => h.action === 'attributed');
    expect(attributed).toHaveLength(after.length + 1);
    expect(attributed[0]?.details).toMatchObject({ resolvedAlertId: damage[0]!.id, resolvedKind: 'coating_damage' });
    expect(attributed.slice(1).map((h) => h.details?.['heldKind'])).toEqual(after.map((f) => f.kind));
    // The gauges that read right raise nothing; the drifting one keeps only its drift open.
    expect([...(await alertsOf(t, 'trio-a')), ...(await alertsOf(t, 'trio-b'))]).toEqual([]);
    expect(alerts.filter((a) => a.status === 'active').map((a) => a.kind)).toEqual(['sensor_drift']);
  });

  it('local damage under one gauge of three: a sudden deviation, its coating alert stands', async () => {
    // The film under trio-c loses 150 um on day 10; the two other gauges read the intact film.
    const damaged: readonly Gauge[] = TRIO.map((g) => (g.id === 'trio-c' ? { ...g, error: () => -150 } : g));
    const t = await ingested('Damaged', damaged, 30);

    const alerts = await alertsOf(t, 'trio-c');
    const drift = alerts.find((a) => a.kind === 'sensor_drift')!;
    expect(drift.details).toMatchObject({ blame: 'largest', onset: 'sudden' });
    expect(drift.explanation).toMatch(/within hours/);
    // Nothing attributed to it: the coating damage (an event) ended by its quiet period, not resolved as the
    // sensor's, and nothing counted on the drift.
    const damage = alerts.filter((a) => a.kind === 'coating_damage');
    expect(damage).toHaveLength(1);
    expect(damage[0]).toMatchObject({ clearReason: 'quiet_period', note: null });
    expect(alerts.some((a) => a.clearReason === 'sensor_drift')).toBe(false);
    expect(drift.details?.['resolvedAlerts']).toBeUndefined();
    // The healthy gauges see half the step through the median of two: neither is blamed.
    for (const id of ['trio-a', 'trio-b']) {
      expect((await alertsOf(t, id)).filter((a) => a.kind === 'sensor_drift')).toEqual([]);
    }
  });

  it('holds the findings after a restart: the hold comes back from the open drift alert', async () => {
    const db = await database();
    const all = readings(TRIO, 60);
    const cut = all.findIndex((r) => r.ts >= T0 + 16 * DAY);
    const first = await app(db);
    await assetWithDevices(
      first,
      'Trio',
      TRIO.map((g) => g.id),
    );
    await ingestBacklog(first, all.slice(0, cut));
    const before = (await alertsOf(first, 'trio-c')).find((a) => a.kind === 'sensor_drift');
    expect(before?.status).toBe('active');
    await close(first);

    const second = await app(db);
    await second.ingest(all.slice(cut), 48);
    const alerts = await alertsOf(second, 'trio-c');
    expect(alerts.filter((a) => a.status === 'active').map((a) => `${a.kind}:${a.id}`)).toEqual([
      `sensor_drift:${before!.id}`,
    ]);
    const held = second.findings.filter((f) => f.deviceId === 'trio-c' && f.fault !== 'sensor');
    expect(held.length).toBeGreaterThan(0);
    expect(alerts.find((a) => a.kind === 'sensor_drift')?.details?.heldFindings).toBeGreaterThanOrEqual(held.length);
    expect(second.changes.filter((c) => c.type === 'raised')).toEqual([]);
  });

  it("lets the gauge's findings through again once its drift clears (recalibrated)", async () => {
    const t = await app(await database());
    // Recalibrated on day 20; the film of all three loses 120 um on day 40 (coating damage).
    const recalibrated: Gauge[] = TRIO.map((g) =>
      g.id === 'trio-c' ? { ...g, error: (d) => (d < 10 ? -40 - 3 * d : 0) } : g,
    );
    const damaged = readings(recalibrated, 60).map((r) =>
      r.ts >= T0 + 40 * DAY ? { ...r, value: Math.round((r.value - 120) * 100) / 100 } : r,
    );
    await assetWithDevices(
      t,
      'Trio',
      recalibrated.map((g) => g.id),
    );
    await ingestBacklog(t, damaged);
    const alerts = await alertsOf(t, 'trio-c');
    const drift = alerts.find((a) => a.kind === 'sensor_drift')!;
    expect(drift.status).toBe('cleared');
    const late = alerts.filter((a) => ASSET_FAULTS.has(a.fault) && Date.parse(a.eventTime) >= T0 + 40 * DAY);
    expect(late.map((a) => a.kind)).toContain('coating_damage');
    expect(late.every((a) => a.clearReason !== 'sensor_drift')).toBe(true);
    // As on the gauges that never drifted.
    expect((await alertsOf(t, 'trio-a')).map((a) => a.kind)).toContain('coating_damage');
  });

  it('resolves at the next finding what a stop between the drift alert and its resolution left open', async () => {
    const db = await database();
    const first = await app(db);
    const { asset: created } = await createFleet(first, 'Stopped', { id: 'gauge-s' });
    const owner = { assetId: created.id, customerId: created.customerId };
    const finding = (over: Partial<Finding> & Pick<Finding, 'kind' | 'detectedAt'>): Finding =>
      dftFinding('gauge-s', over);

    const damage = (await first.alerts.applyFinding(finding({ kind: 'coating_damage', detectedAt: T0 }), owner, []))
      .change!.alert;
    // The drift alert committed, then the process stopped before resolving: written as the service would have.
    const drift = new InMemoryAlertBook({ owner: () => owner }).apply(
      finding({
        kind: 'sensor_drift',
        fault: 'sensor',
        detector: 'sensor_health',
        lifecycle: 'condition',
        severity: 'low',
        detectedAt: T0 + DAY,
        details: { blame: 'alone' },
      }),
    )!.alert;
    await first.app.get(AlertRepository).insert(first.app.get<Database>(DATABASE), drift);
    await close(first);

    const second = await app(db);
    const spike = finding({ kind: 'level_shift', fault: 'anomaly', detectedAt: T0 + 2 * DAY });
    expect(await second.alerts.applyFinding(spike, owner, [])).toMatchObject({ change: null, heldBy: drift.id });
    const alerts = await alertsOf(second, 'gauge-s');
    expect(alerts.find((a) => a.id === damage.id)).toMatchObject({
      status: 'cleared',
      clearReason: 'sensor_drift',
      note: `attributed to sensor drift of ${DFT} on this device, see alert ${drift.id}`,
    });
    expect(alerts.find((a) => a.id === drift.id)?.details).toMatchObject({ resolvedAlerts: 1, heldFindings: 1 });
    expect(alerts.filter((a) => a.status === 'active').map((a) => a.kind)).toEqual(['sensor_drift']);
  });
});
