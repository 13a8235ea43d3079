import { describe, expect, it } from 'vitest';
import type { AssetProfile } from './config.js';
import { DetectorRegistry } from './registry.js';
import { HOUR, T0, makeSeries } from './test-support/series.js';

const profiles: Record<string, AssetProfile> = {
  'gauge-1': { nominalDftUm: 300, samplingIntervalS: 3600 },
  'gauge-2': { nominalDftUm: 500, samplingIntervalS: 600, coatingInstalledAt: T0 },
};

describe('DetectorRegistry', () => {
  it('builds the detectors of the metric and the asset profile, generic ones for unknown metrics', () => {
    const registry = new DetectorRegistry({ profileOf: (id) => profiles[id] });
    const dft = registry.stream('gauge-1', 'coating_thickness_um');
    expect(dft.config.rules.map((r) => r.kind)).toEqual(['dft_below_breakdown']);
    expect(dft.config.forecast?.limit).toBe(150);
    const fresh = registry.stream('gauge-2', 'coating_thickness_um').config;
    expect(fresh.rules.map((r) => r.kind)).toEqual([
      'dft_below_minimum',
      'dft_mean_below_nominal',
      'dft_below_breakdown',
    ]);
    expect(fresh.forecast?.limit).toBe(250);
    const unknown = registry.stream('gauge-1', 'vibration_mm_s');
    expect(unknown.config.rules).toEqual([]);
    expect(unknown.config.spike).not.toBeNull();
    expect(unknown.config.step).not.toBeNull();
    expect(unknown.config.slope).not.toBeNull();
    expect(unknown.config.forecast).toBeNull();
    expect(unknown.config.stuck).toBeNull();
    expect(registry.size).toBe(3);
  });

  it('routes readings to their stream and carries each device its own sensitivity', () => {
    const registry = new DetectorRegistry({ profileOf: (id) => profiles[id] });
    registry.stream('gauge-1', 'coating_thickness_um');
    expect(registry.setSensitivity('gauge-1', 0.1)).toBe(0.25);
    expect(registry.stream('gauge-1', 'coating_thickness_um').sensitivity).toBe(0.25);
    expect(registry.stream('gauge-1', 'battery_v').sensitivity).toBe(0.25);
    expect(registry.stream('gauge-2', 'battery_v').sensitivity).toBe(1);
    const readings = makeSeries({
      deviceId: 'gauge-2',
      metric: 'coating_thickness_um',
      count: 40,
      value: (i) => (i < 30 ? 520 : 380),
    });
    const kinds = readings.flatMap((r) => registry.update(r)).map((f) => f.kind);
    expect(kinds).toContain('dft_below_minimum');
  });

  it('evaluates offline once per device, on its freshest stream', () => {
    const registry = new DetectorRegistry({ profileOf: (id) => profiles[id] });
    registry.update({ deviceId: 'gauge-1', metric: 'coating_thickness_um', ts: T0, value: 300 });
    registry.update({ deviceId: 'gauge-1', metric: 'battery_v', ts: T0 + HOUR, value: 3.6 });
    registry.update({ deviceId: 'gauge-2', metric: 'coating_thickness_um', ts: T0 + HOUR, value: 500 });
    const findings = registry.checkOffline(T0 + 4 * HOUR);
    expect(findings.map((f) => [f.deviceId, f.metric, f.kind])).toEqual([
      ['gauge-1', 'battery_v', 'sensor_offline'],
      ['gauge-2', 'coating_thickness_um', 'sensor_offline'],
    ]);
    expect(registry.checkOffline(T0 + 4.5 * HOUR)).toEqual([]);
    // gauge-2 samples every 10 min: 24 silent intervals (4 h) escalate it.
    expect(registry.checkOffline(T0 + 5 * HOUR).map((f) => [f.deviceId, f.phase])).toEqual([['gauge-2', 'escalated']]);
  });

  it('restores streams from persisted snapshots and reconfigures them in place', () => {
    const registry = new DetectorRegistry({ profileOf: (id) => profiles[id] });
    for (const r of makeSeries({
      deviceId: 'gauge-1',
      metric: 'coating_thickness_um',
      count: 50,
      value: () => 310,
      noise: 2,
    })) {
      registry.update(r);
    }
    const snapshot = JSON.parse(JSON.stringify(registry.snapshot('gauge-1', 'coating_thickness_um')));
    const other = new DetectorRegistry({ profileOf: (id) => profiles[id] });
    const restored = other.restore('gauge-1', snapshot);
    expect(restored.snapshot()).toEqual(snapshot);
    profiles['gauge-1'] = { nominalDftUm: 350 };
    other.reconfigure('gauge-1');
    const now = other.stream('gauge-1', 'coating_thickness_um');
    expect(now.config.forecast?.limit).toBe(175);
    expect(now.snapshot().w).toEqual(snapshot.w);
    other.remove('gauge-1');
    expect(other.has('gauge-1', 'coating_thickness_um')).toBe(false);
  });
});
