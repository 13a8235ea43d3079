import { HOUR_MS, solarHour, yearPhase } from './time.js';

/** The climate of one asset: deterministic cycles; the random weather part lives in the asset state. */
export interface ClimateParams {
  readonly meanTempC: number;
  readonly seasonalAmpC: number;
  readonly dailyAmpC: number;
  readonly meanRhPct: number;
  /** Immersed or buried surfaces: water / soil temperature, saturated humidity. */
  readonly immersed: boolean;
  /** Seasons are half a year apart south of the equator. */
  readonly southern: boolean;
  readonly lonDeg: number;
  /** Mean of `corrosionClimateFactor` over a year, so that the factor averages to 1 (ISO 9223 rates are annual). */
  readonly corrosionNormaliser: number;
}

/** Warmest point of the year (late July north, late January south) and of the day (15:00 solar). */
const SUMMER_PEAK_PHASE_NORTH = 0.56;
const SUMMER_PEAK_PHASE_SOUTH = 0.06;
const AFTERNOON_PEAK_HOUR = 15;

export interface ClimateCycle {
  /** Seasonal deviation from the annual mean, degrees C. */
  readonly seasonalC: number;
  /** Day-night deviation, degrees C. */
  readonly dailyC: number;
}

export function climateCycle(
  p: Pick<ClimateParams, 'seasonalAmpC' | 'dailyAmpC' | 'southern' | 'lonDeg'>,
  ms: number,
): ClimateCycle {
  const peak = p.southern ? SUMMER_PEAK_PHASE_SOUTH : SUMMER_PEAK_PHASE_NORTH;
  const seasonalC = p.seasonalAmpC * Math.cos(2 * Math.PI * (yearPhase(ms) - peak));
  const dailyC = p.dailyAmpC * Math.cos((2 * Math.PI * (solarHour(ms, p.lonDeg) - AFTERNOON_PEAK_HOUR)) / 24);
  return { seasonalC, dailyC };
}

/** Temperature without weather noise. */
export function cycleTemperature(p: ClimateParams, cycle: ClimateCycle): number {
  return p.meanTempC + cycle.seasonalC + cycle.dailyC;
}

/**
 * Relative humidity without weather noise: the absolute humidity changes slowly, so RH falls in the
 * warm afternoon and rises at night (about 3 % per degree), and summers are a little drier.
 */
export function cycleHumidity(p: ClimateParams, cycle: ClimateCycle): number {
  if (p.immersed) return 100;
  return clamp(p.meanRhPct - 3 * cycle.dailyC - 0.8 * cycle.seasonalC, 5, 100);
}

/**
 * How strongly the weather drives corrosion at this moment, before normalisation. Atmospheric corrosion
 * needs a wet surface: the time of wetness (ISO 9223: RH > 80 % and T > 0 C) dominates, and the rate
 * roughly doubles every 15 C. Immersion corrosion only follows the water temperature.
 */
export function corrosionClimateFactor(immersed: boolean, tempC: number, rhPct: number): number {
  const thermal = Math.pow(2, (tempC - 15) / (immersed ? 25 : 15));
  if (immersed) return thermal;
  const wetness = 0.1 + 0.9 / (1 + Math.exp(-(rhPct - 80) / 4));
  const frozen = tempC < 0 ? 0.3 : 1;
  return wetness * thermal * frozen;
}

/** Mean of the deterministic climate factor over one year from `fromMs`, sampled every 3 hours. */
export function annualCorrosionNormaliser(p: Omit<ClimateParams, 'corrosionNormaliser'>, fromMs: number): number {
  const params: ClimateParams = { ...p, corrosionNormaliser: 1 };
  const steps = (365 * 24) / 3;
  let sum = 0;
  for (let i = 0; i < steps; i++) {
    const cycle = climateCycle(params, fromMs + i * 3 * HOUR_MS);
    sum += corrosionClimateFactor(p.immersed, cycleTemperature(params, cycle), cycleHumidity(params, cycle));
  }
  return sum / steps;
}

export function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}
