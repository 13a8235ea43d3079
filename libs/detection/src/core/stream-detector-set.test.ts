/**
 * The per-stream contract: healthy series stay quiet over a long run, snapshot / restore is exact,
 * state stays bounded whatever the history, out-of-order and duplicate readings are ignored.
 */
import { describe, expect, it } from 'vitest';
import type { AssetProfile } from './config.js';
import { buildStreamConfig } from './metric-profiles.js';
import { StreamDetectorSet, type StreamSnapshot } from './stream-detector-set.js';
import { HOUR, T0, feed, makeSeries, rng } from './test-support/series.js';
import type { Finding, ObservedReading } from './types.js';

const PROFILE: AssetProfile = { nominalDftUm: 300, corrosivityCategory: 'C3', samplingIntervalS: 3600 };
const YEAR = 365 * 24;
const days = (i: number) => i / 24;

/** A year of healthy hourly readings per metric: realistic noise, daily cycles, slow ageing. */
const HEALTHY: Record<string, { value: (i: number) => number; noise: number; decimals: number }> = {
  coating_thickness_um: { value: (i) => 340 - (5 / 365) * days(i), noise: 3, decimals: 1 },
  corrosion_rate_mm_y: { value: (i) => 0.008 + 0.002 * Math.sin((2 * Math.PI * i) / 24), noise: 0.001, decimals: 4 },
  metal_loss_um: { value: (i) => 12 + (20 / 365) * days(i), noise: 0.15, decimals: 2 },
  cp_potential_mv: { value: (i) => -1000 + 25 * Math.sin((2 * Math.PI * i) / 24), noise: 5, decimals: 1 },
  temperature_c: {
    value: (i) => 12 + 10 * Math.sin((2 * Math.PI * i) / YEAR) + 5 * Math.sin((2 * Math.PI * i) / 24),
    noise: 0.4,
    decimals: 1,
  },
  humidity_pct: { value: (i) => 70 + 15 * Math.sin((2 * Math.PI * i) / 24), noise: 2, decimals: 1 },
  battery_v: { value: (i) => 3.62 - (0.1 / 365) * days(i), noise: 0.005, decimals: 3 },
  pump_pressure_bar: { value: (i) => 6 + 0.3 * Math.sin((2 * Math.PI * i) / 24), noise: 0.05, decimals: 3 },
};

function healthy(metric: string, count: number, seed: number): ObservedReading[] {
  const spec = HEALTHY[metric]!;
  return makeSeries({ metric, count, value: spec.value, noise: spec.noise, decimals: spec.decimals, seed });
}

describe('healthy series stay quiet', () => {
  for (const metric of Object.keys(HEALTHY)) {
    it(`${metric}: no finding over a year of hourly readings (two seeds)`, () => {
      for (const seed of [101, 202]) {
        const set = new StreamDetectorSet('dev-1', buildStreamConfig(metric, PROFILE));
        const findings = feed(set, healthy(metric, YEAR, seed));
        expect(findings.map((f) => `${f.kind} ${f.explanation}`)).toEqual([]);
      }
    });
  }
});

/** A stream with every kind of trouble, to exercise every detector's state across a snapshot. */
function eventfulDft(): ObservedReading[] {
  const readings = makeSeries({
    metric: 'coating_thickness_um',
    count: 140 * 24,
    value: (i) => {
      const d = days(i);
      if (d < 30) return 330;
      if (d < 45) return 290; // damage
      if (d < 100) return 290 - 1.2 * (d - 45); // accelerated loss: predictive, then below 80 %
      return 335; // recoat
    },
    noise: 3,
    seed: 7,
    decimals: 1,
  });
  readings[200] = { ...readings[200]!, value: 200 }; // spike
  for (let i = 500; i < 515; i++) readings[i] = { ...readings[i]!, value: 333.3 }; // stuck
  for (let i = 900; i < 903; i++) readings[i] = { ...readings[i]!, value: 1500 }; // suspect
  return readings;
}

function eventfulCp(): ObservedReading[] {
  return makeSeries({
    metric: 'cp_potential_mv',
    count: 90 * 24,
    value: (i) => (days(i) < 40 ? -1000 : days(i) < 60 ? -1000 + 6 * (days(i) - 40) : -700),
    noise: 5,
    seed: 8,
  });
}

function runWithScores(set: StreamDetectorSet, readings: readonly ObservedReading[]) {
  const findings: Finding[] = [];
  const scores: number[] = [];
  for (const r of readings) {
    findings.push(...set.checkOffline(r.ts), ...set.update(r));
    scores.push(set.lastScore);
  }
  return { findings, scores };
}

