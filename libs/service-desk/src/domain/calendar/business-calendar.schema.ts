import { z } from 'zod';
import { CalendarDateSchema } from './calendar-date.js';
import { isValidTimeZone } from './time-zone.js';

/** Weekday keys in ISO order (Monday first); index + 1 is the ISO weekday number. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `HH:MM` local wall time, 00:00 to 24:00 (24:00 = end of the day, so a night shift can run to midnight). */
export const TimeOfDaySchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'time of day must be HH:MM between 00:00 and 24:00');

export function minuteOfDay(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

export const WorkingIntervalSchema = z
  .strictObject({ start: TimeOfDaySchema, end: TimeOfDaySchema })
  .refine((i) => minuteOfDay(i.start) < minuteOfDay(i.end), {
    message: 'end must be after start (an interval lies within one local day)',
    path: ['end'],
  });
export type WorkingInterval = z.infer<typeof WorkingIntervalSchema>;

const DayHoursSchema = z
  .array(WorkingIntervalSchema)
  .max(6)
  .refine(
    (intervals) =>
      intervals.every((interval, i) => i === 0 || minuteOfDay(intervals[i - 1]!.end) <= minuteOfDay(interval.start)),
    { message: 'intervals of a day must be in order and must not overlap' },
  );

export const WorkingHoursSchema = z
  .strictObject({
    mon: DayHoursSchema,
    tue: DayHoursSchema,
    wed: DayHoursSchema,
    thu: DayHoursSchema,
    fri: DayHoursSchema,
    sat: DayHoursSchema,
    sun: DayHoursSchema,
  })
  .refine((week) => WEEKDAYS.some((d) => week[d].length > 0), {
    message: 'at least one weekday must have working hours, or no business deadline could ever fall due',
  });
export type WorkingHours = z.infer<typeof WorkingHoursSchema>;

/**
 * When the service team works. Business-hour and working-day SLA targets only run inside these hours.
 * Working hours are LOCAL wall times of `timeZone`; holidays are local dates on which nobody works.
 */
export const SpecialDaySchema = z.strictObject({
  date: CalendarDateSchema,
  hours: DayHoursSchema.refine((h) => h.length > 0, { message: 'a special day has working hours (use holidays)' }),
});
export type SpecialDay = z.infer<typeof SpecialDaySchema>;

export const BusinessCalendarSchema = z
  .strictObject({
    timeZone: z
      .string()
      .refine(isValidTimeZone, { message: 'timeZone must be an IANA zone (e.g. "Europe/Oslo") or an offset "+03:00"' })
      .describe('IANA time zone or fixed offset the working hours are expressed in'),
    workingHours: WorkingHoursSchema,
    holidays: z.array(CalendarDateSchema).max(2000).default([]).describe('local dates with no working hours'),
    specialDays: z
      .array(SpecialDaySchema)
      .max(2000)
      .default([])
      .describe(
        'local dates with their own hours instead of the weekday ones: a half day, or a weekend worked in exchange ' +
          'for a bridge holiday (as with the adjusted working days of Chinese public holidays)',
      ),
  })
  .refine((c) => !c.specialDays.some((s) => c.holidays.includes(s.date)), {
    message: 'a date cannot be both a holiday and a special working day',
    path: ['specialDays'],
  });
export type BusinessCalendar = z.infer<typeof BusinessCalendarSchema>;

const OFFICE_DAY: WorkingInterval[] = [{ start: '08:00', end: '17:00' }];

/**
 * The default when a deployment configures nothing: Monday to Friday 08:00-17:00 UTC, no holidays.
 * A real deployment sets its own zone and public holidays.
 */
export const DEFAULT_BUSINESS_CALENDAR: BusinessCalendar = {
  timeZone: 'UTC',
  workingHours: {
    mon: OFFICE_DAY,
    tue: OFFICE_DAY,
    wed: OFFICE_DAY,
    thu: OFFICE_DAY,
    fri: OFFICE_DAY,
    sat: [],
    sun: [],
  },
  holidays: [],
  specialDays: [],
};
