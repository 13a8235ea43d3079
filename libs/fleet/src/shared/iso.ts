/** API timestamps are ISO 8601 UTC strings (z.iso.datetime()). */
export function toIso(date: Date): string {
  return date.toISOString();
}

export function toIsoOrNull(date: Date | null): string | null {
  return date === null ? null : date.toISOString();
}
