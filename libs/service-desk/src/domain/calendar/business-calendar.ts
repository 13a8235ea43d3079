import { epochDay, isoWeekday } from './calendar-date.js';
import { minuteOfDay, WEEKDAYS, type BusinessCalendar } from './business-calendar.schema.js';
import { instantOfLocalTime, localEpochDay } from './time-zone.js';

/** A working interval of one local day as instants: [start, end) in epoch ms. */
export interface InstantInterval {
  readonly start: number;
  readonly end: number;
}

/**
 * A calendar prepared for fast queries: holidays as a set of epoch days and a per-day cache of the working
 * intervals as instants. Converting a local day to instants costs a few Intl calls, and an SLA sweep over
 * thousands of work orders asks about the same few days again and again.
 */
export class CompiledCalendar {
  private readonly holidays: ReadonlySet<number>;
  private readonly minutesByWeekday: ReadonlyArray<ReadonlyArray<readonly [number, number]>>;
  private readonly specialDays: ReadonlyMap<number, ReadonlyArray<readonly [number, number]>>;
  private readonly cache = new Map<number, readonly InstantInterval[]>();

  constructor(readonly calendar: BusinessCalendar) {
    this.holidays = new Set(calendar.holidays.map(epochDay));
    this.minutesByWeekday = WEEKDAYS.map((d) =>
      calendar.workingHours[d].map((i) => [minuteOfDay(i.start), minuteOfDay(i.end)] as const),
    );
    this.specialDays = new Map(
      calendar.specialDays.map((s) => [
        epochDay(s.date),
        s.hours.map((i) => [minuteOfDay(i.start), minuteOfDay(i.end)] as const),
      ]),
    );
  }

  get timeZone(): string {
    return this.calendar.timeZone;
  }

  /** The local date (epoch day) an instant falls on. */
  dayOf(instant: number): number {
    return localEpochDay(instant, this.calendar.timeZone);
  }

  isWorkingDay(day: number): boolean {
    return this.intervalsOn(day).length > 0;
  }

  /**
   * Working intervals of a local day, in order, as instants: a holiday has none, a special day has its own
   * hours, any other day those of its weekday.
   */
  intervalsOn(day: number): readonly InstantInterval[] {
    let intervals = this.cache.get(day);
    if (intervals === undefined) {
      const minutes = this.holidays.has(day)
        ? []
        : (this.specialDays.get(day) ?? this.minutesByWeekday[isoWeekday(day) - 1] ?? []);
      intervals = minutes.map(([from, to]) => ({
        start: instantOfLocalTime(day, from, this.calendar.timeZone),
        end: instantOfLocalTime(day, to, this.calendar.timeZone),
      }));
      this.cache.set(day, intervals);
    }
    return intervals;
  }
}

const compiled = new WeakMap<BusinessCalendar, CompiledCalendar>();

/** The compiled form of a calendar object, built once per object (calendars are treated as immutable). */
export function compileCalendar(calendar: BusinessCalendar): CompiledCalendar {
  let result = compiled.get(calendar);
  if (result === undefined) {
    result = new CompiledCalendar(calendar);
    compiled.set(calendar, result);
  }
  return result;
}
