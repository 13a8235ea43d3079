import { describe, expect, it } from 'vitest';
import { afterFailedAttempt, DEFAULT_RETRY_POLICY, maxDelayAfter, type RetryPolicy } from './retry-policy.js';

const middle = () => 0.5;

describe('webhook retry policy', () => {
  it('follows the nominal schedule without jitter: 10 s, 30 s, 2 min ... 8 h', () => {
    const delays = DEFAULT_RETRY_POLICY.delaysMs.map((_, i) => afterFailedAttempt(i + 1, DEFAULT_RETRY_POLICY, middle));
    expect(delays).toEqual(
      [10, 30, 120, 600, 1800, 3600, 7200, 14_400, 28_800, 28_800].map((s) => ({ kind: 'retry', delayMs: s * 1000 })),
    );
  });

  it('gives up (dead) after 11 attempts spread over about a day', () => {
    expect(afterFailedAttempt(11, DEFAULT_RETRY_POLICY, middle)).toEqual({ kind: 'dead' });
    expect(afterFailedAttempt(50, DEFAULT_RETRY_POLICY, middle)).toEqual({ kind: 'dead' });
    const total = DEFAULT_RETRY_POLICY.delaysMs.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(23 * 3600_000);
    expect(total).toBeLessThanOrEqual(24 * 3600_000);
  });

  it('draws the delay within ±20 % of nominal, from the random source', () => {
    expect(afterFailedAttempt(1, DEFAULT_RETRY_POLICY, () => 0)).toEqual({ kind: 'retry', delayMs: 8000 });
    expect(afterFailedAttempt(1, DEFAULT_RETRY_POLICY, () => 0.999_999)).toEqual({ kind: 'retry', delayMs: 12_000 });
    expect(afterFailedAttempt(2, DEFAULT_RETRY_POLICY, () => 0.25)).toEqual({ kind: 'retry', delayMs: 27_000 });
    expect(maxDelayAfter(1, DEFAULT_RETRY_POLICY)).toBe(12_000);
    expect(maxDelayAfter(3, DEFAULT_RETRY_POLICY)).toBe(144_000);
  });

  it('grows monotonically even at the worst jitter draws', () => {
    for (let attempt = 1; attempt < DEFAULT_RETRY_POLICY.delaysMs.length - 1; attempt++) {
      const high = afterFailedAttempt(attempt, DEFAULT_RETRY_POLICY, () => 0.999_999);
      const low = afterFailedAttempt(attempt + 1, DEFAULT_RETRY_POLICY, () => 0);
      expect(high.kind === 'retry' && low.kind === 'retry' && high.delayMs <= low.delayMs).toBe(true);
    }
  });

  it('accepts a custom schedule and refuses a nonsense attempt count', () => {
    const policy: RetryPolicy = { delaysMs: [1000], jitter: 0 };
    expect(afterFailedAttempt(1, policy, Math.random)).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(afterFailedAttempt(2, policy, Math.random)).toEqual({ kind: 'dead' });
    expect(() => afterFailedAttempt(0, policy, Math.random)).toThrow(/positive integer/);
    expect(() => maxDelayAfter(2, policy)).toThrow(/no retry/);
  });
});
