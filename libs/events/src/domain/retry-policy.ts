/**
 * When a failed webhook delivery is tried again. The delays grow from seconds (a receiver restarting)
 * to hours (a receiver down for the night) and add up to about a day; after the last one the
 * delivery is dead and waits for an operator. Jitter spreads the retries of many deliveries that
 * failed together (a receiver outage) so they do not all hit the receiver in the same second.
 */
export interface RetryPolicy {
  /** Delay after the 1st, 2nd, ... failed attempt; one attempt more than delays, then dead. */
  readonly delaysMs: readonly number[];
  /** Each delay is drawn uniformly within ±jitter of its nominal value (0 to 1). */
  readonly jitter: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** 10 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h, 8 h: 11 attempts over about 24 h. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  delaysMs: [
    10 * SECOND,
    30 * SECOND,
    2 * MINUTE,
    10 * MINUTE,
    30 * MINUTE,
    HOUR,
    2 * HOUR,
    4 * HOUR,
    8 * HOUR,
    8 * HOUR,
  ],
  jitter: 0.2,
};

export type RetryDecision = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'dead' };

/**
 * What to do after `attempts` attempts (counting the one that just failed) have all failed.
 * `random` is uniform in [0, 1) (Math.random in production, fixed in tests).
 */
export function afterFailedAttempt(attempts: number, policy: RetryPolicy, random: () => number): RetryDecision {
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new Error(`attempts must be a positive integer, got ${attempts}`);
  const nominal = policy.delaysMs[attempts - 1];
  if (nominal === undefined) return { kind: 'dead' };
  const spread = nominal * policy.jitter * (2 * random() - 1);
  return { kind: 'retry', delayMs: Math.max(0, Math.round(nominal + spread)) };
}

/** The longest delay the policy may draw after `attempts` failures (tests advance a frozen clock by it). */
export function maxDelayAfter(attempts: number, policy: RetryPolicy): number {
  const nominal = policy.delaysMs[attempts - 1];
  if (nominal === undefined) throw new Error(`no retry after ${attempts} attempts`);
  return Math.ceil(nominal * (1 + policy.jitter));
}
