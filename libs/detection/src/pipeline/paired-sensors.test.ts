import { describe, expect, it } from 'vitest';
import { DAY, HOUR, T0, makeSeries } from '../core/test-support/series.js';
import type { AssetProfile } from '../core/index.js';
import { RingBuffer, type RingSnapshot } from '../core/ring-buffer.js';
import type { DeviceProfile } from '../profiles/device-profile.js';
import { PairedSensors } from './paired-sensors.js';

const DFT = 'coating_thickness_um';

function profile(deviceId: string, assetId: string | null, streams?: AssetProfile['streams']): DeviceProfile {
  return { deviceId, known: true, assetId, customerId: 'c-1', profile: streams ? { streams } : {} };
}

/** The readings a member's state keeps, oldest first. */
function readingsOf(snapshot: RingSnapshot): number[] {
  const ring = new RingBuffer(snapshot.v.length);
  ring.restore(snapshot);
  return ring.recentValues();
}

/** Hourly DFT of two gauges, gauge-b drifting -1.5 um a day from day 10. */
function gauges(days: number) {
  const series = (deviceId: string, drift: number, seed: number) =>
    makeSeries({
      deviceId,
      metric: DFT,
      count: days * 24,
      value: (i) => 305 + (Math.max(0, i - 240) / 24) * drift,
      noise: 2,
      seed,
    });
  return [...series('gauge-a', 0, 1), ...series('gauge-b', -1.5, 2)].sort((x, y) => x.ts - y.ts);
}

