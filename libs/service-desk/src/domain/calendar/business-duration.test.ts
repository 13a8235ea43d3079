import { describe, expect, it } from 'vitest';
import {
  BusinessCalendarSchema,
  DEFAULT_BUSINESS_CALENDAR,
  type BusinessCalendar,
  type WorkingInterval,
} from './business-calendar.schema.js';
import {
  addBusinessDuration,
  businessDurationBetween,
  endOfNthWorkingDay,
  isWithinBusinessHours,
} from './business-duration.js';

const H = 3_600_000;
const M = 60_000;
const at = (iso: string): number => Date.parse(iso);

/** Mon-Fri 08:00-17:00 UTC (9 h a day), Christmas Day 2026 (a Friday) off. */
const utcOffice: BusinessCalendar = { ...DEFAULT_BUSINESS_CALENDAR, holidays: ['2026-12-25'] };

/**
 * Shanghai, UTC+8 all year (no DST): 09:00-12:00 and 13:00-18:00 (8 h a day), National Day week
 * 2026-10-01 (Thu) to 10-07 (Wed) off, Saturday 2026-10-10 worked in the morning in exchange.
 */
const morningAndAfternoon: WorkingInterval[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
const shanghai: BusinessCalendar = BusinessCalendarSchema.parse({
  timeZone: 'Asia/Shanghai',
  workingHours: {
    mon: morningAndAfternoon,
    tue: morningAndAfternoon,
    wed: morningAndAfternoon,
    thu: morningAndAfternoon,
    fri: morningAndAfternoon,
    sat: [],
    sun: [],
  },
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  specialDays: [{ date: '2026-10-10', hours: [{ start: '09:00', end: '12:00' }] }],
});

const eightToFour: WorkingInterval[] = [{ start: '08:00', end: '16:00' }];
/** Oslo, with daylight saving time: Mon-Fri 08:00-16:00 local. */
const oslo: BusinessCalendar = {
  timeZone: 'Europe/Oslo',
  workingHours: {
    mon: eightToFour,
    tue: eightToFour,
    wed: eightToFour,
    thu: eightToFour,
    fri: eightToFour,
    sat: [],
    sun: [],
  },
  holidays: [],
  specialDays: [],
};

const allDay: WorkingInterval[] = [{ start: '00:00', end: '24:00' }];
/** Oslo around the clock: business time must then equal elapsed time, even on a 23-hour day. */
const osloAroundTheClock: BusinessCalendar = {
  ...oslo,
  workingHours: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
};

/** A fixed offset of -05:00: local Monday evening is already Tuesday in UTC. */
const minusFive: BusinessCalendar = { ...DEFAULT_BUSINESS_CALENDAR, timeZone: '-05:00' };

describe('addBusinessDuration', () => {
  it.each([
    ['within one day', '2026-03-02T10:00:00Z', 2 * H, '2026-03-02T12:00:00Z'],
    ['over a night: 2 h on Monday, 6 h on Tuesday', '2026-03-02T15:00:00Z', 8 * H, '2026-03-03T14:00:00Z'],
    ['over a weekend: 1 h Friday, 2 h Monday', '2026-03-06T16:00:00Z', 3 * H, '2026-03-09T10:00:00Z'],
    ['from a Saturday: the clock starts Monday 08:00', '2026-03-07T12:00:00Z', 1 * H, '2026-03-09T09:00:00Z'],
    ['from before opening', '2026-03-02T06:00:00Z', 1 * H, '2026-03-02T09:00:00Z'],
    ['ending exactly at closing time stays at closing time', '2026-03-02T08:00:00Z', 9 * H, '2026-03-02T17:00:00Z'],
    ['starting at closing time', '2026-03-02T17:00:00Z', 30 * M, '2026-03-03T08:30:00Z'],
    ['a whole week of 45 h from Monday opening', '2026-03-02T08:00:00Z', 45 * H, '2026-03-06T17:00:00Z'],
    ['over a holiday: 1 h Thu 24th, Fri 25th off, 1 h Mon 28th', '2026-12-24T16:00:00Z', 2 * H, '2026-12-28T09:00:00Z'],
  ])('UTC office: %s', (_case, start, duration, expected) => {
    expect(addBusinessDuration(at(start), duration, utcOffice)).toBe(at(expected));
  });

  it('adds zero as the start itself, even outside working hours', () => {
    expect(addBusinessDuration(at('2026-03-07T12:00:00Z'), 0, utcOffice)).toBe(at('2026-03-07T12:00:00Z'));
  });

  it('refuses a negative or non-finite duration', () => {
    expect(() => addBusinessDuration(0, -1, utcOffice)).toThrow(RangeError);
    expect(() => addBusinessDuration(0, Number.NaN, utcOffice)).toThrow(RangeError);
  });

  it.each([
    [
      'across the lunch break: 30 min before, 30 min after',
      '2026-03-02T11:30:00+08:00',
      1 * H,
      '2026-03-02T13:30:00+08:00',
    ],
    ['during lunch: the clock resumes at 13:00', '2026-03-02T12:15:00+08:00', 2 * H, '2026-03-02T15:00:00+08:00'],
    [
      'over National Day: 1 h on Sep 30, then Thu Oct 8',
      '2026-09-30T17:00:00+08:00',
      2 * H,
      '2026-10-08T10:00:00+08:00',
    ],
    [
      'onto the worked Saturday: 1 h Fri Oct 9, 2 h Sat Oct 10',
      '2026-10-09T17:00:00+08:00',
      3 * H,
      '2026-10-10T11:00:00+08:00',
    ],
    ['past the worked Saturday half day to Monday', '2026-10-09T17:00:00+08:00', 5 * H, '2026-10-12T10:00:00+08:00'],
  ])('Shanghai (UTC+8, no DST): %s', (_case, start, duration, expected) => {
    expect(addBusinessDuration(at(start), duration, shanghai)).toBe(at(expected));
  });

  it('uses the LOCAL date: Monday 21:00 at -05:00 is Tuesday 02:00 UTC but still Monday evening', () => {
    // Monday 16:30 local + 1 h: 30 min on Monday, 30 min from Tuesday 08:00 local (13:00 UTC).
    expect(addBusinessDuration(at('2026-03-02T21:30:00Z'), 1 * H, minusFive)).toBe(at('2026-03-03T13:30:00Z'));
    // Monday 21:00 local (Tuesday 02:00 UTC) + 1 h: Tuesday 09:00 local.
    expect(addBusinessDuration(at('2026-03-03T02:00:00Z'), 1 * H, minusFive)).toBe(at('2026-03-03T14:00:00Z'));
  });

  it('keeps local working hours across the spring-forward weekend (Oslo)', () => {
    // Friday 15:00 CET + 2 h: 1 h on Friday, then Monday 08:00 CEST (06:00 UTC) + 1 h.
    expect(addBusinessDuration(at('2026-03-27T15:00:00+01:00'), 2 * H, oslo)).toBe(at('2026-03-30T09:00:00+02:00'));
  });
});

describe('businessDurationBetween', () => {
  it.each([
    ['within one day', '2026-03-02T10:00:00Z', '2026-03-02T12:30:00Z', 2.5 * H],
    ['over a weekend', '2026-03-06T16:00:00Z', '2026-03-09T10:00:00Z', 3 * H],
    ['over a holiday', '2026-12-24T16:00:00Z', '2026-12-28T09:00:00Z', 2 * H],
    ['entirely in a night', '2026-03-02T18:00:00Z', '2026-03-03T07:00:00Z', 0],
    ['a full calendar week', '2026-03-02T00:00:00Z', '2026-03-09T00:00:00Z', 45 * H],
  ])('UTC office: %s', (_case, a, b, expected) => {
    expect(businessDurationBetween(at(a), at(b), utcOffice)).toBe(expected);
  });

  it('is signed: swapping the instants negates it', () => {
    expect(businessDurationBetween(at('2026-03-09T10:00:00Z'), at('2026-03-06T16:00:00Z'), utcOffice)).toBe(-3 * H);
  });

  it('Shanghai: lunch excluded, National Day excluded, worked Saturday counted', () => {
    expect(businessDurationBetween(at('2026-03-02T11:00:00+08:00'), at('2026-03-02T14:00:00+08:00'), shanghai)).toBe(
      2 * H,
    );
    // Sep 30 17:00 -> Oct 12 10:00: 1 h (Sep 30) + 8 h (Oct 8) + 8 h (Oct 9) + 3 h (Sat Oct 10) + 1 h (Oct 12).
    expect(businessDurationBetween(at('2026-09-30T17:00:00+08:00'), at('2026-10-12T10:00:00+08:00'), shanghai)).toBe(
      21 * H,
    );
  });

  it('around the clock it equals elapsed time, including the 23-hour DST day in Oslo', () => {
    // Saturday 12:00 CET (11:00 UTC) to Sunday 12:00 CEST (10:00 UTC): 23 real hours.
    expect(
      businessDurationBetween(at('2026-03-28T12:00:00+01:00'), at('2026-03-29T12:00:00+02:00'), osloAroundTheClock),
    ).toBe(23 * H);
    // Autumn: Saturday 12:00 CEST to Sunday 12:00 CET is 25 real hours.
    expect(
      businessDurationBetween(at('2026-10-24T12:00:00+02:00'), at('2026-10-25T12:00:00+01:00'), osloAroundTheClock),
    ).toBe(25 * H);
  });

  it('is the inverse of addBusinessDuration', () => {
    const starts = ['2026-03-02T07:00:00Z', '2026-03-06T16:59:00Z', '2026-03-07T00:00:00Z', '2026-12-23T12:00:00Z'];
    const durations = [1, 30 * M, 9 * H, 17 * H + 1, 100 * H];
    for (const start of starts) {
      for (const duration of durations) {
        const end = addBusinessDuration(at(start), duration, utcOffice);
        expect(businessDurationBetween(at(start), end, utcOffice)).toBe(duration);
      }
    }
  });
});

describe('endOfNthWorkingDay ("within N working days")', () => {
  it.each([
    // Day 0 is the day of arrival whatever the hour; the deadline is the close of the n-th working day after it.
    ['Monday + 7: Tue Wed Thu Fri Mon Tue Wed', '2026-03-02T10:00:00+08:00', 7, '2026-03-11T18:00:00+08:00'],
    ['Monday late evening + 1 is Tuesday close', '2026-03-02T23:00:00+08:00', 1, '2026-03-03T18:00:00+08:00'],
    ['Saturday + 1 is Monday close', '2026-03-07T10:00:00+08:00', 1, '2026-03-09T18:00:00+08:00'],
    ['over National Day: Sep 30, Oct 8, Oct 9', '2026-09-29T10:00:00+08:00', 3, '2026-10-09T18:00:00+08:00'],
    ['the worked Saturday counts, closing at noon', '2026-09-29T10:00:00+08:00', 4, '2026-10-10T12:00:00+08:00'],
  ])('Shanghai: %s', (_case, start, n, expected) => {
    expect(endOfNthWorkingDay(at(start), n, shanghai)).toBe(at(expected));
  });

  it('UTC office over Christmas: Thu 24th + 2 = Mon 28th, Tue 29th', () => {
    expect(endOfNthWorkingDay(at('2026-12-24T09:00:00Z'), 2, utcOffice)).toBe(at('2026-12-29T17:00:00Z'));
  });

  it('refuses n < 1', () => {
    expect(() => endOfNthWorkingDay(0, 0, utcOffice)).toThrow(RangeError);
  });
});

describe('isWithinBusinessHours', () => {
  it('is start-inclusive, end-exclusive', () => {
    expect(isWithinBusinessHours(at('2026-03-02T08:00:00Z'), utcOffice)).toBe(true);
    expect(isWithinBusinessHours(at('2026-03-02T17:00:00Z'), utcOffice)).toBe(false);
    expect(isWithinBusinessHours(at('2026-12-25T10:00:00Z'), utcOffice)).toBe(false);
    expect(isWithinBusinessHours(at('2026-03-02T12:30:00+08:00'), shanghai)).toBe(false);
  });
});

describe('BusinessCalendarSchema', () => {
  it('names the faulty field', () => {
    const bad = BusinessCalendarSchema.safeParse({
      timeZone: 'Mars/Olympus_Mons',
      workingHours: { ...DEFAULT_BUSINESS_CALENDAR.workingHours, mon: [{ start: '17:00', end: '08:00' }] },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['timeZone', 'workingHours.mon.0.end']));
  });

  it('refuses a week without any working hours and overlapping intervals', () => {
    const none = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect(BusinessCalendarSchema.safeParse({ timeZone: 'UTC', workingHours: none }).success).toBe(false);
    const overlapping = {
      ...none,
      mon: [
        { start: '08:00', end: '12:00' },
        { start: '11:00', end: '15:00' },
      ],
    };
    expect(BusinessCalendarSchema.safeParse({ timeZone: 'UTC', workingHours: overlapping }).success).toBe(false);
  });

  it('refuses a date that is both a holiday and a special day, and defaults the lists', () => {
    const clash = BusinessCalendarSchema.safeParse({
      ...DEFAULT_BUSINESS_CALENDAR,
      holidays: ['2026-10-10'],
      specialDays: [{ date: '2026-10-10', hours: [{ start: '09:00', end: '12:00' }] }],
    });
    expect(clash.success).toBe(false);
    const minimal = BusinessCalendarSchema.parse({
      timeZone: 'UTC',
      workingHours: DEFAULT_BUSINESS_CALENDAR.workingHours,
    });
    expect(minimal.holidays).toEqual([]);
    expect(minimal.specialDays).toEqual([]);
  });
});
