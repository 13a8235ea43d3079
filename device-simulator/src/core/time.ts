/** Event-time arithmetic in epoch milliseconds. The core never reads the wall clock. */
export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
/** Julian year: the unit of corrosion rates (mm/y) and coating lifetimes. */
export const YEAR_MS = 365.25 * DAY_MS;

const YEAR_PHASE_ORIGIN = Date.UTC(2000, 0, 1);

/** Position in the year as a fraction in [0, 1): 0 = 1 January. Arithmetic only (no Date), it is on the hot path. */
export function yearPhase(ms: number): number {
  const p = ((ms - YEAR_PHASE_ORIGIN) / YEAR_MS) % 1;
  return p < 0 ? p + 1 : p;
}

/** Hour of the local solar day in [0, 24), from UTC time and longitude (15 degrees per hour). */
export function solarHour(ms: number, lonDeg: number): number {
  const h = (((ms / HOUR_MS + lonDeg / 15) % 24) + 24) % 24;
  return h;
}

/** `YYYY-MM-DD` in UTC. */
export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}
