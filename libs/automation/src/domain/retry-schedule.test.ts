import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './retry-schedule.js';

describe('retry schedule', () => {
  const schedule = { attempts: 5, baseDelayMs: 100, maxDelayMs: 500 };

  it('doubles the delay up to its ceiling, and stops after the last attempt', () => {
    expect([1, 2, 3, 4, 5].map((a) => retryDelayMs(schedule, a, 1))).toEqual([100, 200, 400, 500, null]);
  });

  it('spreads retries over the upper half of each delay', () => {
    expect(retryDelayMs(schedule, 2, 0)).toBe(100);
    expect(retryDelayMs(schedule, 2, 0.5)).toBe(150);
    expect(retryDelayMs(schedule, 2, 7)).toBe(200);
  });
});
