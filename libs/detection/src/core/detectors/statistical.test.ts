/**
 * Statistical anomaly (robust median / MAD z) and change points (CUSUM steps, Theil-Sen slope changes).
 */
import { describe, expect, it } from 'vitest';
import { buildStreamConfig } from '../metric-profiles.js';
import { StreamDetectorSet } from '../stream-detector-set.js';
import { DAY, HOUR, T0, feed, kinds, makeSeries, ofKind } from '../test-support/series.js';

const days = (i: number) => i / 24;

describe('spike versus level shift', () => {
  it('reports an isolated outlier as a spike at its own event time, and nothing else', () => {
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 20 * 24,
      value: () => 330,
      noise: 3,
      seed: 21,
    });
    readings[300] = { ...readings[300]!, value: 250 };
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
    const findings = feed(set, readings);
    expect(kinds(findings)).toEqual(['spike:raised']);
    expect(findings[0]!.eventTime).toBe(readings[300].ts);
    expect(findings[0]!.detectedAt).toBe(readings[301]!.ts);
    expect(findings[0]!.lifecycle).toBe('event');
    expect(findings[0]!.explanation).toMatch(/a spike .* not a change of level/);
  });

  it('reports a sustained run of outliers as a level shift when it runs without the CUSUM detector', () => {
    const config = buildStreamConfig('widget_rpm', {
      streams: { widget_rpm: { step: null, spike: { reportShifts: true } } },
    });
    const set = new StreamDetectorSet('dev-1', config);
    const readings = makeSeries({
      metric: 'widget_rpm',
      count: 200,
      value: (i) => (i < 100 ? 1500 : 1700),
      noise: 10,
      seed: 22,
    });
    const findings = feed(set, readings);
    expect(kinds(findings)).toEqual(['level_shift:raised']);
    expect(findings[0]!.eventTime).toBe(readings[100]!.ts);
  });
});

describe('CUSUM step change', () => {
  it('DFT step down: coating damage, once, within a few readings of the step', () => {
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 40 * 24,
      value: (i) => 330 - 0.01 * days(i) - (i >= 20 * 24 ? 40 : 0),
      noise: 3,
      seed: 23,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
    const damage = ofKind(feed(set, readings), 'coating_damage');
    expect(damage).toHaveLength(1);
    const [f] = damage;
    expect(f!.fault).toBe('coating_damage');
    expect(f!.severity).toBe('high');
    expect(f!.eventTime).toBeGreaterThanOrEqual(T0 + 20 * DAY - 2 * HOUR);
    expect(f!.eventTime).toBeLessThanOrEqual(T0 + 20 * DAY);
    expect(f!.detectedAt - (T0 + 20 * DAY)).toBeLessThanOrEqual(6 * HOUR);
    expect(f!.details?.magnitude).toBeLessThan(-30);
    // The evidence shows the readings before and after the step.
    expect(f!.evidence.points.some((p) => p.value > 320)).toBe(true);
    expect(f!.evidence.points.some((p) => p.value < 300)).toBe(true);
  });

  it('DFT step up (recoat) is a low-severity step change, not damage', () => {
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 600,
      value: (i) => (i < 300 ? 280 : 340),
      noise: 3,
      seed: 24,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 250 }));
    const findings = feed(set, readings);
    expect(kinds(findings)).toEqual(['step_change:raised']);
    expect(findings[0]!.severity).toBe('low');
  });

  it('CP step towards positive: depolarisation (rectifier or anode failure)', () => {
    const readings = makeSeries({
      metric: 'cp_potential_mv',
      count: 500,
      value: (i) => (i < 300 ? -1050 : -900),
      noise: 5,
      seed: 25,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv'));
    const findings = ofKind(feed(set, readings), 'cp_depolarisation');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.fault).toBe('cathodic_protection');
    expect(findings[0]!.detectedAt - readings[300]!.ts).toBeLessThanOrEqual(5 * HOUR);
  });

  /** Hourly corrosion rate: 0.004 mm/y, then `after` from reading 300 on. */
  const rateFindings = (after: number) =>
    feed(
      new StreamDetectorSet('dev-1', buildStreamConfig('corrosion_rate_mm_y')),
      makeSeries({
        metric: 'corrosion_rate_mm_y',
        count: 500,
        value: (i) => (i < 300 ? 0.004 : after),
        noise: 0.001,
        seed: 26,
        decimals: 4,
      }),
    );

  it('corrosion-rate step up: onset of corrosion', () => {
    const findings = rateFindings(0.08);
    expect(kinds(findings).filter((k) => k.startsWith('corrosion_onset'))).toEqual(['corrosion_onset:raised']);
    expect(findings[0]!.fault).toBe('corrosion');
  });

  it('a rate rising a few 0.01 mm/y through an intact film (wet weather) is not an onset', () => {
    expect(ofKind(rateFindings(0.03), 'corrosion_onset')).toEqual([]);
  });

  it('a step smaller than the configured minimum only re-baselines', () => {
    // 8 um drop with 1 um noise: clearly a step statistically, but under 5 % of the 300 um nominal.
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 400,
      value: (i) => (i < 200 ? 330 : 322),
      noise: 1,
      seed: 27,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
    expect(feed(set, readings)).toEqual([]);
  });
});

