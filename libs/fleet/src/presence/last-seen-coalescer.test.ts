import { describe, expect, it } from 'vitest';
import { LastSeenCoalescer } from './last-seen-coalescer.js';

describe('LastSeenCoalescer', () => {
  it('keeps one entry per device, the latest time', () => {
    const c = new LastSeenCoalescer();
    c.note('a', 10);
    c.note('a', 30);
    c.note('a', 20);
    c.note('b', 5);
    expect(c.size).toBe(2);
    expect(c.drain()).toEqual([
      { deviceId: 'a', at: 30 },
      { deviceId: 'b', at: 5 },
    ]);
  });

  it('starts afresh after a drain', () => {
    const c = new LastSeenCoalescer();
    c.note('a', 1);
    c.drain();
    expect(c.size).toBe(0);
    expect(c.drain()).toEqual([]);
  });
});
