/** The single row a `RETURNING` statement answers; its absence is a driver bug, not a user error. */
export function singleRow<T>(rows: readonly T[], what: string): T {
  const row = rows[0];
  if (row === undefined) throw new Error(`${what}: the statement returned no row`);
  return row;
}

/** Drops the keys whose value is undefined (a PATCH that leaves a field alone). */
export function definedOnly<T extends Record<string, unknown>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
