/**
 * Sensor health: stuck value, out of range, noise growth, drift against a paired sensor, offline.
 */
import { describe, expect, it } from 'vitest';
import { buildStreamConfig } from '../metric-profiles.js';
import { StreamDetectorSet } from '../stream-detector-set.js';
import { DAY, HOUR, T0, feed, gaussian, kinds, makeSeries, ofKind, rng } from '../test-support/series.js';
import type { NoiseSnapshot } from './noise-detector.js';
import { offlineStatus } from './offline.js';

describe('stuck value', () => {
  it('raises after 12 identical readings from a sensor that used to vary, and clears when it moves', () => {
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 150,
      value: () => 330,
      noise: 3,
      seed: 41,
      decimals: 1,
    });
    for (let i = 80; i < 120; i++) readings[i] = { ...readings[i]!, value: 331.2 };
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
    const findings = feed(set, readings);
    expect(kinds(findings)).toEqual(['sensor_stuck:raised', 'sensor_stuck:cleared']);
    expect(findings[0]!.eventTime).toBe(readings[80]!.ts);
    expect(findings[0]!.detectedAt).toBe(readings[91]!.ts);
    expect(findings[1]!.detectedAt).toBe(readings[120]!.ts);
  });

  it('does not call a coarse sensor that always repeats stuck (ER probe with 1 um resolution)', () => {
    const readings = makeSeries({
      metric: 'metal_loss_um',
      count: 60 * 24,
      value: (i) => 20 + (0.05 * i) / 24,
      decimals: 0,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('metal_loss_um'));
    expect(feed(set, readings)).toEqual([]);
  });

  it('ignores humidity pinned at 100 % (fog is real)', () => {
    const readings = makeSeries({
      metric: 'humidity_pct',
      count: 200,
      value: (i) => (i >= 100 && i < 140 ? 100 : 80),
      noise: 2,
      seed: 42,
    });
    for (let i = 100; i < 140; i++) readings[i] = { ...readings[i]!, value: 100 };
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('humidity_pct'));
    expect(ofKind(feed(set, readings), 'sensor_stuck')).toEqual([]);
  });
});

describe('out of range', () => {
  it('flags implausible readings after 2 in a row and keeps them out of the statistics', () => {
    const readings = makeSeries({ metric: 'temperature_c', count: 120, value: () => 15, noise: 0.3, seed: 43 });
    readings[50] = { ...readings[50]!, value: 180 }; // one glitch: not confirmed
    for (let i = 80; i < 90; i++) readings[i] = { ...readings[i]!, value: -90 };
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('temperature_c'));
    const findings = feed(set, readings);
    expect(kinds(findings)).toEqual(['sensor_out_of_range:raised', 'sensor_out_of_range:cleared']);
    expect(findings[0]!.eventTime).toBe(readings[80]!.ts);
    expect(findings[0]!.fault).toBe('sensor');
    expect(findings[1]!.detectedAt).toBe(readings[92]!.ts);
  });

  it('takes the plausible range from a per-asset override', () => {
    const config = buildStreamConfig('temperature_c', { streams: { temperature_c: { range: { min: -10, max: 40 } } } });
    const readings = makeSeries({
      metric: 'temperature_c',
      count: 60,
      value: (i) => (i < 40 ? 20 : 55),
      noise: 0.2,
      seed: 44,
    });
    const [raised] = ofKind(feed(new StreamDetectorSet('dev-1', config), readings), 'sensor_out_of_range');
    expect(raised?.details?.max).toBe(40);
  });
});

describe('noise growth', () => {
  it('raises when reading-to-reading noise grows 10-fold, and clears when it settles', () => {
    const readings = makeSeries({ metric: 'temperature_c', count: 20 * 24, value: () => 15, noise: 0.2, seed: 45 });
    const noisy = makeSeries({ metric: 'temperature_c', count: 20 * 24, value: () => 0, noise: 2, seed: 46 });
    for (let i = 8 * 24; i < 12 * 24; i++) readings[i] = { ...readings[i]!, value: 15 + noisy[i]!.value };
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('temperature_c'));
    const noise = ofKind(feed(set, readings), 'sensor_noise');
    expect(noise.map((f) => f.phase)).toEqual(['raised', 'cleared']);
    expect(noise[0]!.detectedAt).toBeGreaterThan(T0 + 8 * DAY);
    expect(noise[0]!.detectedAt).toBeLessThan(T0 + 8 * DAY + 30 * HOUR);
    expect(noise[1]!.detectedAt).toBeGreaterThan(T0 + 12 * DAY);
  });

  it('humidity: ordinary noise after a spell at saturation is not a fault; a probe 5x noisier than a good one is', () => {
    // Fog: 100 % for 10 days (no noise at all), then the ordinary +-1.5 % of a humid site.
    const quiet = makeSeries({ metric: 'humidity_pct', count: 10 * 24, value: () => 100, noise: 0 });
    const ordinary = makeSeries({ metric: 'humidity_pct', count: 20 * 24, value: () => 85, noise: 1.5, seed: 49 });
    const afterFog = [...quiet, ...ordinary.map((r, i) => ({ ...r, ts: T0 + (10 * 24 + i) * HOUR }))];
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('humidity_pct'));
    expect(ofKind(feed(set, afterFog), 'sensor_noise')).toEqual([]);
    const failing = makeSeries({ metric: 'humidity_pct', count: 20 * 24, value: () => 0, noise: 7.5, seed: 50 });
    const good = makeSeries({ metric: 'humidity_pct', count: 20 * 24, value: () => 70, noise: 1.5, seed: 51 });
    for (let i = 8 * 24; i < 20 * 24; i++) good[i] = { ...good[i]!, value: 70 + failing[i]!.value };
    const [raised] = ofKind(
      feed(new StreamDetectorSet('dev-1', buildStreamConfig('humidity_pct')), good),
      'sensor_noise',
    );
    expect(raised?.phase).toBe('raised');
  });
});

