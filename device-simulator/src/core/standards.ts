import type { CorrosivityCategory, DurabilityClass } from '#contracts';
import type { Range } from './random.js';

/**
 * Figures from the standards the fleet is drawn from (ARCHITECTURE.md, "Domain rules worth knowing").
 */

/**
 * ISO 9223 / ISO 12944-2 Table 1: first-year mass loss of carbon steel, as thickness loss in um/year.
 * ISO 12944-2 gives no rates for the immersion categories; those are typical literature values for bare
 * carbon steel (fresh water, sea or brackish water, soil; Im4 is sea water with cathodic protection).
 */
export const FIRST_YEAR_STEEL_LOSS_UM: Readonly<Record<CorrosivityCategory, Range>> = {
  C1: { min: 0.1, max: 1.3 },
  C2: { min: 1.3, max: 25 },
  C3: { min: 25, max: 50 },
  C4: { min: 50, max: 80 },
  C5: { min: 80, max: 200 },
  CX: { min: 200, max: 700 },
  Im1: { min: 40, max: 100 },
  Im2: { min: 100, max: 200 },
  Im3: { min: 20, max: 100 },
  Im4: { min: 100, max: 200 },
};

/** ISO 12944-1:2017 durability ranges in years (L <= 7, M 7-15, H 15-25, VH > 25). */
export const DURABILITY_YEARS: Readonly<Record<DurabilityClass, Range>> = {
  L: { min: 4, max: 7 },
  M: { min: 7, max: 15 },
  H: { min: 15, max: 25 },
  VH: { min: 25, max: 35 },
};

export function isImmersion(category: CorrosivityCategory): boolean {
  return category.startsWith('Im');
}

/** CP criterion (NACE SP0169 / ISO 15589-1): more negative than -850 mV vs Cu/CuSO4 means protected. */
export const CP_PROTECTION_CRITERION_MV = -850;

/** NACE SP0775 carbon-steel corrosion-rate bands, mm/year. */
export const CORROSION_RATE_BANDS_MM_Y = { low: 0.025, moderate: 0.12, high: 0.25 } as const;

/** ISO 19840 style acceptance: no DFT reading below 80 % of nominal. */
export const DFT_MIN_FRACTION_OF_NOMINAL = 0.8;

/**
 * Coating breakdown: the film is considered failed (rust grade Ri 3 of ISO 4628-3 starts to appear) once
 * half the nominal thickness is left; the durability class is the time to reach it.
 */
export const BREAKDOWN_FRACTION_OF_NOMINAL = 0.5;

/** Metal lost at an attacked spot before rust staining is visible to the owner, um. */
export const VISIBLE_RUST_UM = 2;

/** Lithium thionyl chloride cell (3.6 V nominal), the usual field-logger battery: the logger stops below this. */
export const BATTERY_CUTOFF_V = 3.05;
