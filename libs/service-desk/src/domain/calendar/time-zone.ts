import { formatCalendarDate, type CalendarDate } from './calendar-date.js';
import { MS_PER_DAY, MS_PER_MINUTE, MS_PER_SECOND } from '../shared/time.js';

/**
 * Time-zone arithmetic without a time-zone package.
 *
 * A zone is an IANA name ("Europe/Oslo", "Asia/Shanghai", "UTC") or a fixed offset ("+03:00"), both understood
 * by the ICU data built into Node (full-icu is the default since Node 13). The only primitive we use is
 * Intl.DateTimeFormat#formatToParts: it tells the local wall time of an instant, hence the zone's UTC offset at
 * that instant. The reverse (local wall time -> instant) is solved by trying the offsets in force a day before
 * and a day after, which is exact as long as a zone changes its offset at most once within two days (true of
 * every zone in the tz database).
 *
 * Ambiguous and skipped wall times follow the "compatible" rule of TC39 Temporal (and of most calendars):
 * - a wall time repeated when clocks go back resolves to its EARLIER instant;
 * - a wall time skipped when clocks go forward resolves as if the old offset still applied, i.e. it is pushed
 *   forward by the length of the gap (02:30 on a spring-forward night in Europe/Oslo is 03:30 CEST).
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Node's ICU knows the zone; used by the calendar schema to reject a typo with a clear message. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface ZonedWallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

export function wallTimeOf(instant: number, timeZone: string): ZonedWallTime {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const millisecond = ((instant % MS_PER_SECOND) + MS_PER_SECOND) % MS_PER_SECOND;
  return {
    year: fields.year ?? Number.NaN,
    month: fields.month ?? Number.NaN,
    day: fields.day ?? Number.NaN,
    hour: fields.hour ?? Number.NaN,
    minute: fields.minute ?? Number.NaN,
    second: fields.second ?? Number.NaN,
    millisecond,
  };
}

/** The zone's offset from UTC at an instant, in ms (east positive: Asia/Shanghai = +8 h). */
export function offsetAt(instant: number, timeZone: string): number {
  const w = wallTimeOf(instant, timeZone);
  const wallAsUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);
  return wallAsUtc - instant;
}

/**
 * Offsets per zone and UTC hour, for bulk questions (the local month of 100 000 work orders). An hour whose
 * start and end share an offset has that offset throughout: no zone changes its offset twice within an hour.
 * An hour holding a transition is marked null and answered exactly. Bounded, so a long-running process that
 * asks about many distinct hours does not grow without limit.
 */
const HOUR_MS = 3_600_000;
const MAX_CACHED_HOURS = 200_000;
const hourlyOffsets = new Map<string, Map<number, number | null>>();

function cachedOffsetAt(instant: number, timeZone: string): number {
  let zone = hourlyOffsets.get(timeZone);
  if (zone === undefined) {
    zone = new Map();
    hourlyOffsets.set(timeZone, zone);
  }
  const hour = Math.floor(instant / HOUR_MS);
  let offset = zone.get(hour);
  if (offset === undefined) {
    const atStart = offsetAt(hour * HOUR_MS, timeZone);
    offset = atStart === offsetAt((hour + 1) * HOUR_MS - 1, timeZone) ? atStart : null;
    if (zone.size >= MAX_CACHED_HOURS) zone.clear();
    zone.set(hour, offset);
  }
  return offset ?? offsetAt(instant, timeZone);
}

/** The local calendar date of an instant, as an epoch day. */
export function localEpochDay(instant: number, timeZone: string): number {
  return Math.floor((instant + cachedOffsetAt(instant, timeZone)) / MS_PER_DAY);
}

/** The local calendar date of an instant, `YYYY-MM-DD`. */
export function localDate(instant: number, timeZone: string): CalendarDate {
  return formatCalendarDate(localEpochDay(instant, timeZone));
}

/**
 * The instant at which the local wall clock of `timeZone` shows `minuteOfDay` (0-1440; 1440 = the next
 * midnight) on the local date `epochDay`. See the module comment for skipped / repeated wall times.
 */
export function instantOfLocalTime(epochDay: number, minuteOfDay: number, timeZone: string): number {
  const wallAsUtc = epochDay * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  const before = offsetAt(wallAsUtc - MS_PER_DAY, timeZone);
  const after = offsetAt(wallAsUtc + MS_PER_DAY, timeZone);
  const valid = [before, after]
    .map((offset) => wallAsUtc - offset)
    .filter((instant) => offsetAt(instant, timeZone) === wallAsUtc - instant);
  if (valid.length > 0) return Math.min(...valid);
  // Skipped by a forward jump: keep the offset in force before the gap.
  return wallAsUtc - before;
}
