import { describe, expect, it } from 'vitest';
import { RingBuffer } from './ring-buffer.js';

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

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(/positive integer/);
  });
});
