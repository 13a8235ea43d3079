/**
 * Timestamps on the wire (external contract): epoch milliseconds, or an ISO 8601 date-time with an
 * offset. Parsed by hand: `Date.parse` is lenient (it accepts local times without an offset and rolls
 * 2026-02-30 over to March), and the decoder must reject both.
 */

/** `2026-11-22T08:00:00Z`, `2026-11-22T09:00:00.123+01:00`, `2026-11-22T09:00+0100` (RFC 3339 / ISO 8601). */
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

export type ParsedTimestamp = { readonly ms: number } | { readonly error: string };

/** Parses an ISO 8601 date-time with a mandatory offset to epoch ms; undefined when it is not one. */
export function parseIsoDateTime(text: string): number | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  // Sub-millisecond digits are truncated: readings are stored at millisecond resolution.
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] === undefined) {
    const offHours = Number(m[10]);
    const offMinutes = Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return undefined;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear does not.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year);
  return date.getTime() - offsetMinutes * 60_000;
}

/** Parses the `ts` of a reading: a non-negative integer of epoch ms, or an ISO date-time with an offset. */
export function parseWireTimestamp(value: unknown): ParsedTimestamp {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return { error: `ts ${value} must be an integer number of epoch milliseconds` };
    if (value < 0) return { error: `ts ${value} is before 1970 (epoch milliseconds must not be negative)` };
    return { ms: value };
  }
  if (typeof value === 'string') {
    const ms = parseIsoDateTime(value);
    if (ms === undefined) {
      return {
        error: `ts ${quote(value)} is neither epoch milliseconds nor an ISO 8601 date-time with an offset (e.g. 2026-11-22T08:00:00Z)`,
      };
    }
    if (ms < 0) return { error: `ts ${quote(value)} is before 1970` };
    return { ms };
  }
  return { error: `ts must be epoch milliseconds or an ISO 8601 date-time with an offset, got ${describeJson(value)}` };
}

/** Formats epoch ms as ISO 8601 when it is a representable date (the message must never throw). */
export function isoOrNumber(ms: number): string {
  return Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** A JSON string for a message, clipped: the device may send anything, the error stays short. */
export function quote(text: string, max = 64): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** What a JSON value is, for messages: `a string "12.5"`, `a boolean`, `null`, `an object`. */
export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  // Only objects are left after JSON.parse.
  return typeof value === 'object' ? 'an object' : typeof value;
}
