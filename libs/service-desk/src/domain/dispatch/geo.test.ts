import { describe, expect, it } from 'vitest';
import { EARTH_RADIUS_KM, haversineKm } from './geo.js';

describe('haversineKm', () => {
  it('gives R x angle along a meridian and along the equator (1 degree = 111.195 km)', () => {
    const oneDegree = (EARTH_RADIUS_KM * Math.PI) / 180; // 111.19508...
    expect(oneDegree).toBeCloseTo(111.19508, 5);
    expect(haversineKm({ lat: 60, lon: 10 }, { lat: 60.1, lon: 10 })).toBeCloseTo(0.1 * oneDegree, 9);
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 1 })).toBeCloseTo(oneDegree, 9);
  });

  it('shrinks east-west distances by cos(latitude)', () => {
    // At 60 degrees N a degree of longitude is about half as long: 55.58 km (haversine, not exactly half).
    expect(haversineKm({ lat: 60, lon: 10 }, { lat: 60, lon: 11 })).toBeCloseTo(55.597, 2);
  });

  it('is symmetric, zero on the spot and pi x R to the antipode', () => {
    const oslo = { lat: 59.9139, lon: 10.7522 };
    const bergen = { lat: 60.3913, lon: 5.3221 };
    expect(haversineKm(oslo, bergen)).toBeCloseTo(haversineKm(bergen, oslo), 9);
    expect(haversineKm(oslo, bergen)).toBeGreaterThan(300);
    expect(haversineKm(oslo, bergen)).toBeLessThan(310);
    expect(haversineKm(oslo, oslo)).toBe(0);
    expect(haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 })).toBeCloseTo(Math.PI * EARTH_RADIUS_KM, 6);
  });
});