it('a steady ramp steep against the noise is not a step', () => {
  // +0.05 per hour with 0.1 noise: 24 readings span 12 sigma, yet no reading breaks the trend.
  for (const seed of [51, 52, 53]) {
    const readings = makeSeries({
      metric: 'widget_rpm',
      count: 30 * 24,
      value: (i) => 100 + 0.05 * i,
      noise: 0.1,
      seed,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('widget_rpm'));
    expect(ofKind(feed(set, readings), 'step_change')).toEqual([]);
  }
});

describe('slope change (Theil-Sen on daily means)', () => {
  it('DFT loss rate rising from 0.01 to 1.5 um/day: accelerated degradation within 10 days', () => {
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 70 * 24,
      value: (i) => 330 - 0.01 * days(i) - (days(i) >= 40 ? 1.5 * (days(i) - 40) : 0),
      noise: 3,
      seed: 28,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
    const findings = ofKind(feed(set, readings), 'accelerated_degradation');
    expect(findings).toHaveLength(1);
    expect(findings[0]!.detectedAt).toBeGreaterThan(T0 + 40 * DAY);
    expect(findings[0]!.detectedAt).toBeLessThanOrEqual(T0 + 50 * DAY);
    expect(findings[0]!.evidence.series).toBe('bucket_means');
    const { slopeRecentPerDay, slopeBeforePerDay } = findings[0]!.details as Record<string, number>;
    expect(slopeRecentPerDay! - slopeBeforePerDay!).toBeLessThan(-0.3);
  });

  it('ER metal-loss slope rising: onset of corrosion, without a false step', () => {
    const readings = makeSeries({
      metric: 'metal_loss_um',
      count: 70 * 24,
      value: (i) => 10 + 0.02 * days(i) + (days(i) >= 40 ? 0.5 * (days(i) - 40) : 0),
      noise: 0.2,
      seed: 29,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('metal_loss_um'));
    const findings = feed(set, readings);
    expect(kinds(findings)).toEqual(['corrosion_onset:raised']);
    expect(findings[0]!.detector).toBe('change_point');
    expect(findings[0]!.detectedAt).toBeLessThanOrEqual(T0 + 52 * DAY);
  });

  it('CP potential drifting positive faster: fading protection', () => {
    const readings = makeSeries({
      metric: 'cp_potential_mv',
      count: 45 * 24,
      value: (i) => -1100 + (days(i) >= 25 ? 15 * (days(i) - 25) : 0),
      noise: 5,
      seed: 30,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv'));
    const [f] = ofKind(feed(set, readings), 'cp_depolarisation');
    expect(f?.detector).toBe('change_point');
    expect(f!.detectedAt).toBeLessThanOrEqual(T0 + 37 * DAY);
  });

  it('CP potential wandering a few mV a day (soil moisture, seasons) is not fading protection', () => {
    // Slope turns from -3 to +4 mV/day: the ordinary walk of a protected structure, 10 mV/day is the minimum.
    const readings = makeSeries({
      metric: 'cp_potential_mv',
      count: 45 * 24,
      value: (i) => -1050 + (days(i) < 25 ? -3 * days(i) : -75 + 4 * (days(i) - 25)),
      noise: 5,
      seed: 30,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv'));
    expect(ofKind(feed(set, readings), 'cp_depolarisation')).toEqual([]);
  });
});

describe('a trend the quantity cannot take: the sensor is drifting', () => {
  it('a coating thickness creeping up (a film does not grow) is a drifting gauge, a sensor fault', () => {
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 45 * 24,
      value: (i) => 250 - 0.05 * days(i) + (days(i) >= 25 ? 3 * (days(i) - 25) : 0),
      noise: 2,
      seed: 55,
    });
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }));
    const [drift, ...more] = ofKind(feed(set, readings), 'sensor_drift');
    expect(drift).toMatchObject({ fault: 'sensor', severity: 'low', detector: 'change_point' });
    expect(drift!.detectedAt).toBeGreaterThan(T0 + 25 * DAY);
    expect(drift!.detectedAt).toBeLessThan(T0 + 36 * DAY);
    expect(drift!.explanation).toMatch(/rising by [\d.]+ um\/day over the last 10 days .*a coating cannot grow/);
    expect(more).toEqual([]);
  });

  it('cumulative metal loss going down is a drifting ER probe; slower corrosion is not', () => {
    const loss = (after: (d: number) => number) =>
      makeSeries({
        metric: 'metal_loss_um',
        count: 45 * 24,
        value: (i) => (days(i) < 25 ? 100 + 0.2 * days(i) : 105 + after(days(i) - 25)),
        noise: 0.1,
        seed: 56,
      });
    const drifting = feed(
      new StreamDetectorSet('dev-1', buildStreamConfig('metal_loss_um')),
      loss((d) => -1.5 * d),
    );
    expect(ofKind(drifting, 'sensor_drift')[0]?.fault).toBe('sensor');
    const slower = feed(
      new StreamDetectorSet('dev-1', buildStreamConfig('metal_loss_um')),
      loss((d) => 0.02 * d),
    );
    expect(ofKind(slower, 'sensor_drift')).toEqual([]);
  });
});

describe('departure from the multi-day level towards a limit (CP early warning)', () => {
  /** Protected at -1000 mV for 20 days; from then on relaxing towards -600 mV with time constant `tauDays`. */
  const relaxing = (tauDays: number) =>
    makeSeries({
      metric: 'cp_potential_mv',
      count: 30 * 24,
      value: (i) => (days(i) < 20 ? -1000 : -600 - 400 * Math.exp(-(days(i) - 20) / tauDays)),
      noise: 3,
      seed: 52,
    });
  /** When the relaxation crosses -850 mV (the criterion): -tau ln(250 / 400) days after its start. */
  const crossing = (tauDays: number) => T0 + (20 - tauDays * Math.log(250 / 400)) * DAY;

  it('warns while a failed CP system relaxes, well before the -850 mV criterion is lost', () => {
    const findings = feed(new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv')), relaxing(4));
    const [early] = ofKind(findings, 'cp_depolarisation');
    expect(early).toMatchObject({ detector: 'change_point', severity: 'high', fault: 'cathodic_protection' });
    expect(early!.detectedAt).toBeGreaterThan(T0 + 20 * DAY);
    expect(early!.detectedAt).toBeLessThan(crossing(4) - 0.75 * DAY);
    expect(early!.explanation).toMatch(
      /moved from its 7-day level of -1000 mV to -9\d\d(\.\d)? mV, \d+ % of the way to -850 mV/,
    );
    const [rule] = ofKind(findings, 'cp_underprotected');
    expect(rule!.detectedAt).toBeGreaterThan(crossing(4));
    // One episode, one warning.
    expect(
      ofKind(findings, 'cp_depolarisation').filter((f) => f.detector === 'change_point').length,
    ).toBeLessThanOrEqual(2);
  });

  it('a daily cycle or a wander of the level is no departure; a potential already past the limit is left to the rule', () => {
    const wander = makeSeries({
      metric: 'cp_potential_mv',
      count: 60 * 24,
      value: (i) => -1000 + 15 * Math.sin((2 * Math.PI * days(i)) / 9) + 30 * Math.sin((2 * Math.PI * i) / 24),
      noise: 4,
      seed: 53,
    });
    expect(
      ofKind(feed(new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv')), wander), 'cp_depolarisation'),
    ).toEqual([]);
    const unprotected = makeSeries({
      metric: 'cp_potential_mv',
      count: 30 * 24,
      value: (i) => (days(i) < 20 ? -800 : -700),
      noise: 3,
      seed: 54,
    });
    const findings = feed(new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv')), unprotected);
    expect(findings.filter((f) => f.kind === 'cp_depolarisation' && f.explanation.includes('of the way to'))).toEqual(
      [],
    );
  });

  it('is configurable per asset and can be switched off', () => {
    const off = buildStreamConfig('cp_potential_mv', { streams: { cp_potential_mv: { departure: null } } });
    expect(off.departure).toBeNull();
    const findings = feed(new StreamDetectorSet('dev-1', off), relaxing(4));
    const first = ofKind(findings, 'cp_depolarisation')[0];
    expect(first === undefined || first.detectedAt > crossing(4) - 0.75 * DAY).toBe(true);
    expect(() =>
      buildStreamConfig('cp_potential_mv', { streams: { cp_potential_mv: { departure: { recentReadings: 99 } } } }),
    ).toThrow(/departure.recentReadings must not exceed window.size/);
  });
});
