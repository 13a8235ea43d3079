import { describe, expect, it } from 'vitest';
import { StreamRegistry } from './stream-registry.js';

describe('StreamRegistry', () => {
  it('remembers stream ids and high-water marks per (device, metric)', () => {
    const r = new StreamRegistry();
    r.set('d1', 'battery_v', { id: 1, maxTs: 10 });
    r.set('d1', 'humidity_pct', { id: 2, maxTs: -Infinity });
    expect(r.get('d1', 'battery_v')).toEqual({ id: 1, maxTs: 10 });
    expect(r.get('d1', 'humidity_pct')?.id).toBe(2);
    expect(r.get('d2', 'battery_v')).toBeUndefined();
  });

  it('keeps device and metric apart (no ambiguous key joins)', () => {
    const r = new StreamRegistry();
    r.set('a_b', 'c', { id: 1, maxTs: 0 });
    expect(r.get('a', 'b_c')).toBeUndefined();
  });

  it('stays bounded by forgetting the oldest half', () => {
    const r = new StreamRegistry(10);
    for (let i = 0; i < 25; i++) r.set(`d${i}`, 'm', { id: i, maxTs: 0 });
    expect(r.size).toBeLessThanOrEqual(10);
    expect(r.get('d24', 'm')?.id).toBe(24);
    expect(r.get('d0', 'm')).toBeUndefined();
  });
});
