import { describe, expect, it } from 'vitest';
import {
  formatWorkOrderNumber,
  isWorkOrderNumber,
  parseWorkOrderNumber,
  workOrderNumberYear,
} from './work-order-number.js';

describe('work-order numbers', () => {
  it('formats with a 6-digit zero-padded yearly sequence', () => {
    expect(formatWorkOrderNumber(2026, 123)).toBe('WO-2026-000123');
    expect(formatWorkOrderNumber(2026, 1)).toBe('WO-2026-000001');
    expect(formatWorkOrderNumber(2026, 999_999)).toBe('WO-2026-999999');
    expect(formatWorkOrderNumber(2026, 1_000_000)).toBe('WO-2026-1000000');
  });

  it('refuses years and sequences it cannot write', () => {
    expect(() => formatWorkOrderNumber(26, 1)).toThrow(/year/);
    expect(() => formatWorkOrderNumber(2026, 0)).toThrow(/sequence/);
    expect(() => formatWorkOrderNumber(2026, 1.5)).toThrow(/sequence/);
    expect(() => formatWorkOrderNumber(2026, 1_000_000_000)).toThrow(/sequence/);
  });

  it('parses what it formats', () => {
    for (const [year, sequence] of [
      [2026, 123],
      [2027, 1],
      [2030, 999_999],
      [2030, 1_234_567],
    ] as const) {
      expect(parseWorkOrderNumber(formatWorkOrderNumber(year, sequence))).toEqual({ year, sequence });
    }
  });

  it.each([
    'wo-2026-000123',
    'WO-2026-123',
    'WO-2026-0000123',
    'WO-26-000123',
    'WO-2026-000000',
    'WO-2026-000123 ',
    'X',
  ])('rejects the non-canonical %j', (text) => {
    expect(parseWorkOrderNumber(text)).toBeNull();
    expect(isWorkOrderNumber(text)).toBe(false);
  });

  it('numbers by the local year of creation', () => {
    // 2026-12-31 20:00 UTC is already 2027-01-01 04:00 in Shanghai.
    const newYearsEve = Date.parse('2026-12-31T20:00:00Z');
    expect(workOrderNumberYear(newYearsEve, 'UTC')).toBe(2026);
    expect(workOrderNumberYear(newYearsEve, 'Asia/Shanghai')).toBe(2027);
  });
});
