import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { insertionSort, madInPlace, madOfSorted, medianInPlace, medianOfSorted, replaceSorted } from './order-stats.js';
import { rng } from './test-support/series.js';

/**
 * Equal as numbers, bit for bit, except that a zero may come out as +0 where simple-statistics gives -0 (or
 * the reverse) when the data hold both: which of two equal values lands in the middle depends on the
 * selection algorithm. Every use of these statistics is a subtraction, a comparison or JSON (which writes
 * both as 0), so the sign of a zero median is not observable.
 */
function same(got: number, want: number): void {
  expect(got + 0).toBe(want + 0);
}

/** Random samples of awkward kinds: continuous, heavy ties (quantised), constant, with outliers. */
function samples(seed: number, count: number): number[][] {
  const u = rng(seed);
  const out: number[][] = [];
  for (let s = 0; s < count; s++) {
    const n = 1 + Math.floor(u() * (s % 3 === 0 ? 500 : 70));
    const kind = s % 4;
    const values: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = (u() - 0.5) * 1000;
      if (kind === 0) values.push(x);
      else if (kind === 1) values.push(Math.round(x / 100) * 0.1);
      else if (kind === 2) values.push(42.125);
      else values.push(u() < 0.1 ? x * 1e6 : Math.round(x * 1000) / 1000);
    }
    out.push(values);
  }
  return out;
}

describe('order statistics (same results as simple-statistics)', () => {
  it('medianInPlace equals median, bit for bit', () => {
    for (const values of samples(1, 600)) {
      const a = Float64Array.from(values);
      same(medianInPlace(a, values.length), median(values));
    }
  });

  it('madInPlace equals medianAbsoluteDeviation, bit for bit', () => {
    for (const values of samples(2, 600)) {
      const a = Float64Array.from(values);
      const scratch = new Float64Array(values.length);
      same(madInPlace(a, values.length, scratch), medianAbsoluteDeviation(values));
    }
  });

  it('medianOfSorted and madOfSorted work on a prefix of a larger sorted buffer', () => {
    for (const values of samples(3, 300)) {
      const n = values.length;
      const a = new Float64Array(n + 5).fill(1e300);
      a.set(values);
      insertionSort(a, n);
      expect(Array.from(a.subarray(0, n))).toEqual([...values].sort((x, y) => x - y));
      const m = medianOfSorted(a, n);
      same(m, median(values));
      same(madOfSorted(a, n, m), medianAbsoluteDeviation(values));
    }
  });

  it('handles the smallest inputs', () => {
    expect(medianInPlace(Float64Array.of(3), 1)).toBe(3);
    expect(medianInPlace(Float64Array.of(3, 1), 2)).toBe(2);
    expect(madInPlace(Float64Array.of(5), 1, new Float64Array(1))).toBe(0);
    expect(madInPlace(Float64Array.of(1, 4), 2, new Float64Array(2))).toBe(medianAbsoluteDeviation([1, 4]));
  });
});

describe('replaceSorted', () => {
  it('keeps a sliding window sorted, equal to sorting it afresh', () => {
    const u = rng(4);
    for (const quantum of [0, 0.5, 5]) {
      const size = 24;
      const window: number[] = [];
      const sorted = new Float64Array(size);
      for (let i = 0; i < 3000; i++) {
        const raw = (u() - 0.5) * 40 + (u() < 0.05 ? 500 : 0);
        const value = quantum === 0 ? raw : Math.round(raw / quantum) * quantum;
        if (window.length < size) {
          window.push(value);
          sorted.set(window);
          insertionSort(sorted, window.length);
          continue;
        }
        replaceSorted(sorted, size, window.shift()!, value);
        window.push(value);
        // As multisets of numbers (+0 and -0 are the same number; see `same`).
        expect(Array.from(sorted, (x) => x + 0)).toEqual(window.map((x) => x + 0).sort((a, b) => a - b));
        same(medianOfSorted(sorted, size), median(window));
      }
    }
  });
});
