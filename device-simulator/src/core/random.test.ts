import { describe, expect, it } from 'vitest';
import { hashSeed, Rng } from './random.js';

describe('Rng', () => {
  it('gives the same sequence for the same seed and labels', () => {
    const a = Rng.fork(7, 'sensor', 3);
    const b = Rng.fork(7, 'sensor', 3);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
  });

  it('gives independent streams for other labels or seeds', () => {
    const first = (r: Rng) => Array.from({ length: 5 }, () => r.next());
    expect(first(Rng.fork(7, 'sensor', 3))).not.toEqual(first(Rng.fork(7, 'sensor', 4)));
    expect(first(Rng.fork(7, 'sensor', 3))).not.toEqual(first(Rng.fork(8, 'sensor', 3)));
    expect(hashSeed('a')).not.toBe(hashSeed('b'));
  });

  it('draws inside the asked ranges', () => {
    const r = Rng.fork(1, 'ranges');
    for (let i = 0; i < 5000; i++) {
      const u = r.uniform(-2, 3);
      expect(u).toBeGreaterThanOrEqual(-2);
      expect(u).toBeLessThan(3);
      const n = r.int(1, 3);
      expect([1, 2, 3]).toContain(n);
    }
  });

  it('has a normal distribution with the asked mean and deviation', () => {
    const r = Rng.fork(1, 'normal');
    const xs = Array.from({ length: 20000 }, () => r.normal(10, 2));
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length);
    expect(m).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
  });

  it('never draws a key of weight 0 and follows the weights', () => {
    const r = Rng.fork(1, 'weights');
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 10000; i++) counts[r.weighted({ a: 1, b: 3, c: 0 })]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.5);
    expect(counts.b / counts.a).toBeLessThan(3.5);
  });
});
