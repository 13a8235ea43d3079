/**
 * Domain rules on constructed series: ISO 19840 DFT acceptance, NACE SP0775 corrosion-rate bands with the
 * ISO 9223 category gate, the -850 mV CP criterion, ER metal-loss allowance, battery low; confirmation over
 * k readings and hysteresis.
 */
import { describe, expect, it } from 'vitest';
import { buildStreamConfig } from '../metric-profiles.js';
import { StreamDetectorSet } from '../stream-detector-set.js';
import { DAY, HOUR, T0, feed, kinds, makeSeries, ofKind } from '../test-support/series.js';

/** A gauge on a coating applied when the series starts: the ISO 19840 acceptance rules are in force. */
const dft = (nominal = 300) =>
  new StreamDetectorSet(
    'dev-1',
    buildStreamConfig('coating_thickness_um', { nominalDftUm: nominal, coatingInstalledAt: T0 }),
  );
/** A gauge on a coating in service for years. */
const agedDft = (nominal = 300) =>
  new StreamDetectorSet(
    'dev-1',
    buildStreamConfig('coating_thickness_um', { nominalDftUm: nominal, coatingInstalledAt: T0 - 5 * 365 * DAY }),
  );

function piecewise(points: readonly (readonly [number, number])[]) {
  // Linear interpolation through (hour, value) points, constant after the last one.
  return (i: number) => {
    for (let k = 1; k < points.length; k++) {
      const [h0, v0] = points[k - 1]!;
      const [h1, v1] = points[k]!;
      if (i <= h1) return v0 + ((v1 - v0) * (i - h0)) / (h1 - h0);
    }
    return points[points.length - 1]![1];
  };
}

describe('ISO 19840: no DFT reading below 80 % of nominal (acceptance of a new film)', () => {
  it('raises after 3 confirming readings near the crossing time, and clears with hysteresis after a recoat', () => {
    // 330 um falling 2 um/h from hour 100: crosses 240 um at hour 145; recoated to 330 um at hour 200.
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 300,
      value: (i) => (i >= 200 ? 330 : i < 100 ? 330 : 330 - 2 * (i - 100)),
      noise: 0.5,
      seed: 3,
    });
    const all = feed(dft(), readings);
    const findings = ofKind(all, 'dft_below_minimum');
    expect(findings.map((f) => f.phase)).toEqual(['raised', 'cleared']);
    const [raised, cleared] = findings;
    expect(raised!.eventTime).toBeGreaterThanOrEqual(T0 + 144 * HOUR);
    expect(raised!.eventTime).toBeLessThanOrEqual(T0 + 147 * HOUR);
    expect(raised!.detectedAt - raised!.eventTime).toBe(2 * HOUR);
    expect(raised!.severity).toBe('high');
    expect(raised!.standard).toBe('ISO 19840');
    expect(raised!.score).toBeGreaterThanOrEqual(0.5);
    expect(raised!.explanation).toMatch(
      /below 240 um \(80 % of the 300 um nominal DFT, acceptance of the new film\) for 3 consecutive readings/,
    );
    expect(raised!.evidence.points.length).toBeGreaterThan(0);
    expect(cleared!.detectedAt).toBe(T0 + 202 * HOUR);
    // Below half the nominal (150 um, reached at hour 190) the film has broken down: a rule of its own.
    const breakdown = ofKind(all, 'dft_below_breakdown');
    expect(breakdown.map((f) => f.phase)).toEqual(['raised', 'cleared']);
    expect(breakdown[0]!.eventTime).toBeGreaterThanOrEqual(T0 + 190 * HOUR);
    expect(breakdown[0]!.severity).toBe('high');
  });

  it('does not raise on a single low reading (confirmation over k readings)', () => {
    const readings = makeSeries({ metric: 'coating_thickness_um', count: 200, value: () => 330, noise: 2, seed: 4 });
    readings[120] = { ...readings[120]!, value: 200 };
    readings[150] = { ...readings[150]!, value: 210 };
    readings[151] = { ...readings[151]!, value: 205 };
    expect(ofKind(feed(dft(), readings), 'dft_below_minimum')).toEqual([]);
  });

  it('does not flap while readings hover between the limit and the clear level', () => {
    // Below 240 for 10 h, then 241-245 (above the limit, below the 246 um clear level) for two days.
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 100,
      value: (i) => (i < 40 ? 238 : 243 + 2 * Math.sin(i)),
      noise: 0,
    });
    const findings = ofKind(feed(dft(), readings), 'dft_below_minimum');
    expect(kinds(findings)).toEqual(['dft_below_minimum:raised']);
  });

  it('uses the asset override of the minimum fraction', () => {
    const set = new StreamDetectorSet(
      'dev-1',
      buildStreamConfig('coating_thickness_um', {
        nominalDftUm: 300,
        coatingInstalledAt: T0,
        thresholds: { dftMinFraction: 0.9 },
      }),
    );
    const readings = makeSeries({ metric: 'coating_thickness_um', count: 60, value: () => 265, noise: 1, seed: 2 });
    const [raised] = ofKind(feed(set, readings), 'dft_below_minimum');
    expect(raised?.details?.limit).toBe(270);
  });
});

