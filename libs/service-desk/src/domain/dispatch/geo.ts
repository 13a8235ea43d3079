import type { z } from 'zod';
import type { GeoPointSchema } from '#contracts';

/** A location as the fleet stores it (contracts' GeoPointSchema: asset location, technician base). */
export type GeoPoint = z.infer<typeof GeoPointSchema>;

/** IUGG mean Earth radius, km. On it one degree of latitude is 111.195 km. */
export const EARTH_RADIUS_KM = 6371.0088;

/**
 * Great-circle distance by the haversine formula, km. The sphere is good to ~0.5 % against the ellipsoid,
 * far below what road detours add; dispatch only needs to compare and to bound a service radius.
 */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
