import { describe, expect, it } from 'vitest';
import { ExpiringCache } from './expiring-cache.js';

describe('ExpiringCache', () => {
  it('answers a value until its time is up', () => {
    let now = 1000;
    const cache = new ExpiringCache<string, number>(5000, 10, () => now);
    cache.set('a', 1);
    now += 4999;
    expect(cache.get('a')).toBe(1);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('drops the oldest entry when full', () => {
    const cache = new ExpiringCache<string, number>(5000, 2, () => 0);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    expect(cache.get('c')).toBe(3);
  });

  it('forgets everything on clear', () => {
    const cache = new ExpiringCache<string, number>(5000, 2, () => 0);
    cache.set('a', 1);
    cache.clear();
    expect(cache.get('a')).toBeUndefined();
  });

  it('refuses a useless configuration', () => {
    expect(() => new ExpiringCache(0, 1, () => 0)).toThrow(/positive/);
  });
});
