/**
 * Trend forecast / remaining life: Theil-Sen over daily means, predicted crossing with a confidence band,
 * a predictive finding when the crossing is inside the lead horizon (default 30 days) with confidence.
 */
import { describe, expect, it } from 'vitest';
import { buildStreamConfig } from '../metric-profiles.js';
import { StreamDetectorSet } from '../stream-detector-set.js';
import { DAY, T0, feed, makeSeries, ofKind } from '../test-support/series.js';

const days = (i: number) => i / 24;

describe('DFT remaining life to the breakdown thickness (50 % of nominal)', () => {
  // 240 um losing 1 um/day: crosses 150 um (breakdown: 50 % of 300) on day 90.
  const readings = makeSeries({
    metric: 'coating_thickness_um',
    count: 100 * 24,
    value: (i) => 240 - days(i),
    noise: 3,
    seed: 31,
  });
  const findings = feed(
    new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 })),
    readings,
  );
  const predictive = ofKind(findings, 'predicted_coating_breakdown');

  it('raises a predictive finding about 30 days ahead, with the crossing and a band around it', () => {
    const [raised] = predictive;
    expect(raised?.phase).toBe('raised');
    expect(raised!.detector).toBe('trend_forecast');
    expect(raised!.detectedAt).toBeGreaterThanOrEqual(T0 + 58 * DAY);
    expect(raised!.detectedAt).toBeLessThanOrEqual(T0 + 62 * DAY);
    const p = raised!.prediction!;
    expect(Math.abs(p.crossingTime - (T0 + 90 * DAY))).toBeLessThanOrEqual(3 * DAY);
    expect(p.earliest).toBeLessThanOrEqual(p.crossingTime);
    expect(p.latest).not.toBeNull();
    expect(p.latest!).toBeGreaterThanOrEqual(p.crossingTime);
    expect(p.earliest).toBeLessThanOrEqual(T0 + 90 * DAY);
    expect(p.latest!).toBeGreaterThanOrEqual(T0 + 89 * DAY);
    expect(p.confidence).toBeGreaterThanOrEqual(0.8);
    expect(p.limit).toBe(150);
    expect(p.slopePerDay).toBeCloseTo(-1, 1);
    expect(raised!.evidence.series).toBe('bucket_means');
    expect(raised!.explanation).toMatch(
      /predicted to fall below 150 um \(50 % of the 300 um nominal DFT, coating breakdown\)/,
    );
  });

  it('escalates as the crossing nears, before the rule itself fires', () => {
    expect(predictive.map((f) => `${f.phase}:${f.severity}`)).toEqual([
      'raised:low',
      'escalated:medium',
      'escalated:high',
    ]);
    const [rule] = ofKind(findings, 'dft_below_breakdown');
    expect(rule!.eventTime).toBeGreaterThan(predictive[2]!.detectedAt);
    expect(Math.abs(rule!.eventTime - (T0 + 90 * DAY))).toBeLessThanOrEqual(DAY);
  });
});

it('no predictive finding for the slow healthy loss of a good coating (crossing years away)', () => {
  const readings = makeSeries({
    metric: 'coating_thickness_um',
    count: 200 * 24,
    value: (i) => 330 - (5 / 365) * days(i),
    noise: 3,
    seed: 32,
  });
  const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
  expect(feed(set, readings)).toEqual([]);
});

it('no predictive finding from the noise of a flat series close to its limit', () => {
  // Flat 15 um above the breakdown limit with 25 um noise: daily means wobble, but no trend supports a crossing.
  const readings = makeSeries({
    metric: 'coating_thickness_um',
    count: 120 * 24,
    value: () => 165,
    noise: 25,
    seed: 33,
  });
  const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
  expect(ofKind(feed(set, readings), 'predicted_coating_breakdown')).toEqual([]);
});

it('ER metal loss: predicted to reach its allowance inside the lead horizon', () => {
  // 400 um rising 2 um/day: reaches the 500 um allowance on day 50.
  const readings = makeSeries({
    metric: 'metal_loss_um',
    count: 52 * 24,
    value: (i) => 400 + 2 * days(i),
    noise: 0.3,
    seed: 34,
  });
  const set = new StreamDetectorSet(
    'dev-1',
    buildStreamConfig('metal_loss_um', { thresholds: { metalLossAllowanceUm: 500 } }),
  );
  const [raised] = ofKind(feed(set, readings), 'predicted_metal_loss_allowance');
  expect(raised?.fault).toBe('corrosion');
  expect(raised!.detectedAt).toBeLessThanOrEqual(T0 + 22 * DAY);
  expect(Math.abs(raised!.prediction!.crossingTime - (T0 + 50 * DAY))).toBeLessThanOrEqual(2 * DAY);
});

it('the lead horizon is a per-asset override', () => {
  const readings = makeSeries({
    metric: 'metal_loss_um',
    count: 52 * 24,
    value: (i) => 400 + 2 * days(i),
    noise: 0.3,
    seed: 34,
  });
  const set = new StreamDetectorSet(
    'dev-1',
    buildStreamConfig('metal_loss_um', { thresholds: { metalLossAllowanceUm: 500, leadHorizonDays: 10 } }),
  );
  const [raised] = ofKind(feed(set, readings), 'predicted_metal_loss_allowance');
  expect(raised!.detectedAt).toBeGreaterThanOrEqual(T0 + 39 * DAY);
  expect(raised!.prediction!.horizonMs).toBe(10 * DAY);
});

it('clears when a repair (step up) removes the predicted crossing', () => {
  const readings = makeSeries({
    metric: 'coating_thickness_um',
    count: 110 * 24,
    value: (i) => (days(i) < 70 ? 240 - days(i) : 340),
    noise: 3,
    seed: 35,
  });
  const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
  const phases = ofKind(feed(set, readings), 'predicted_coating_breakdown').map((f) => f.phase);
  expect(phases[0]).toBe('raised');
  expect(phases[phases.length - 1]).toBe('cleared');
});

it('CP: no forecast from the first days of a protected potential walking up (three weeks of daily means first)', () => {
  // The data starts while the potential walks up 5 mV a day for 10 days, then it reverts to its level.
  const readings = makeSeries({
    metric: 'cp_potential_mv',
    count: 40 * 24,
    value: (i) => -1000 + (days(i) < 10 ? 5 * days(i) : Math.max(0, 50 - 5 * (days(i) - 10))),
    noise: 3,
    seed: 36,
  });
  const set = new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv'));
  expect(ofKind(feed(set, readings), 'predicted_cp_underprotection')).toEqual([]);
  const week = new StreamDetectorSet(
    'dev-1',
    buildStreamConfig('cp_potential_mv', { streams: { cp_potential_mv: { forecast: { minBuckets: 7 } } } }),
  );
  // With a week of means (the default of other metrics) the same walk would have been extrapolated.
  expect(ofKind(feed(week, readings), 'predicted_cp_underprotection').map((f) => f.phase)[0]).toBe('raised');
});
