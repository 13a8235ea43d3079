import type { ReadingsQuery } from '#contracts';
import { parseIsoDateTime } from '../decoding/wire-timestamp.js';

export const DEFAULT_WINDOW_MS = 24 * 3_600_000;
export const DEFAULT_READINGS_LIMIT = 10_000;
/** A bucketed query may not ask for more buckets than this (the response would be unusable). */
export const MAX_BUCKETS = 100_000;

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Longest step: one bucket per year is the coarsest chart anybody draws. */
export const MAX_STEP_MS = 366 * UNIT_MS.d;

/** A query problem, naming the query parameter at fault. */
export class ReadingsQueryError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ReadingsQueryError';
  }
}

export type ReadingsPlan =
  | { readonly kind: 'raw'; readonly from: number; readonly to: number; readonly limit: number }
  | { readonly kind: 'buckets'; readonly from: number; readonly to: number; readonly stepMs: number };

/** Parses a step such as `30s`, `15m`, `1h`, `1d` (format already checked by ReadingsQuerySchema). */
export function parseStep(step: string): number | undefined {
  const m = /^([1-9][0-9]*)(s|m|h|d)$/.exec(step);
  if (!m) return undefined;
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

/**
 * Resolves the time window (both ends inclusive) and the query kind. Without `from` and `to`: the
 * last 24 h; with only one of them, 24 h from or up to it; without `to`, up to now.
 */
export function planReadingsQuery(query: ReadingsQuery, now: number): ReadingsPlan {
  const to = query.to === undefined ? undefined : isoParam('to', query.to);
  const from = query.from === undefined ? undefined : isoParam('from', query.from);
  const end = to ?? now;
  const start = from ?? end - DEFAULT_WINDOW_MS;
  if (start > end)
    throw new ReadingsQueryError('from', `from (${query.from}) must not be after to (${query.to ?? 'now'})`);
  if (query.step === undefined) {
    return { kind: 'raw', from: start, to: end, limit: query.limit ?? DEFAULT_READINGS_LIMIT };
  }
  const stepMs = parseStep(query.step);
  if (stepMs === undefined) throw new ReadingsQueryError('step', 'step must look like 30s, 15m, 1h or 1d');
  if (stepMs > MAX_STEP_MS) throw new ReadingsQueryError('step', `step ${query.step} is longer than 366d`);
  const buckets = Math.floor(end / stepMs) - Math.floor(start / stepMs) + 1;
  if (buckets > MAX_BUCKETS) {
    throw new ReadingsQueryError(
      'step',
      `step ${query.step} would make ${buckets} buckets over this range, at most ${MAX_BUCKETS}: use a longer step or a shorter range`,
    );
  }
  return { kind: 'buckets', from: start, to: end, stepMs };
}

function isoParam(field: 'from' | 'to', value: string): number {
  const ms = parseIsoDateTime(value);
  if (ms === undefined) throw new ReadingsQueryError(field, `${field} must be an ISO 8601 date-time with an offset`);
  return ms;
}
