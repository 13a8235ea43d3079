/**
 * The generic per-row anomaly score of the replay: in [0, 1], and computed from a row and the rows before
 * it only (no look-ahead).
 */
import { describe, expect, it } from 'vitest';
import { RowScorer, scoreSeries } from './anomaly-score.js';
import { HOUR, T0, makeSeries, rng } from './test-support/series.js';

function series(seed: number, count = 600) {
  return makeSeries({
    metric: 'value',
    count,
    value: (i) => 50 + 5 * Math.sin((2 * Math.PI * i) / 24) + (i > 300 ? 20 : 0),
    noise: 1,
    seed,
  }).map((r) => ({ ts: r.ts, value: r.value }));
}

describe('anomaly_score', () => {
  it('is in [0, 1], low on ordinary rows and high on a spike and a step', () => {
    const points = series(1);
    points[150] = { ...points[150]!, value: 90 };
    const scores = scoreSeries(points);
    expect(scores).toHaveLength(points.length);
    for (const s of scores) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThanOrEqual(1);
    }
    expect(scores[150]).toBeGreaterThan(0.9);
    expect(Math.max(...scores.slice(301, 310))).toBeGreaterThan(0.5);
    const ordinary = scores.slice(30, 140);
    expect(ordinary.filter((s) => s >= 0.5)).toEqual([]);
  });

  it('property: the scores of the first k rows do not change when the rows after k change', () => {
    const random = rng(77);
    for (let trial = 0; trial < 25; trial++) {
      const points = series(trial + 2, 400);
      const k = 1 + Math.floor(random() * (points.length - 2));
      const changed = points.map((p, i) =>
        i <= k
          ? p
          : {
              ts: p.ts + Math.floor(random() * 3) * HOUR,
              value: p.value * (0.2 + 3 * random()) + (random() < 0.1 ? 500 : 0),
            },
      );
      // Also drop and duplicate some rows after k.
      const mutated = changed.filter((_, i) => i <= k || random() > 0.1);
      const original = scoreSeries(points);
      const after = scoreSeries(mutated);
      expect(after.slice(0, k + 1)).toEqual(original.slice(0, k + 1));
    }
  });

  it('scores multi-column rows with the right detectors per column (catalog metric or generic)', () => {
    const scorer = new RowScorer(['coating_thickness_um', 'vibration_mm_s'], {
      nominalDftUm: 300,
      coatingInstalledAt: T0,
    });
    const findings = [];
    let last = 0;
    for (let i = 0; i < 200; i++) {
      const dft = i < 100 ? 330 + Math.sin(i) : 230 + Math.sin(i);
      const { score, findings: f } = scorer.score(T0 + i * HOUR, [dft, i % 50 === 0 ? null : 4 + 0.1 * Math.cos(i)]);
      findings.push(...f);
      last = score;
    }
    expect(findings.map((f) => f.kind)).toContain('coating_damage');
    expect(findings.map((f) => f.kind)).toContain('dft_below_minimum');
    expect(findings.every((f) => f.deviceId === 'replay')).toBe(true);
    // The DFT column is still below 80 % of nominal: the row stays anomalous.
    expect(last).toBeGreaterThanOrEqual(0.5);
  });
});
