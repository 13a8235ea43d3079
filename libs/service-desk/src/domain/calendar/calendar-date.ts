import { z } from 'zod';
import { MS_PER_DAY } from '../shared/time.js';

/**
 * A calendar date without a time zone, `YYYY-MM-DD` (ISO 8601 extended date). Holidays, warranty dates and
 * preventive-plan dates are calendar dates: what they mean as instants depends on a time zone, applied elsewhere.
 *
 * Internally a date is an "epoch day": whole days since 1970-01-01. The arithmetic below uses Date.UTC only as a
 * proleptic Gregorian calculator, never as "the current time".
 */
export type CalendarDate = string;

export const CalendarDateSchema = z.iso.date().describe('calendar date, YYYY-MM-DD');

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface DateParts {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number; // 1-31
}

export function parseCalendarDate(date: CalendarDate): DateParts {
  const match = DATE_PATTERN.exec(date);
  if (match === null) throw new RangeError(`"${date}" is not a calendar date (YYYY-MM-DD)`);
  const parts = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (formatCalendarDate(epochDayFromParts(parts)) !== date) {
    throw new RangeError(`"${date}" is not a valid calendar date`);
  }
  return parts;
}

export function epochDayFromParts(parts: DateParts): number {
  return Math.floor(Date.UTC(parts.year, parts.month - 1, parts.day) / MS_PER_DAY);
}

export function epochDay(date: CalendarDate): number {
  return epochDayFromParts(parseCalendarDate(date));
}

export function partsFromEpochDay(day: number): DateParts {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function formatCalendarDate(day: number): CalendarDate {
  const { year, month, day: dom } = partsFromEpochDay(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(dom).padStart(2, '0')}`;
}

/** ISO weekday of an epoch day: 1 = Monday ... 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return formatCalendarDate(epochDay(date) + days);
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return epochDay(b) - epochDay(a);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Adds calendar months, clamping to the last day of a shorter month (Jan 31 + 1 month = Feb 28/29), as
 * date libraries and spreadsheets do. Callers that repeat a monthly step must add k*N months to the ORIGINAL
 * date rather than chain steps, or Jan 31 drifts to the 28th for ever.
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const { year, month, day } = parseCalendarDate(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  const targetDay = Math.min(day, daysInMonth(targetYear, targetMonth));
  return formatCalendarDate(epochDayFromParts({ year: targetYear, month: targetMonth, day: targetDay }));
}
