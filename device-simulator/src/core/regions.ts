/** Climate regions assets are placed in: a centre, a spread in degrees, and the climate that drives the physics. */
export interface ClimateRegion {
  readonly name: string;
  readonly code: string;
  readonly lat: number;
  readonly lon: number;
  readonly spreadDeg: number;
  /** Annual mean air temperature, degrees C. */
  readonly meanTempC: number;
  /** Half the summer-winter difference of the monthly means. */
  readonly seasonalAmpC: number;
  /** Half the typical day-night difference. */
  readonly dailyAmpC: number;
  /** Annual mean relative humidity, %. */
  readonly meanRhPct: number;
}

export const CLIMATE_REGIONS: readonly ClimateRegion[] = [
  {
    name: 'North Sea',
    code: 'NS',
    lat: 56.5,
    lon: 3,
    spreadDeg: 2,
    meanTempC: 9.5,
    seasonalAmpC: 5,
    dailyAmpC: 2,
    meanRhPct: 85,
  },
  {
    name: 'Gulf of Mexico',
    code: 'GM',
    lat: 28,
    lon: -90,
    spreadDeg: 2,
    meanTempC: 24,
    seasonalAmpC: 5.5,
    dailyAmpC: 4,
    meanRhPct: 79,
  },
  {
    name: 'Rhine-Ruhr',
    code: 'RR',
    lat: 51.4,
    lon: 7,
    spreadDeg: 1,
    meanTempC: 10.5,
    seasonalAmpC: 8,
    dailyAmpC: 4.5,
    meanRhPct: 77,
  },
  {
    name: 'Scandinavia',
    code: 'SC',
    lat: 60.4,
    lon: 10.5,
    spreadDeg: 2,
    meanTempC: 5.5,
    seasonalAmpC: 10,
    dailyAmpC: 4,
    meanRhPct: 79,
  },
  {
    name: 'Mediterranean',
    code: 'MD',
    lat: 40.5,
    lon: 15,
    spreadDeg: 3,
    meanTempC: 17.5,
    seasonalAmpC: 7.5,
    dailyAmpC: 5,
    meanRhPct: 68,
  },
  {
    name: 'Arabian Gulf',
    code: 'AG',
    lat: 26,
    lon: 51,
    spreadDeg: 2,
    meanTempC: 28,
    seasonalAmpC: 8,
    dailyAmpC: 6.5,
    meanRhPct: 60,
  },
  {
    name: 'Singapore Strait',
    code: 'SG',
    lat: 1.3,
    lon: 103.8,
    spreadDeg: 0.5,
    meanTempC: 27.5,
    seasonalAmpC: 1,
    dailyAmpC: 3.5,
    meanRhPct: 84,
  },
  {
    name: 'Western Australia',
    code: 'WA',
    lat: -31.9,
    lon: 115.9,
    spreadDeg: 2,
    meanTempC: 18.5,
    seasonalAmpC: 6,
    dailyAmpC: 6,
    meanRhPct: 62,
  },
  {
    name: 'Alberta',
    code: 'AB',
    lat: 54,
    lon: -114,
    spreadDeg: 3,
    meanTempC: 2.5,
    seasonalAmpC: 14,
    dailyAmpC: 6.5,
    meanRhPct: 66,
  },
];