describe('noise growth of a probe whose noise is a fraction of its reading (corrosion rate)', () => {
  /** Hourly LPR readings: `level(hour)` with `fraction` of it as noise plus the probe's floor of 0.0002 mm/y. */
  const lpr = (days: number, level: (hour: number) => number, fraction: (hour: number) => number, seed: number) => {
    const g = gaussian(rng(seed));
    return makeSeries({
      metric: 'corrosion_rate_mm_y',
      count: days * 24,
      value: (i) => Math.max(0, level(i) * (1 + fraction(i) * g()) + 0.0002 * g()),
      decimals: 5,
    });
  };

  it('real corrosion raising the rate twentyfold, its noise with it, is not a noisy probe', () => {
    // Intact film at 0.008 mm/y, then an onset ramping to 0.16 mm/y over 5 days (NACE SP0775 high band).
    const onset = (h: number) => 0.008 + Math.min(1, Math.max(0, h - 10 * 24) / (5 * 24)) * 0.152;
    const readings = lpr(40, onset, () => 0.08, 61);
    const findings = feed(new StreamDetectorSet('dev-1', buildStreamConfig('corrosion_rate_mm_y')), readings);
    expect(ofKind(findings, 'sensor_noise')).toEqual([]);
    // The corrosion itself is found.
    expect(findings.some((f) => f.fault === 'corrosion' && f.phase === 'raised')).toBe(true);
  });

  it('a probe four times noisier at the same rate is', () => {
    const readings = lpr(
      30,
      () => 0.1,
      (h) => (h < 12 * 24 ? 0.05 : 0.2),
      62,
    );
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('corrosion_rate_mm_y'));
    const [raised] = ofKind(feed(set, readings), 'sensor_noise');
    expect(raised?.phase).toBe('raised');
    expect(raised!.detectedAt).toBeGreaterThan(T0 + 12 * DAY);
    expect(raised!.details).toMatchObject({ level: expect.closeTo(0.1, 1) });
    expect(raised!.explanation).toMatch(/% of the reading/);
  });

  it('a reference stored in the other kind (absolute, before this rule) is learnt again, not misread', () => {
    const readings = lpr(
      20,
      () => 0.1,
      () => 0.05,
      63,
    );
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('corrosion_rate_mm_y'));
    feed(set, readings.slice(0, 10 * 24));
    const snapshot = set.snapshot();
    expect(snapshot.n).toHaveLength(3);
    // The same state as an older version wrote it: an absolute reference (0.005 mm/y), no marker.
    const older = { ...snapshot, n: [0.005, snapshot.n![1]] satisfies NoiseSnapshot };
    const restored = StreamDetectorSet.fromSnapshot('dev-1', buildStreamConfig('corrosion_rate_mm_y'), older);
    // Read as relative, 0.005 would make the ordinary 5 % noise look 10x the usual.
    expect(ofKind(feed(restored, readings.slice(10 * 24)), 'sensor_noise')).toEqual([]);
  });
});

describe('offline (explicit now)', () => {
  const config = buildStreamConfig('cp_potential_mv', { samplingIntervalS: 3600 });

  it('is a pure function of the last event time and now', () => {
    expect(offlineStatus(null, T0, config.offline)).toEqual({ offline: false });
    expect(offlineStatus(T0, T0 + 3 * HOUR - 1, config.offline)).toEqual({ offline: false });
    expect(offlineStatus(T0, T0 + 3 * HOUR, config.offline)).toMatchObject({
      offline: true,
      severity: 'low',
      since: T0 + 3 * HOUR,
    });
    expect(offlineStatus(T0, T0 + 24 * HOUR, config.offline)).toMatchObject({ offline: true, severity: 'medium' });
  });

  it('raises once after 3 silent intervals, escalates after 24, clears on the next reading', () => {
    const set = new StreamDetectorSet('dev-1', config);
    set.update({ deviceId: 'dev-1', metric: 'cp_potential_mv', ts: T0, value: -1000 });
    expect(set.checkOffline(T0 + 2 * HOUR)).toEqual([]);
    const [raised] = set.checkOffline(T0 + 3 * HOUR);
    expect(raised).toMatchObject({
      kind: 'sensor_offline',
      phase: 'raised',
      severity: 'low',
      eventTime: T0 + 3 * HOUR,
    });
    expect(set.checkOffline(T0 + 5 * HOUR)).toEqual([]);
    const [escalated] = set.checkOffline(T0 + 30 * HOUR);
    expect(escalated).toMatchObject({ phase: 'escalated', severity: 'medium' });
    const back = set.update({ deviceId: 'dev-1', metric: 'cp_potential_mv', ts: T0 + 31 * HOUR, value: -1000 });
    expect(back).toMatchObject([{ kind: 'sensor_offline', phase: 'cleared', detectedAt: T0 + 31 * HOUR }]);
  });

  it('turns a gap in a replayed history into an offline finding when evaluated at the next event time', () => {
    const set = new StreamDetectorSet('dev-1', config);
    const readings = makeSeries({ metric: 'cp_potential_mv', count: 100, value: () => -1000, noise: 3, seed: 49 });
    const gapped = readings.map((r, i) => (i >= 50 ? { ...r, ts: r.ts + 10 * HOUR } : r));
    const findings = [];
    for (const r of gapped) findings.push(...set.checkOffline(r.ts), ...set.update(r));
    expect(kinds(findings)).toEqual(['sensor_offline:raised', 'sensor_offline:cleared']);
    expect(findings[0]!.eventTime).toBe(gapped[49]!.ts + 3 * HOUR);
  });
});
