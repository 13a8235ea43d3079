import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AlertView, Reading } from '#contracts';
import { DATABASE, type Database } from '#database';
import { DAY, HOUR, T0, coatingStepWithBattery } from '../core/test-support/series.js';
import type { Finding } from '../core/index.js';
import { DEVICE_PROFILE_SOURCE, type DeviceProfileSource } from '../profiles/device-profile.js';
import { SensitivityRepository } from '../sensitivity/sensitivity.repository.js';
import { DetectorStateRepository } from '../state/detector-state.repository.js';
import { restartableApps } from '../testing/restartable-apps.js';
import { coating, createFleet, type DetectionTestApp } from '../testing/detection-test-app.js';

const DEVICES = ['gauge-0', 'gauge-1', 'gauge-2', 'gauge-3'];
/** gauge-0 and -1 are restored from snapshots (with a gap to re-read); gauge-2 and -3 warm up from history. */
const RESTORED = new Set(['gauge-0', 'gauge-1']);
const METRICS = ['battery_v', 'coating_thickness_um'];
/** A planner lowered the sensitivity of one restored and one warmed-up device before the restart. */
const SENSITIVITY: Record<string, number> = { 'gauge-0': 1, 'gauge-1': 0.6, 'gauge-2': 0.6, 'gauge-3': 1 };

/** Hourly DFT and battery; the coating loses a step on `stepDay` (gauge-3: during its warm-up history). */
function series(deviceId: string, stepDay: number): Reading[] {
  const seed = Number(deviceId.slice(-1));
  return coatingStepWithBattery({ deviceId, days: 50, stepDay, seeds: [21 + seed, 31 + seed] });
}

const readings = new Map(DEVICES.map((id) => [id, series(id, id === 'gauge-3' ? 10 : 40)]));
const before = (id: string, day: number) => readings.get(id)!.filter((r) => r.ts < T0 + day * DAY);
const from = (id: string, day: number) => readings.get(id)!.filter((r) => r.ts >= T0 + day * DAY);

const label = (f: Finding) => `${f.deviceId} ${f.metric}:${f.kind}:${f.phase}@${new Date(f.detectedAt).toISOString()}`;
const alertLabel = (a: AlertView) =>
  `${a.deviceId} ${a.metric}:${a.kind} ${a.status} ${a.severity} x${a.occurrences} @${a.eventTime}`;

interface Outcome {
  readonly findings: string[];
  readonly alerts: string[];
  readonly streams: Record<string, unknown>;
  readonly sensitivity: Record<string, number>;
}

