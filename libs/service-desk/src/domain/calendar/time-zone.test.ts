import { describe, expect, it } from 'vitest';
import { epochDay, epochDayFromParts, formatCalendarDate } from './calendar-date.js';
import { instantOfLocalTime, isValidTimeZone, localDate, offsetAt, wallTimeOf } from './time-zone.js';

const H = 3_600_000;

describe('time zones through Intl', () => {
  it('validates zone names and fixed offsets', () => {
    expect(isValidTimeZone('Asia/Shanghai')).toBe(true);
    expect(isValidTimeZone('+03:00')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus_Mons')).toBe(false);
  });

  it('gives the offset in force at an instant', () => {
    expect(offsetAt(Date.parse('2026-07-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * H);
    expect(offsetAt(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Oslo')).toBe(1 * H);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Oslo')).toBe(2 * H);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00Z'), '-05:30')).toBe(-5.5 * H);
    expect(offsetAt(Date.parse('2026-07-15T12:00:00.250Z'), 'UTC')).toBe(0);
  });

  it('tells the local date of an instant near midnight', () => {
    // 2026-03-02 20:00 UTC is already Tuesday 04:00 in Shanghai, still Monday 15:00 in -05:00.
    expect(localDate(Date.parse('2026-03-02T20:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-03');
    expect(localDate(Date.parse('2026-03-02T20:00:00Z'), '-05:00')).toBe('2026-03-02');
    expect(localDate(Date.parse('2026-03-03T02:00:00Z'), '-05:00')).toBe('2026-03-02');
  });

  it('turns a local wall time into an instant', () => {
    expect(instantOfLocalTime(epochDay('2026-03-02'), 9 * 60, 'Asia/Shanghai')).toBe(
      Date.parse('2026-03-02T01:00:00Z'),
    );
    expect(instantOfLocalTime(epochDay('2026-03-02'), 24 * 60, 'Asia/Shanghai')).toBe(
      Date.parse('2026-03-02T16:00:00Z'),
    );
    expect(instantOfLocalTime(epochDay('2026-03-02'), 8 * 60, '-05:00')).toBe(Date.parse('2026-03-02T13:00:00Z'));
  });

  it('pushes a wall time skipped by the spring-forward jump past the gap (Temporal "compatible")', () => {
    // Europe/Oslo 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00 UTC; 02:30 does not exist -> 03:30 CEST.
    expect(instantOfLocalTime(epochDay('2026-03-29'), 150, 'Europe/Oslo')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    expect(instantOfLocalTime(epochDay('2026-03-29'), 180, 'Europe/Oslo')).toBe(Date.parse('2026-03-29T01:00:00Z'));
  });

  it('resolves a wall time repeated by the fall-back jump to its earlier instant', () => {
    // Europe/Oslo 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00 UTC; 02:30 happens twice.
    expect(instantOfLocalTime(epochDay('2026-10-25'), 150, 'Europe/Oslo')).toBe(Date.parse('2026-10-25T00:30:00Z'));
    expect(instantOfLocalTime(epochDay('2026-10-25'), 210, 'Europe/Oslo')).toBe(Date.parse('2026-10-25T02:30:00Z'));
  });
});

describe('localDate through the hourly offset cache', () => {
  it.each(['Europe/Oslo', 'America/Santiago', 'Australia/Lord_Howe', 'Asia/Kathmandu', '-05:30'])(
    'agrees with the exact wall time all through 2026 in %s',
    (zone) => {
      // Every 97 minutes over the year: crosses each DST transition at many different minutes.
      for (let t = Date.parse('2026-01-01T00:00:00Z'); t < Date.parse('2027-01-01T00:00:00Z'); t += 97 * 60_000) {
        const exact = formatCalendarDate(epochDayFromParts(wallTimeOf(t, zone)));
        if (localDate(t, zone) !== exact)
          throw new Error(`${zone} at ${new Date(t).toISOString()}: ${localDate(t, zone)} != ${exact}`);
      }
    },
  );
});
