/**
 * The CSV dialect of the replay CLI: comma-separated, RFC 4180 double quotes (no line breaks inside a
 * field), a header line naming the columns. Timestamps are ISO 8601 or epoch milliseconds / seconds.
 */

/** An input problem, named by file, line and column (both 1-based). */
export class ReplayInputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number | null,
    readonly columnName: string | null,
    readonly reason: string,
  ) {
    const where = column === null ? '' : ` column ${column}${columnName === null ? '' : ` (${columnName})`}:`;
    super(`${file}:${line}:${where} ${reason}`);
  }
}

/** Splits one CSV line; undefined when its quotes do not close. */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i += 1;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) return undefined;
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      const comma = line.indexOf(',', i);
      // Anything between the closing quote and the comma is kept, as most readers do.
      value += line.slice(i, comma < 0 ? line.length : comma);
      fields.push(value);
      if (comma < 0) return fields;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      fields.push(line.slice(i, comma < 0 ? line.length : comma));
      if (comma < 0) return fields;
      i = comma + 1;
    }
  }
}

/** Quotes a field when it needs it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** Below this an epoch number is taken for seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const EPOCH_SECONDS_BELOW = 1e11;

/**
 * Epoch ms of a timestamp field: ISO 8601 (a date-time without offset is UTC) or an epoch number, in
 * seconds when below 1e11, in milliseconds otherwise. Undefined when it is neither.
 */
export function parseTimestamp(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) {
    const n = Number(t);
    if (!Number.isFinite(n) || n < 0) return undefined;
    return Math.round(n < EPOCH_SECONDS_BELOW ? n * 1000 : n);
  }
  if (!ISO_DATE.test(t)) return undefined;
  const hasOffset = /(Z|[+-]\d{2}:?\d{2})$/.test(t) && t.length > 10;
  const ms = Date.parse(hasOffset ? t : `${t.replace(' ', 'T')}${t.length > 10 ? 'Z' : ''}`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A numeric cell: a number, or null for an empty cell (no reading of that series at that time). */
export function parseValue(text: string): number | null | undefined {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'nan' || t.toLowerCase() === 'null') return null;
  if (!NUMBER.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}