describe('detection pipeline: devices first seen together', () => {
  const { app, close, database } = restartableApps();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /**
   * A database where, after a restart, gauge-0 and -1 have snapshots (20 days judged, 2 more stored but not
   * judged) and gauge-2 and -3 have 22 days stored but no snapshot. Answers the restarted app.
   */
  async function restarted(): Promise<DetectionTestApp> {
    const db = await database();
    const first = await app(db);
    for (const id of DEVICES) await createFleet(first, `Customer ${id}`, { id });
    for (const id of RESTORED) await first.ingest(before(id, 20), 500);
    // Stored without being judged: the gap after a snapshot, or the warm-up history.
    for (const id of DEVICES) {
      const stored = RESTORED.has(id) ? before(id, 22).filter((r) => r.ts >= T0 + 20 * DAY) : before(id, 22);
      await first.store.insert(stored);
    }
    for (const id of DEVICES.filter((d) => SENSITIVITY[d] !== 1)) {
      await first.app.get(SensitivityRepository).record(first.app.get<Database>(DATABASE), id, {
        at: T0,
        from: 1,
        to: SENSITIVITY[id]!,
        by: 'planner',
        reason: 'test',
        alertId: null,
        note: null,
      });
    }
    await close(first);
    return app(db);
  }

  async function outcome(t: DetectionTestApp): Promise<Outcome> {
    const alerts = (await t.request<AlertView[]>('GET', '/api/alerts?limit=1000')).body;
    const streams: Record<string, unknown> = {};
    for (const id of DEVICES) {
      for (const metric of METRICS) {
        const s = t.pipeline.registry.stream(id, metric);
        streams[`${id} ${metric}`] = { counts: s.readingCounts, last: s.lastEventTime, snapshot: s.snapshot() };
      }
    }
    return {
      findings: t.findings.map(label).sort(),
      alerts: alerts.map(alertLabel).sort(),
      streams,
      sensitivity: Object.fromEntries(DEVICES.map((id) => [id, t.pipeline.registry.sensitivityOf(id)])),
    };
  }

  it('are restored and warmed up exactly as one at a time, with one query per kind', async () => {
    // One at a time: each device's readings go through before the next device sends.
    const alone = await restarted();
    for (const id of DEVICES) await alone.ingest(from(id, 22), 100_000);
    const expected = await outcome(alone);
    // The scenario has something to compare: restores, warm-ups, a condition standing at the end of a
    // warm-up (gauge-3) and drops found live (gauge-0 to -2).
    expect(expected.findings.filter((f) => f.includes('coating_thickness_um')).length).toBeGreaterThanOrEqual(4);
    expect(expected.sensitivity).toEqual(SENSITIVITY);
    for (const id of DEVICES)
      expect(expected.alerts.some((a) => a.startsWith(`${id} coating_thickness_um`))).toBe(true);

    // Together: the first delivery carries the readings of all four devices.
    const together = await restarted();
    const states = together.app.get(DetectorStateRepository);
    const loadDevices = vi.spyOn(states, 'loadDevices');
    const loadDevice = vi.spyOn(states, 'loadDevice');
    const profiles = together.app.get<DeviceProfileSource>(DEVICE_PROFILE_SOURCE);
    const profilesOf = vi.spyOn(profiles, 'profilesOf' as never);
    const profileOf = vi.spyOn(profiles, 'profileOf');
    const queryMany = vi.spyOn(together.store, 'queryMany');
    const all = DEVICES.flatMap((id) => from(id, 22)).sort(
      (a, b) => a.ts - b.ts || a.deviceId.localeCompare(b.deviceId),
    );
    await together.ingest(all, 100_000);

    expect(loadDevices).toHaveBeenCalledTimes(1);
    expect([...(loadDevices.mock.calls[0]![0] as string[])].sort()).toEqual(DEVICES);
    expect(loadDevice).not.toHaveBeenCalled();
    expect(profilesOf).toHaveBeenCalledTimes(1);
    expect(profileOf).not.toHaveBeenCalled();
    // The four warm-ups (gauge-2 and -3, two metrics each) in one read.
    expect(queryMany).toHaveBeenCalledTimes(1);
    expect(queryMany.mock.calls[0]![0]).toHaveLength(4);

    const got = await outcome(together);
    expect(got.findings).toEqual(expected.findings);
    expect(got.alerts).toEqual(expected.alerts);
    expect(got.streams).toEqual(expected.streams);
    expect(got.sensitivity).toEqual(expected.sensitivity);
  });

  it('profiles expiring together are refreshed with one lookup; a changed coating reconfigures its device only', async () => {
    const t = await app(await database(), { options: { profileTtlMs: 60_000 } });
    const ids = DEVICES.slice(0, 3);
    const assets = new Map<string, string>();
    for (const id of ids) assets.set(id, (await createFleet(t, `Customer ${id}`, { id })).asset.id);
    const day = (d: number) => ids.flatMap((id) => before(id, d + 1).filter((r) => r.ts >= T0 + d * DAY));
    await t.ingest(day(0), 100_000);
    const sets = () => ids.map((id) => t.pipeline.registry.stream(id, 'coating_thickness_um'));
    const old = sets();

    const patched = await t.request('PATCH', `/api/assets/${assets.get('gauge-0')}`, {
      body: { coating: { ...coating, nominalDftUm: 250 } },
    });
    expect(patched.status).toBe(200);
    // The fleet source has the optional batch lookup.
    const profiles = t.app.get<DeviceProfileSource & Required<Pick<DeviceProfileSource, 'profilesOf'>>>(
      DEVICE_PROFILE_SOURCE,
    );
    const profilesOf = vi.spyOn(profiles, 'profilesOf');
    const profileOf = vi.spyOn(profiles, 'profileOf');
    // Not expired yet: no lookup.
    await t.ingest(day(1), 100_000);
    expect(profilesOf).not.toHaveBeenCalled();
    t.clock.advance(HOUR);
    await t.ingest(day(2), 100_000);
    expect(profilesOf).toHaveBeenCalledTimes(1);
    expect([...profilesOf.mock.calls[0]![0]].sort()).toEqual(ids);
    expect(profileOf).not.toHaveBeenCalled();
    const now = sets();
    expect(now[0]).not.toBe(old[0]);
    expect(now[1]).toBe(old[1]);
    expect(now[2]).toBe(old[2]);
    expect(now[0]!.readingCounts[0]).toBe(72);
  });
});
