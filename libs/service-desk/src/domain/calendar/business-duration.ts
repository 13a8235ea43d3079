import { compileCalendar } from './business-calendar.js';
import type { BusinessCalendar } from './business-calendar.schema.js';

/**
 * Walking day by day must end: a calendar always has a working weekday (schema rule) but could list holidays
 * for decades. Twenty years of days bounds every loop; beyond that the calendar is considered broken.
 */
const MAX_DAYS_SCANNED = 20 * 366;

/**
 * The instant at which `durationMs` of business time has elapsed after `start`: the EARLIEST instant t with
 * businessDurationBetween(start, t) === durationMs. So a zero duration returns `start` itself (even outside
 * working hours), and a duration that ends exactly at a closing time returns that closing time, not the next
 * opening.
 */
export function addBusinessDuration(start: number, durationMs: number, calendar: BusinessCalendar): number {
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a finite number >= 0, got ${durationMs}`);
  }
  if (durationMs === 0) return start;
  const cal = compileCalendar(calendar);
  let remaining = durationMs;
  const firstDay = cal.dayOf(start);
  for (let day = firstDay; day < firstDay + MAX_DAYS_SCANNED; day++) {
    for (const interval of cal.intervalsOn(day)) {
      if (interval.end <= start) continue;
      const from = Math.max(interval.start, start);
      const available = interval.end - from;
      if (remaining <= available) return from + remaining;
      remaining -= available;
    }
  }
  throw new RangeError(`the business calendar has no working time in the ${MAX_DAYS_SCANNED} days after ${start}`);
}

/**
 * Business time between two instants: the length of [a, b] that lies inside working intervals.
 * Signed: negative when b is before a, so `addBusinessDuration(a, businessDurationBetween(a, b))` inverts.
 */
export function businessDurationBetween(a: number, b: number, calendar: BusinessCalendar): number {
  if (b < a) return -businessDurationBetween(b, a, calendar);
  const cal = compileCalendar(calendar);
  let total = 0;
  const lastDay = cal.dayOf(b);
  for (let day = cal.dayOf(a); day <= lastDay; day++) {
    for (const interval of cal.intervalsOn(day)) {
      const from = Math.max(interval.start, a);
      const to = Math.min(interval.end, b);
      if (to > from) total += to - from;
    }
  }
  return total;
}

/**
 * End of business of the n-th working day AFTER the local date of `start` (n >= 1): the reading of "closed
 * within N working days" used by service standards. The day a request arrives is day 0 whatever the hour, a
 * request on Saturday counts from Monday, and the deadline is the closing time of the last working interval
 * of the n-th working day.
 */
export function endOfNthWorkingDay(start: number, n: number, calendar: BusinessCalendar): number {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n must be an integer >= 1, got ${n}`);
  const cal = compileCalendar(calendar);
  let counted = 0;
  const firstDay = cal.dayOf(start) + 1;
  for (let day = firstDay; day < firstDay + MAX_DAYS_SCANNED; day++) {
    const intervals = cal.intervalsOn(day);
    const last = intervals[intervals.length - 1];
    if (last === undefined) continue;
    counted += 1;
    if (counted === n) return last.end;
  }
  throw new RangeError(`the business calendar has no working day in the ${MAX_DAYS_SCANNED} days after ${start}`);
}

/** Whether an instant lies inside working hours (start inclusive, end exclusive). */
export function isWithinBusinessHours(instant: number, calendar: BusinessCalendar): boolean {
  const cal = compileCalendar(calendar);
  return cal.intervalsOn(cal.dayOf(instant)).some((i) => i.start <= instant && instant < i.end);
}
