import { describe, expect, it } from 'vitest';
import { roundSig } from './robust-stats.js';

/** roundSig as it was first written: the exponent from Math.log10. */
function byLog10(x: number, digits = 8): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const k = digits - 1 - Math.floor(Math.log10(Math.abs(x)));
  return k >= 0 ? Math.round(x * 10 ** k) / 10 ** k : Math.round(x / 10 ** -k) * 10 ** -k;
}

describe('roundSig', () => {
  it('rounds to significant digits, giving the double nearest the short decimal', () => {
    expect(roundSig(1003.8315123)).toBe(1003.8315);
    expect(roundSig(-0.0812345678)).toBe(-0.081234568);
    expect(roundSig(26.2094031)).toBe(26.209403);
    expect(roundSig(123_456_789_012)).toBe(123_456_790_000);
    expect(roundSig(1 / 3, 3)).toBe(0.333);
    expect(String(roundSig(0.1 + 0.2))).toBe('0.3');
  });

  it('leaves zero, infinities and NaN as they are', () => {
    expect(roundSig(0)).toBe(0);
    expect(roundSig(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(roundSig(Number.NaN)).toBeNaN();
  });

  it('agrees with the exponent from Math.log10 at and around every power of ten, and on random values', () => {
    const values: number[] = [];
    for (let e = -18; e <= 18; e++) {
      const power = Number(`1e${e}`);
      for (const factor of [1, 1 + 2 ** -52, 1 - 2 ** -53, 1 + 1e-12, 1 - 1e-12, 0.99999999, 9.9999999, 5])
        values.push(power * factor, -power * factor);
    }
    let seed = 7;
    const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
    for (let i = 0; i < 20_000; i++) values.push((random() - 0.5) * 10 ** Math.floor(random() * 36 - 18));
    for (const x of values) expect(Object.is(roundSig(x), byLog10(x)), String(x)).toBe(true);
  });
});