describe('snapshot / restore', () => {
  const cases: [string, string, () => ObservedReading[]][] = [
    ['coating_thickness_um', 'DFT with damage, acceleration, spike, stuck, suspect, recoat', eventfulDft],
    ['cp_potential_mv', 'CP failing', eventfulCp],
    [
      'metal_loss_um',
      'ER onset',
      () =>
        makeSeries({
          metric: 'metal_loss_um',
          count: 80 * 24,
          value: (i) => 10 + (days(i) > 30 ? 0.6 * (days(i) - 30) : 0.02 * days(i)),
          noise: 0.2,
          seed: 9,
        }),
    ],
    [
      'widget_rpm',
      'generic',
      () =>
        makeSeries({
          metric: 'widget_rpm',
          count: 60 * 24,
          value: (i) => (i % 700 < 350 ? 1500 : 1700),
          noise: 10,
          seed: 10,
        }),
    ],
  ];

  for (const [metric, name, make] of cases) {
    it(`a restored detector gives exactly the findings and scores of one that never stopped (${name})`, () => {
      const readings = make();
      // Gaps so that the offline state also crosses the snapshot.
      const gapped = readings.map((r, i) => (i > readings.length / 2 ? { ...r, ts: r.ts + 8 * HOUR } : r));
      const config = buildStreamConfig(metric, PROFILE);
      const reference = runWithScores(new StreamDetectorSet('dev-1', config), gapped);
      expect(reference.findings.length).toBeGreaterThan(0);
      // Findings are plain JSON (what the alert store and the events endpoint will carry).
      expect(JSON.parse(JSON.stringify(reference.findings))).toEqual(reference.findings);

      const random = rng(metric.length * 31);
      const cuts = [1, 23, 24, 25, Math.floor(gapped.length / 2), gapped.length - 1];
      for (let k = 0; k < 6; k++) cuts.push(Math.floor(random() * gapped.length));
      for (const cut of cuts) {
        const first = new StreamDetectorSet('dev-1', config);
        const head = runWithScores(first, gapped.slice(0, cut));
        const persisted = JSON.parse(JSON.stringify(first.snapshot())) as StreamSnapshot;
        const restored = StreamDetectorSet.fromSnapshot('dev-1', config, persisted);
        expect(restored.snapshot()).toEqual(first.snapshot());
        const tail = runWithScores(restored, gapped.slice(cut));
        expect([...head.findings, ...tail.findings]).toEqual(reference.findings);
        expect([...head.scores, ...tail.scores]).toEqual(reference.scores);
      }
    });
  }

  it('refuses a snapshot of another metric or version', () => {
    const dft = new StreamDetectorSet('dev-1', buildStreamConfig('coating_thickness_um', PROFILE));
    const cp = new StreamDetectorSet('dev-1', buildStreamConfig('cp_potential_mv', PROFILE));
    expect(() => cp.restore(dft.snapshot())).toThrow(/metric coating_thickness_um, not cp_potential_mv/);
    expect(() => dft.restore({ ...dft.snapshot(), v: 99 })).toThrow(/version 99/);
  });
});

describe('bounded state', () => {
  for (const metric of [...Object.keys(HEALTHY)]) {
    it(`${metric}: serialised state stays under 2 KB after 100 000 readings, whatever the values`, () => {
      const set = new StreamDetectorSet('dev-1', buildStreamConfig(metric, PROFILE));
      const random = rng(5);
      const spec = HEALTHY[metric]!;
      let ts = T0;
      let maxLength = 0;
      for (let i = 0; i < 100_000; i++) {
        // Irregular intervals and full-precision values: the worst case for the JSON size.
        ts += HOUR + Math.floor(random() * 600_000);
        const value = spec.value(i) + spec.noise * (random() - 0.5) * 3 + (random() < 0.001 ? spec.noise * 40 : 0);
        set.update({ deviceId: 'dev-1', metric, ts, value });
        if (i % 9973 === 0 || i === 99_999) maxLength = Math.max(maxLength, JSON.stringify(set.snapshot()).length);
      }
      expect(maxLength).toBeLessThanOrEqual(2048);
    });
  }
});

describe('ordering policy', () => {
  it('ignores and counts duplicate and late readings without changing any detector state', () => {
    const config = buildStreamConfig('coating_thickness_um', PROFILE);
    const readings = makeSeries({ metric: 'coating_thickness_um', count: 200, value: () => 320, noise: 2, seed: 12 });
    const set = new StreamDetectorSet('dev-1', config);
    feed(set, readings);
    const before = set.snapshot();
    const last = readings[readings.length - 1]!;
    expect(set.update({ ...last, value: 100 })).toEqual([]);
    expect(set.update({ ...readings[150]!, value: 100 })).toEqual([]);
    expect(set.update({ ...last, ts: last.ts + HOUR, value: Number.NaN })).toEqual([]);
    expect(set.readingCounts).toEqual([200, 1, 1, 1]);
    expect({ ...set.snapshot(), c: before.c }).toEqual(before);
    expect(set.lastScore).toBe(0);
  });

  it('judges a backlog uploaded after days offline exactly as the same readings live', () => {
    const config = buildStreamConfig('cp_potential_mv', PROFILE);
    const readings = eventfulCp();
    const live = new StreamDetectorSet('dev-1', config);
    const liveFindings = feed(live, readings);
    // Same readings, delivered in two bursts with the wall-clock far ahead: event time decides, not arrival.
    const burst = new StreamDetectorSet('dev-1', config);
    const burstFindings = [...feed(burst, readings.slice(0, 1000)), ...feed(burst, readings.slice(1000))];
    expect(burstFindings).toEqual(liveFindings);
  });
});

it('sensitivity: a lower multiplier silences a marginal spike, a higher one reports it', () => {
  const readings = makeSeries({
    metric: 'pump_pressure_bar',
    count: 300,
    value: () => 6,
    noise: 0.05,
    seed: 13,
    decimals: 3,
  });
  readings[200] = { ...readings[200]!, value: 6.4 }; // about 8 sigma
  const spikes = (s: number) =>
    feed(new StreamDetectorSet('dev-1', buildStreamConfig('pump_pressure_bar'), s), readings).filter(
      (f) => f.kind === 'spike',
    );
  expect(spikes(1)).toHaveLength(1);
  expect(spikes(0.5)).toHaveLength(0);
  const set = new StreamDetectorSet('dev-1', buildStreamConfig('pump_pressure_bar'));
  set.sensitivity = 100;
  expect(set.sensitivity).toBe(4);
});