describe('PairedSensors', () => {
  it('groups the sensors of one shared metric by asset; others take no part', () => {
    const paired = new PairedSensors();
    const takesPart = (p: DeviceProfile, metric: string) => paired.membershipOf(p, metric) !== null;
    expect(takesPart(profile('d-1', null), DFT)).toBe(false);
    // A device's own battery and an ER element's cumulative loss are not shared by the asset's sensors.
    expect(takesPart(profile('d-1', 'asset-1'), 'battery_v')).toBe(false);
    expect(takesPart(profile('d-1', 'asset-1'), 'metal_loss_um')).toBe(false);
    expect(takesPart(profile('d-1', 'asset-1'), 'pressure_bar')).toBe(false);
    expect(paired.observe(profile('d-1', null), { deviceId: 'd-1', metric: DFT, ts: T0, value: 300 })).toEqual([]);
    expect(paired.size).toBe(0);
    // Joining: the device's membership of its asset's DFT group, the same one at its next reading.
    const membership = paired.membershipOf(profile('d-1', 'asset-1'), DFT);
    expect(membership?.group.metric).toBe(DFT);
    expect(membership?.member.deviceId).toBe('d-1');
    expect(paired.size).toBe(1);
  });

  it('finds the drift of one gauge of an asset, not of a gauge on another asset', () => {
    const paired = new PairedSensors();
    const findings = gauges(30).flatMap((r) => paired.observe(profile(r.deviceId, 'asset-1'), r));
    expect(findings.map((f) => `${f.deviceId}:${f.kind}:${f.phase}`)).toEqual(['gauge-b:sensor_drift:raised']);

    const apart = new PairedSensors();
    const split = gauges(30).flatMap((r) =>
      apart.observe(profile(r.deviceId, r.deviceId === 'gauge-a' ? 'asset-1' : 'asset-2'), r),
    );
    expect(split).toEqual([]);
    expect(apart.size).toBe(2);
  });

  it("follows the asset's settings: a metric switched off takes no part, a wider limit tolerates the drift", () => {
    const off = new PairedSensors();
    const silenced = { [DFT]: { pairedDrift: null } };
    expect(off.membershipOf(profile('gauge-a', 'asset-1', silenced), DFT)).toBeNull();
    expect(gauges(30).flatMap((r) => off.observe(profile(r.deviceId, 'asset-1', silenced), r))).toEqual([]);
    expect(off.size).toBe(0);

    // gauge-b ends about 30 um off its partner: beyond the default 15 um, inside 60 um.
    const wide = new PairedSensors();
    const tolerant = { [DFT]: { pairedDrift: { limit: 60 } } };
    expect(gauges(30).flatMap((r) => wide.observe(profile(r.deviceId, 'asset-1', tolerant), r))).toEqual([]);
    expect(wide.size).toBe(1);

    // The limit changed half way (a planner's PUT): the group starts afresh and judges with the new limit.
    const changed = new PairedSensors();
    const findings = gauges(30).flatMap((r) =>
      changed.observe(profile(r.deviceId, 'asset-1', r.ts < T0 + 5 * DAY ? tolerant : {}), r),
    );
    expect(findings.map((f) => `${f.deviceId}:${f.kind}:${f.phase}`)).toEqual(['gauge-b:sensor_drift:raised']);
    expect(changed.size).toBe(1);
  });

  it('hands each changed member state out once per flush, and again after markDirty; none of a lone device', () => {
    const paired = new PairedSensors();
    const p = profile('gauge-a', 'asset-1');
    paired.observe(p, { deviceId: 'gauge-a', metric: DFT, ts: T0, value: 300 });
    expect(paired.takeDirty('gauge-a')).toEqual([]);
    paired.observe(p, { deviceId: 'gauge-a', metric: DFT, ts: T0 + HOUR, value: 301 });
    paired.observe(profile('gauge-b', 'asset-1'), { deviceId: 'gauge-b', metric: DFT, ts: T0, value: 305 });
    const [state] = paired.takeDirty('gauge-a');
    expect(state).toMatchObject({ deviceId: 'gauge-a', metric: DFT });
    expect(readingsOf(state!.paired.r)).toEqual([300, 301]);
    expect(paired.takeDirty('gauge-a')).toEqual([]);
    paired.markDirty('gauge-a', DFT);
    expect(paired.takeDirty('gauge-a')).toHaveLength(1);
    expect(paired.takeDirty('gauge-b')).toHaveLength(1);

    // Restored into a new instance: the member goes on from its state.
    const again = new PairedSensors();
    again.restore(p, state!);
    again.observe(p, { deviceId: 'gauge-a', metric: DFT, ts: T0, value: 1 });
    again.observe(p, { deviceId: 'gauge-a', metric: DFT, ts: T0 + 2 * HOUR, value: 302 });
    again.observe(profile('gauge-b', 'asset-1'), { deviceId: 'gauge-b', metric: DFT, ts: T0, value: 305 });
    expect(readingsOf(again.takeDirty('gauge-a')[0]!.paired.r)).toEqual([300, 301, 302]);
  });

  it('a device moved to another asset leaves its group; a deleted device leaves all', () => {
    const paired = new PairedSensors();
    paired.observe(profile('gauge-a', 'asset-1'), { deviceId: 'gauge-a', metric: DFT, ts: T0, value: 300 });
    paired.observe(profile('gauge-b', 'asset-1'), { deviceId: 'gauge-b', metric: DFT, ts: T0, value: 300 });
    paired.observe(profile('gauge-a', 'asset-2'), { deviceId: 'gauge-a', metric: DFT, ts: T0 + DAY, value: 300 });
    expect(paired.size).toBe(2);
    paired.forget('gauge-a');
    expect(paired.size).toBe(1);
    expect(paired.takeDirty('gauge-a')).toEqual([]);
    paired.forget('gauge-b');
    expect(paired.size).toBe(0);
  });

  it("a device whose asset switches the metric off, or that is detached from its asset, leaves the metric's group", () => {
    const paired = new PairedSensors();
    const reading = (deviceId: string, ts: number) => ({ deviceId, metric: DFT, ts, value: 300 });
    const a = paired.membershipOf(profile('gauge-a', 'asset-1'), DFT)!;
    paired.observe(profile('gauge-b', 'asset-1'), reading('gauge-b', T0));
    paired.observe(profile('gauge-c', 'asset-1'), reading('gauge-c', T0));
    expect(a.group.size).toBe(3);

    paired.observe(profile('gauge-a', 'asset-1', { [DFT]: { pairedDrift: null } }), reading('gauge-a', T0 + HOUR));
    expect(a.group.size).toBe(2);
    expect(a.group.has('gauge-a')).toBe(false);
    paired.observe(profile('gauge-b', null), reading('gauge-b', T0 + HOUR));
    expect(a.group.size).toBe(1);
    expect(a.group.has('gauge-b')).toBe(false);

    // Switched on again: it joins again, from its next reading.
    const back = paired.membershipOf(profile('gauge-a', 'asset-1'), DFT)!;
    expect(back.group).toBe(a.group);
    expect(paired.observeAs(back, reading('gauge-a', T0 + 2 * HOUR))).toEqual([]);
    expect(a.group.size).toBe(2);
  });
});
