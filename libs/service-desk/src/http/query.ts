import { z } from 'zod';

/** Query strings carry text: `true` / `false` only (z.coerce.boolean would read "false" as true). */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

/** An instant in a query or body: ISO 8601 with a zone (`2026-03-02T09:00:00Z`) or a date (`2026-03-02`, UTC midnight). */
export const InstantSchema = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()])
  .transform((text) => Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text))
  .describe('ISO 8601 date-time with zone, or a date (UTC midnight)');

/** A comma-separated list of enum values (`status=new,triaged`). */
export function csvEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    )
    .pipe(z.array(z.enum(values)).min(1));
}
