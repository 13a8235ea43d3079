import { describe, expect, it } from 'vitest';
import { sensitivityAfterFalsePositive } from './config.js';
import { buildStreamConfig, pairedDriftLimit } from './metric-profiles.js';
import { DAY_MS } from './standards.js';

describe('buildStreamConfig defaults and their standards', () => {
  it('DFT: ISO 19840 80 % rule and mean for 90 days after application, breakdown at 50 %, 3x suspect, 30-day lead', () => {
    const installed = Date.UTC(2026, 0, 1);
    const c = buildStreamConfig('coating_thickness_um', { nominalDftUm: 250, coatingInstalledAt: installed });
    const [min, mean, breakdown] = c.rules;
    expect(min).toMatchObject({ kind: 'dft_below_minimum', standard: 'ISO 19840', confirm: 3, clearConfirm: 3 });
    expect(min!.bands[0]!.limit).toBe(200);
    expect(min!.activeUntil).toBe(installed + 90 * DAY_MS);
    expect(min!.activeFrom).toBe(installed);
    expect(mean).toMatchObject({ kind: 'dft_mean_below_nominal', input: 'window_mean' });
    expect(mean!.bands[0]!.limit).toBe(250);
    expect(mean!.activeUntil).toBe(installed + 90 * DAY_MS);
    expect(mean!.activeFrom).toBe(installed);
    expect(breakdown).toMatchObject({ kind: 'dft_below_breakdown', fault: 'coating_degradation' });
    expect(breakdown!.bands.map((b) => [b.limit, b.severity])).toEqual([
      [125, 'high'],
      [62.5, 'critical'],
    ]);
    expect(breakdown!.activeUntil).toBeUndefined();
    expect(c.range).toMatchObject({ min: 0, max: 750, standard: 'ISO 19840' });
    expect(c.forecast).toMatchObject({
      kind: 'predicted_coating_breakdown',
      limit: 125,
      direction: 'falling',
      horizonMs: 30 * DAY_MS,
      minConfidence: 0.8,
    });
    const acceptance = buildStreamConfig('coating_thickness_um', {
      nominalDftUm: 250,
      coatingInstalledAt: installed,
      thresholds: { acceptanceDays: 30 },
    });
    expect(acceptance.rules[0]!.activeUntil).toBe(installed + 30 * DAY_MS);
  });

  it('DFT without an installation date: judged in service only (breakdown rule and forecast)', () => {
    const c = buildStreamConfig('coating_thickness_um', { nominalDftUm: 250 });
    expect(c.rules.map((r) => r.kind)).toEqual(['dft_below_breakdown']);
    expect(c.forecast?.limit).toBe(125);
  });

  it('DFT without a nominal: no DFT rules or forecast, but statistics and sensor health', () => {
    const c = buildStreamConfig('coating_thickness_um');
    expect(c.rules).toEqual([]);
    expect(c.forecast).toBeNull();
    expect(c.step?.down?.kind).toBe('coating_damage');
  });

  it('corrosion rate: NACE SP0775 bands, gated by the ISO 9223 category', () => {
    expect(buildStreamConfig('corrosion_rate_mm_y').rules[0]!.bands.map((b) => [b.limit, b.severity])).toEqual([
      [0.025, 'medium'],
      [0.13, 'high'],
      [0.25, 'critical'],
    ]);
    expect(
      buildStreamConfig('corrosion_rate_mm_y', { corrosivityCategory: 'C5' }).rules[0]!.bands.map((b) => [
        b.limit,
        b.severity,
      ]),
    ).toEqual([
      [0.2, 'high'],
      [0.25, 'critical'],
    ]);
    expect(buildStreamConfig('corrosion_rate_mm_y', { corrosivityCategory: 'Im2' }).rules[0]!.bands[0]!.limit).toBe(
      0.025,
    );
  });

  it('CP: -850 mV criterion and -1200 mV over-protection, overridable per asset', () => {
    const c = buildStreamConfig('cp_potential_mv', { thresholds: { cpProtectedMv: -900 } });
    expect(c.rules.map((r) => [r.kind, r.bands[0]!.limit])).toEqual([
      ['cp_underprotected', -900],
      ['cp_overprotected', -1200],
    ]);
    expect(c.forecast?.limit).toBe(-900);
  });

  it('per-metric overrides merge over the defaults and null disables a detector', () => {
    const c = buildStreamConfig('temperature_c', {
      samplingIntervalS: 600,
      streams: { temperature_c: { window: { size: 48, warmup: 48 }, noise: null, spike: { zThreshold: 6 } } },
    });
    expect(c.window.size).toBe(48);
    expect(c.noise).toBeNull();
    expect(c.spike).toMatchObject({ zThreshold: 6, maxRun: 2 });
    expect(c.offline.intervalMs).toBe(600_000);
  });

  it('weather metrics run no change detectors unless the asset switches them on', () => {
    for (const metric of ['temperature_c', 'humidity_pct']) {
      const c = buildStreamConfig(metric);
      expect([c.step, c.slope]).toEqual([null, null]);
      expect(c.spike).not.toBeNull();
      expect(c.stuck).not.toBeNull();
      expect(c.noise).not.toBeNull();
      expect(c.range).not.toBeNull();
    }
    const on = buildStreamConfig('humidity_pct', { streams: { humidity_pct: { step: {}, slope: { z: 6 } } } });
    expect(on.step).toMatchObject({ h: 8, up: { kind: 'step_change' }, down: { kind: 'step_change' } });
    // The opt-in slope keeps the metric's own floor (2 %RH a day), only z is the asset's.
    expect(on.slope).toMatchObject({ z: 6, minChangePerDay: 2, rising: { kind: 'slope_change' } });
  });

  it('refuses to tune a detector the metric has no configuration for, instead of ignoring it', () => {
    expect(() => buildStreamConfig('battery_v', { streams: { battery_v: { slope: { z: 4 } } } })).toThrow(
      /battery_v: the slope detector has no configuration for this metric/,
    );
    expect(buildStreamConfig('battery_v', { streams: { battery_v: { slope: null } } }).slope).toBeNull();
  });

  it('drift against paired sensors: shared metrics only, switched off or given its limit per asset', () => {
    expect(pairedDriftLimit('coating_thickness_um')).toBe(15);
    expect(pairedDriftLimit('humidity_pct')).toBe(8);
    expect(pairedDriftLimit('battery_v')).toBeNull();
    expect(pairedDriftLimit('metal_loss_um')).toBeNull();
    const streams = { coating_thickness_um: { pairedDrift: { limit: 25 } }, humidity_pct: { pairedDrift: null } };
    expect(pairedDriftLimit('coating_thickness_um', { streams })).toBe(25);
    expect(pairedDriftLimit('humidity_pct', { streams })).toBeNull();
    expect(() => buildStreamConfig('battery_v', { streams: { battery_v: { pairedDrift: { limit: 0.1 } } } })).toThrow(
      /battery_v: pairedDrift compares sensors of a metric the asset's devices share/,
    );
    expect(() =>
      buildStreamConfig('temperature_c', { streams: { temperature_c: { pairedDrift: { limit: -1 } } } }),
    ).toThrow(/pairedDrift.limit must be positive/);
  });

  it('rejects an unusable configuration, naming the field', () => {
    expect(() => buildStreamConfig('temperature_c', { streams: { temperature_c: { window: { size: 2 } } } })).toThrow(
      /temperature_c: window.size must be at least 4/,
    );
    expect(() =>
      buildStreamConfig('coating_thickness_um', { nominalDftUm: 300, thresholds: { forecastMinConfidence: 1.5 } }),
    ).toThrow(/forecast.minConfidence/);
  });

  it('false-positive feedback lowers the sensitivity within its bounds', () => {
    expect(sensitivityAfterFalsePositive(1)).toBe(0.8);
    expect(sensitivityAfterFalsePositive(0.26)).toBe(0.25);
  });
});