describe('ISO 19840: mean of the recent readings not below nominal', () => {
  it('raises when the trimmed mean of the window falls below nominal, spikes notwithstanding', () => {
    // Slow decline 306 -> 294 um over 12 days; a few low spikes that must not pull the mean down early.
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 12 * 24,
      value: (i) => 306 - i / 24,
      noise: 2,
      seed: 8,
    });
    for (const i of [30, 60, 90]) readings[i] = { ...readings[i]!, value: 150 };
    const [raised] = ofKind(feed(dft(), readings), 'dft_mean_below_nominal');
    expect(raised?.phase).toBe('raised');
    expect(raised!.severity).toBe('medium');
    // The true mean crosses 300 um at hour 144; the window mean lags by about half a window.
    expect(raised!.detectedAt).toBeGreaterThan(T0 + 144 * HOUR);
    expect(raised!.detectedAt).toBeLessThan(T0 + 190 * HOUR);
  });
});

describe('in service: acceptance over, breakdown at half the nominal DFT (ISO 12944-1 maintenance)', () => {
  it('a healthy film that has worn below 80 % of nominal by age raises nothing', () => {
    // Five years old, 220 um on a 300 um nominal (73 %), thinning 15 um a year: normal wear, nothing to do.
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 60 * 24,
      value: (i) => 220 - (15 / 365) * (i / 24),
      noise: 3,
      seed: 41,
    });
    expect(feed(agedDft(), readings)).toEqual([]);
  });

  it('the acceptance rules stop raising after the acceptance period (default 90 days), the film is then in service', () => {
    const readings = makeSeries({ metric: 'coating_thickness_um', count: 48, value: () => 230, noise: 1, seed: 42 });
    const installedLongAgo = (days: number) =>
      new StreamDetectorSet(
        'dev-1',
        buildStreamConfig('coating_thickness_um', { nominalDftUm: 300, coatingInstalledAt: T0 - days * DAY }),
      );
    expect(kinds(ofKind(feed(installedLongAgo(89), readings), 'dft_below_minimum'))).toEqual([
      'dft_below_minimum:raised',
    ]);
    expect(feed(installedLongAgo(91), readings)).toEqual([]);
    const withoutDate = new StreamDetectorSet(
      'dev-1',
      buildStreamConfig('coating_thickness_um', { nominalDftUm: 300 }),
    );
    expect(feed(withoutDate, readings)).toEqual([]);
  });

  it('readings dated before the installation (the film being applied, or the old one) are not judged for acceptance', () => {
    // A gauge that logged the film building up, 20 days before the installation date, then the finished film.
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 30 * 24,
      value: (i) => (i < 20 * 24 ? 60 + (i / (20 * 24)) * 200 : 320),
      noise: 1,
      seed: 44,
    });
    const set = new StreamDetectorSet(
      'dev-1',
      buildStreamConfig('coating_thickness_um', { nominalDftUm: 300, coatingInstalledAt: T0 + 20 * DAY }),
    );
    const all = feed(set, readings);
    expect(ofKind(all, 'dft_below_minimum')).toEqual([]);
    expect(ofKind(all, 'dft_mean_below_nominal')).toEqual([]);
    // The same film read after its installation date is judged: 230 um on day 1 of the acceptance period raises.
    const after = makeSeries({ metric: 'coating_thickness_um', count: 48, value: () => 230, noise: 1, seed: 45 });
    const fresh = new StreamDetectorSet(
      'dev-1',
      buildStreamConfig('coating_thickness_um', { nominalDftUm: 300, coatingInstalledAt: T0 - DAY }),
    );
    expect(kinds(ofKind(feed(fresh, after), 'dft_below_minimum'))).toEqual(['dft_below_minimum:raised']);
  });

  it('an acceptance failure raised in the period still clears on recovery after it', () => {
    // Installed 88 days before the series: low for a day (raised), recoated on day 3 (after the period).
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 4 * 24,
      value: (i) => (i < 72 ? 230 : 330),
      noise: 0.5,
      seed: 43,
    });
    const set = new StreamDetectorSet(
      'dev-1',
      buildStreamConfig('coating_thickness_um', { nominalDftUm: 300, coatingInstalledAt: T0 - 88 * DAY }),
    );
    expect(kinds(ofKind(feed(set, readings), 'dft_below_minimum'))).toEqual([
      'dft_below_minimum:raised',
      'dft_below_minimum:cleared',
    ]);
  });

  it('raises below the breakdown thickness, critical below half of it, and takes an asset override', () => {
    const readings = makeSeries({
      metric: 'coating_thickness_um',
      count: 200,
      value: (i) => (i < 50 ? 160 : i < 120 ? 140 : 60),
      noise: 0.5,
      seed: 44,
    });
    const findings = ofKind(feed(agedDft(), readings), 'dft_below_breakdown');
    expect(kinds(findings)).toEqual(['dft_below_breakdown:raised', 'dft_below_breakdown:escalated']);
    expect(findings[0]!.severity).toBe('high');
    expect(findings[0]!.fault).toBe('coating_degradation');
    expect(findings[0]!.standard).toMatch(/ISO 12944-1/);
    expect(findings[0]!.explanation).toMatch(/below 150 um \(50 % of the 300 um nominal DFT, coating breakdown\)/);
    expect(findings[1]!.severity).toBe('critical');
    const stricter = new StreamDetectorSet(
      'dev-1',
      buildStreamConfig('coating_thickness_um', { nominalDftUm: 300, thresholds: { dftBreakdownFraction: 0.6 } }),
    );
    const [raised] = ofKind(feed(stricter, readings), 'dft_below_breakdown');
    expect(raised!.details?.limit).toBe(180);
    expect(raised!.eventTime).toBe(T0);
  });
});

