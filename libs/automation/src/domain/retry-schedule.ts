/** Exponential backoff between attempts at a transient failure (a database hiccup, a concurrent update). */
export interface RetrySchedule {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_SCHEDULE: RetrySchedule = { attempts: 6, baseDelayMs: 250, maxDelayMs: 15_000 };

/**
 * Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed, or null when it was the last.
 * `jitter` in [0, 1) spreads retries of many assets that failed together (full jitter on the upper half).
 */
export function retryDelayMs(schedule: RetrySchedule, attempt: number, jitter = 0.5): number | null {
  if (attempt >= schedule.attempts) return null;
  const ceiling = Math.min(schedule.maxDelayMs, schedule.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * Math.min(1, Math.max(0, jitter)));
}
