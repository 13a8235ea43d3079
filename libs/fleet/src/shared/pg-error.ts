/** SQLSTATE codes the fleet reacts to (PostgreSQL appendix A, class 23: integrity constraint violation). */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';
/** ON DELETE RESTRICT (checked at once, not deferrable) raises this one, not 23503. */
export const PG_RESTRICT_VIOLATION = '23001';

/**
 * The SQLSTATE of a failed query, whichever driver raised it. Drizzle wraps the driver's error
 * (node-postgres or PGlite, both carrying `code`) in its own, so the cause chain is walked.
 */
export function pgErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The table named by a failed query's error, whichever driver raised it: for a foreign-key violation on DELETE,
 * the table whose rows still refer to the deleted one (PostgreSQL ri_ReportViolation reports the referencing
 * table in the error's `table` field).
 */
export function pgErrorTable(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const table = (current as { table?: unknown }).table;
    if (typeof table === 'string' && table.length > 0) return table;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** "work_orders" -> "work orders": a referencing table, in the words of an error message. */
export function referencingRows(error: unknown): string {
  const table = pgErrorTable(error);
  return table === undefined ? 'other records' : table.replaceAll('_', ' ');
}

/** A DELETE refused because other rows still refer to the row (ON DELETE NO ACTION or RESTRICT). */
export function isReferencedRowError(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code === PG_FOREIGN_KEY_VIOLATION || code === PG_RESTRICT_VIOLATION;
}
