import { describe, expect, it } from 'vitest';
import { RingBuffer, type RingSnapshot } from './ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps the newest `capacity` entries, oldest first', () => {
    const ring = new RingBuffer(3);
    for (let i = 1; i <= 5; i++) ring.push(i * 10, i);
    expect(ring.size).toBe(3);
    expect(ring.recentValues()).toEqual([3, 4, 5]);
    expect(ring.recentTimes()).toEqual([30, 40, 50]);
    expect(ring.recentValues(2)).toEqual([4, 5]);
    expect(ring.lastValue()).toBe(5);
  });

  it('keepLast forgets the older entries', () => {
    const ring = new RingBuffer(4);
    for (let i = 1; i <= 6; i++) ring.push(i, i);
    ring.keepLast(2);
    expect(ring.recentValues()).toEqual([5, 6]);
    ring.push(7, 7);
    expect(ring.recentValues()).toEqual([5, 6, 7]);
  });

  it('after keepLast, the values for order-free statistics are the live ones (also wrapped), as after a restore', () => {
    const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
    const r = new RingBuffer(6);
    for (let i = 1; i <= 8; i++) r.push(i, i); // full: 3..8, storage starts at index 2
    r.keepLast(3); // live: 6, 7, 8
    expect(sorted(r.unorderedValues())).toEqual([6, 7, 8]);
    const restored = new RingBuffer(6);
    restored.restore(JSON.parse(JSON.stringify(r.snapshot())) as ReturnType<RingBuffer['snapshot']>);
    expect(sorted(restored.unorderedValues())).toEqual(sorted(r.unorderedValues()));
    // Growing again past the end of storage wraps: still exactly the live values.
    r.push(9, 9);
    r.push(10, 10);
    expect(sorted(r.unorderedValues())).toEqual([6, 7, 8, 9, 10]);
    expect(sorted(r.unorderedValues())).toEqual(sorted(r.recentValues()));
  });

  it('writes a regular series compactly and restores it exactly', () => {
    const ring = new RingBuffer(5);
    for (let i = 0; i < 7; i++) ring.push(1_800_000_000_000 + i * 3_600_000, i + 0.1);
    const snap = ring.snapshot();
    expect(snap.t).toEqual([1_800_000_000_000 + 2 * 3_600_000, 3_600_000, 0, 0, 0]);
    const copy = new RingBuffer(5);
    copy.restore(JSON.parse(JSON.stringify(snap)));
    expect(copy.recentTimes()).toEqual(ring.recentTimes());
    expect(copy.recentValues()).toEqual(ring.recentValues());
  });

  it('restores irregular and non-increasing times exactly', () => {
    const ring = new RingBuffer(6);
    for (const t of [100, 250, 400, 400, 390, 1000]) ring.push(t, t / 10);
    const copy = new RingBuffer(6);
    copy.restore(JSON.parse(JSON.stringify(ring.snapshot())));
    expect(copy.recentTimes()).toEqual([100, 250, 400, 400, 390, 1000]);
  });

  it('restores into a smaller ring keeping the newest entries', () => {
    const ring = new RingBuffer(5);
    for (let i = 0; i < 5; i++) ring.push(i * 7, i);
    const small = new RingBuffer(2);
    small.restore(ring.snapshot());
    expect(small.recentValues()).toEqual([3, 4]);
    expect(small.recentTimes()).toEqual([21, 28]);
  });

  const roundTrip = (ring: RingBuffer) => {
    const copy = new RingBuffer(ring.capacity);
    copy.restore(JSON.parse(JSON.stringify(ring.snapshot())) as RingSnapshot);
    return copy;
  };

  it('writes readings of a few decimals as integer differences and restores every value exactly', () => {
    const ring = new RingBuffer(4);
    for (const [i, v] of [-1000, -1003.831, -998.214, -1001.5].entries()) ring.push(i, v);
    const snap = ring.snapshot();
    expect(snap).toMatchObject({ v: [-1000000, -3831, 5617, -3286], d: 3, dv: 1 });
    expect(roundTrip(ring).recentValues()).toEqual([-1000, -1003.831, -998.214, -1001.5]);
  });

  it('writes values that jump about as integers without differences, when that is shorter', () => {
    const ring = new RingBuffer(4);
    for (const [i, v] of [2.19, -3.36, 3.67, -0.11].entries()) ring.push(i, v);
    const snap = ring.snapshot();
    expect(snap.v).toEqual([219, -336, 367, -11]);
    expect(snap.d).toBe(2);
    expect(snap.dv).toBeUndefined();
    expect(roundTrip(ring).recentValues()).toEqual([2.19, -3.36, 3.67, -0.11]);
  });

  it('writes values as they are when they have too many decimals or are not finite', () => {
    const thirds = new RingBuffer(2);
    thirds.push(1, 1 / 3);
    thirds.push(2, 0.5);
    expect(thirds.snapshot()).toMatchObject({ v: [1 / 3, 0.5] });
    expect(thirds.snapshot().d).toBeUndefined();
    expect(roundTrip(thirds).recentValues()).toEqual([1 / 3, 0.5]);
    const gap = new RingBuffer(2);
    gap.push(1, Number.NaN);
    gap.push(2, 4.2);
    expect(gap.snapshot().d).toBeUndefined();
    expect(roundTrip(gap).recentValues()).toEqual([Number.NaN, 4.2]);
  });

  it('gives back exactly any series of decimals (1 000 random series of 0 to 6 decimals)', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let n = 0; n < 1000; n++) {
      const decimals = Math.floor(random() * 7);
      const magnitude = 10 ** Math.floor(random() * 6 - 2);
      const ring = new RingBuffer(8);
      for (let i = 0; i < 8; i++) {
        // As a reading arrives: the double nearest a decimal of that many places (parsed from its JSON).
        ring.push(i, Number(((random() - 0.3) * magnitude).toFixed(decimals)));
      }
      const copy = roundTrip(ring);
      for (let i = 0; i < 8; i++)
        expect(Object.is(copy.valueAt(i), ring.valueAt(i) === 0 ? 0 : ring.valueAt(i))).toBe(true);
    }
  });

  it('restores a snapshot written before values were compacted (no `d`)', () => {
    const ring = new RingBuffer(3);
    ring.restore({ t: [1000, 3600, 0], v: [-993.53, -987.5, -982.322] });
    expect(ring.recentValues()).toEqual([-993.53, -987.5, -982.322]);
    expect(ring.recentTimes()).toEqual([1000, 4600, 8200]);
  });

  it('rejects a snapshot whose decimals are out of range', () => {
    expect(() => new RingBuffer(2).restore({ t: [1], v: [5], d: 9 })).toThrow(/d must be an integer/);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});