describe('ISO 19840: readings above 3x nominal are suspect', () => {
  it('flags them as out of range and keeps them out of the models', () => {
    const readings = makeSeries({ metric: 'coating_thickness_um', count: 120, value: () => 320, noise: 2, seed: 6 });
    for (let i = 60; i < 64; i++) readings[i] = { ...readings[i]!, value: 1200 };
    const findings = feed(dft(), readings);
    expect(kinds(findings)).toEqual(['sensor_out_of_range:raised', 'sensor_out_of_range:cleared']);
    expect(findings[0]!.explanation).toMatch(/above 3x the nominal DFT are suspect/);
    expect(findings[0]!.eventTime).toBe(T0 + 60 * HOUR);
  });
});

describe('NACE SP0775 corrosion-rate bands', () => {
  const rate = (category?: 'C2' | 'C4') =>
    new StreamDetectorSet(
      'dev-1',
      buildStreamConfig('corrosion_rate_mm_y', category ? { corrosivityCategory: category } : {}),
    );
  const staircase = makeSeries({
    metric: 'corrosion_rate_mm_y',
    count: 200,
    value: piecewise([
      [0, 0.01],
      [49, 0.01],
      [50, 0.05],
      [99, 0.05],
      [100, 0.18],
      [149, 0.18],
      [150, 0.4],
    ]),
    noise: 0.001,
    seed: 9,
    decimals: 4,
  });

  it('raises at moderate, escalates to high then severe', () => {
    const findings = ofKind(feed(rate('C2'), staircase), 'corrosion_rate_high');
    expect(findings.map((f) => `${f.phase}:${f.severity}`)).toEqual([
      'raised:medium',
      'escalated:high',
      'escalated:critical',
    ]);
    expect(findings[0]!.eventTime).toBe(T0 + 50 * HOUR);
    expect(findings[1]!.detectedAt).toBe(T0 + 102 * HOUR);
    expect(findings[2]!.detectedAt).toBe(T0 + 152 * HOUR);
    expect(findings[0]!.standard).toBe('NACE SP0775');
  });

  it('does not raise on a moderate rate the ISO 9223 category already predicts (C4: up to 80 um/y)', () => {
    const findings = ofKind(feed(rate('C4'), staircase), 'corrosion_rate_high');
    expect(findings.map((f) => `${f.phase}:${f.severity}`)).toEqual(['raised:high', 'escalated:critical']);
    expect(findings[0]!.eventTime).toBe(T0 + 100 * HOUR);
    expect(findings[0]!.explanation).toMatch(/ISO 9223/);
  });
});

