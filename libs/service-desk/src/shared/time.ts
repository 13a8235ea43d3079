/** The domain counts epoch milliseconds; the columns are timestamptz; the API speaks ISO 8601 UTC. */
export const toDate = (ms: number): Date => new Date(ms);
export const toDateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
export const toMs = (date: Date): number => date.getTime();
export const toMsOrNull = (date: Date | null): number | null => (date === null ? null : date.getTime());
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
