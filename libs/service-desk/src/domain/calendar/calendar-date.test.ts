import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  daysBetween,
  epochDay,
  formatCalendarDate,
  isoWeekday,
  parseCalendarDate,
} from './calendar-date.js';

describe('calendar dates', () => {
  it('round-trips through epoch days', () => {
    expect(epochDay('1970-01-01')).toBe(0);
    expect(epochDay('2026-03-02')).toBe(20514);
    expect(formatCalendarDate(20514)).toBe('2026-03-02');
  });

  it('rejects what is not a real date', () => {
    expect(() => parseCalendarDate('2026-02-29')).toThrow(/not a valid calendar date/);
    expect(() => parseCalendarDate('2026-3-2')).toThrow(/YYYY-MM-DD/);
    expect(parseCalendarDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it('knows ISO weekdays (1 = Monday)', () => {
    expect(isoWeekday(epochDay('1970-01-01'))).toBe(4); // a Thursday
    expect(isoWeekday(epochDay('2026-03-02'))).toBe(1); // Monday
    expect(isoWeekday(epochDay('2026-03-08'))).toBe(7); // Sunday
    expect(isoWeekday(epochDay('1969-12-29'))).toBe(1); // negative epoch days too
  });

  it('adds days across month and year ends', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
  });

  it('adds months clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-01-31', 2)).toBe('2026-03-31');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-03-15', -3)).toBe('2025-12-15');
  });
});
