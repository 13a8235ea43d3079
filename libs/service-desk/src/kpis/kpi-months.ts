import { addMonths, epochDay, instantOfLocalTime, localDate } from '../domain/index.js';

export interface MonthBuckets {
  /** `YYYY-MM` of each bucket. */
  readonly labels: readonly string[];
  /** Instant each month starts at in the zone (local midnight of its 1st): bucket i is [starts[i], starts[i+1]). */
  readonly starts: readonly number[];
}

/**
 * The local months (in `timeZone`) that [from, to) touches, as instants, so that SQL can bucket timestamps with
 * width_bucket exactly as the domain cuts months (localDate of the instant), with no time-zone database in SQL.
 */
export function monthBuckets(from: number, to: number, timeZone: string): MonthBuckets {
  const labels: string[] = [];
  const starts: number[] = [];
  let first = `${localDate(from, timeZone).slice(0, 7)}-01`;
  const last = localDate(Math.max(from, to - 1), timeZone).slice(0, 7);
  for (;;) {
    labels.push(first.slice(0, 7));
    starts.push(instantOfLocalTime(epochDay(first), 0, timeZone));
    if (first.slice(0, 7) >= last) break;
    first = addMonths(first, 1);
  }
  return { labels, starts };
}
