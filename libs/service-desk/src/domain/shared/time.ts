/** Durations in epoch milliseconds. Every instant in this domain is an epoch-ms number passed in by the caller. */
export const MS_PER_SECOND = 1000;
export const MS_PER_MINUTE = 60 * MS_PER_SECOND;
export const MS_PER_HOUR = 60 * MS_PER_MINUTE;
export const MS_PER_DAY = 24 * MS_PER_HOUR;

export const hours = (n: number): number => n * MS_PER_HOUR;
export const minutes = (n: number): number => n * MS_PER_MINUTE;