describe('CP criterion: more negative than -850 mV vs Cu/CuSO4 is protected', () => {
  const cp = () => new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv'));

  it('raises under-protection, escalates when close to the free potential, clears after recovery', () => {
    const readings = makeSeries({
      metric: 'cp_potential_mv',
      count: 240,
      value: piecewise([
        [0, -1000],
        [79, -1000],
        [80, -820],
        [129, -820],
        [130, -600],
        [179, -600],
        [180, -950],
      ]),
      noise: 3,
      seed: 10,
    });
    const findings = ofKind(feed(cp(), readings), 'cp_underprotected');
    expect(findings.map((f) => `${f.phase}:${f.severity}`)).toEqual([
      'raised:high',
      'escalated:critical',
      'cleared:critical',
    ]);
    expect(findings[0]!.eventTime).toBe(T0 + 80 * HOUR);
    expect(findings[2]!.detectedAt).toBe(T0 + 182 * HOUR);
  });

  it('raises over-protection below -1200 mV (ISO 15589-1)', () => {
    const readings = makeSeries({
      metric: 'cp_potential_mv',
      count: 100,
      value: (i) => (i < 50 ? -1000 : -1260),
      noise: 3,
    });
    const [over] = ofKind(feed(cp(), readings), 'cp_overprotected');
    expect(over?.severity).toBe('medium');
    expect(over!.eventTime).toBe(T0 + 50 * HOUR);
  });

  it('never raises on a protected potential with a daily cycle', () => {
    const readings = makeSeries({
      metric: 'cp_potential_mv',
      count: 60 * 24,
      value: (i) => -1000 + 40 * Math.sin((2 * Math.PI * i) / 24),
      noise: 5,
      seed: 12,
    });
    expect(feed(cp(), readings)).toEqual([]);
  });
});

describe('ER metal-loss allowance and battery low', () => {
  it('raises when the cumulative metal loss passes the asset allowance', () => {
    const set = new StreamDetectorSet(
      'dev-1',
      buildStreamConfig('metal_loss_um', { thresholds: { metalLossAllowanceUm: 120 } }),
    );
    const readings = makeSeries({ metric: 'metal_loss_um', count: 100, value: (i) => 100 + 0.5 * i, noise: 0.1 });
    const [raised] = ofKind(feed(set, readings), 'metal_loss_allowance_exceeded');
    expect(raised?.eventTime).toBe(T0 + 41 * HOUR);
  });

  it('raises battery low after 3 readings below 3.3 V and clears after a replacement', () => {
    const set = new StreamDetectorSet('dev-1', buildStreamConfig('battery_v'));
    const readings = makeSeries({
      metric: 'battery_v',
      count: 120,
      value: (i) => (i < 60 ? 3.35 - 0.002 * i : i < 100 ? 3.2 : 3.6),
      noise: 0.002,
      seed: 5,
      decimals: 3,
    });
    const findings = ofKind(feed(set, readings), 'battery_low');
    expect(findings.map((f) => f.phase)).toEqual(['raised', 'cleared']);
    expect(findings[0]!.eventTime).toBeGreaterThanOrEqual(T0 + 24 * HOUR);
    expect(findings[0]!.eventTime).toBeLessThanOrEqual(T0 + 27 * HOUR);
    expect(findings[1]!.detectedAt).toBe(T0 + 102 * HOUR);
  });
});

describe('sensitivity multiplier on domain rules', () => {
  it('changes how many readings confirm, never the limit of the standard', () => {
    const readings = makeSeries({ metric: 'coating_thickness_um', count: 40, value: (i) => (i < 30 ? 330 : 230) });
    const at = (sensitivity: number) => {
      const set = new StreamDetectorSet(
        'dev-1',
        buildStreamConfig('coating_thickness_um', { nominalDftUm: 300, coatingInstalledAt: T0 }),
        sensitivity,
      );
      const [f] = ofKind(feed(set, readings), 'dft_below_minimum');
      return { delay: (f!.detectedAt - f!.eventTime) / HOUR, limit: f!.details?.limit };
    };
    expect(at(1)).toEqual({ delay: 2, limit: 240 });
    expect(at(0.5)).toEqual({ delay: 5, limit: 240 });
    expect(at(3)).toEqual({ delay: 0, limit: 240 });
  });
});
