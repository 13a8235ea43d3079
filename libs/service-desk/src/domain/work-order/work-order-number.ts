/**
 * Human-readable work-order numbers: `WO-<year>-<sequence>`, e.g. `WO-2026-000123`.
 * The year is the local year of creation in the service calendar's zone; the sequence restarts each year and is
 * allocated by the store (a per-year counter). It is zero-padded to 6 digits and may grow past 999 999 without
 * padding, so the number stays unique and sorts correctly within the 6-digit range.
 */
import { wallTimeOf } from '../calendar/time-zone.js';

export const WORK_ORDER_NUMBER_PATTERN = /^WO-(\d{4})-(\d{6}|[1-9]\d{6,8})$/;
export const MAX_WORK_ORDER_SEQUENCE = 999_999_999;

export interface WorkOrderNumberParts {
  readonly year: number;
  readonly sequence: number;
}

export function formatWorkOrderNumber(year: number, sequence: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) {
    throw new RangeError(`work-order year must be a 4-digit integer, got ${year}`);
  }
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_WORK_ORDER_SEQUENCE) {
    throw new RangeError(`work-order sequence must be an integer 1..${MAX_WORK_ORDER_SEQUENCE}, got ${sequence}`);
  }
  return `WO-${year}-${String(sequence).padStart(6, '0')}`;
}

/** The parts of a canonical number, or null when the text is not one (lower case, no padding, sequence 0...). */
export function parseWorkOrderNumber(text: string): WorkOrderNumberParts | null {
  const match = WORK_ORDER_NUMBER_PATTERN.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const sequence = Number(match[2]);
  if (year < 1000 || sequence < 1) return null;
  return { year, sequence };
}

export function isWorkOrderNumber(text: string): boolean {
  return parseWorkOrderNumber(text) !== null;
}

/** The year a work order created at `createdAt` is numbered in: the local year in the service time zone. */
export function workOrderNumberYear(createdAt: number, timeZone: string): number {
  return wallTimeOf(createdAt, timeZone).year;
}
