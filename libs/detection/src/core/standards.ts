/**
 * Defaults that come from standards. Every one can be overridden per asset (see AssetThresholds); the
 * comment says where the number comes from. Units are those of the metric catalog.
 */
import type { CorrosivityCategory } from '#contracts';

/** ISO 19840 (DFT on rough surfaces), acceptance: no individual reading below 80 % of the nominal DFT. */
export const ISO19840_MIN_FRACTION = 0.8;
export const ISO19840 = 'ISO 19840';

/** ISO 19840, acceptance: the arithmetic mean of the individual readings not below the nominal DFT. */
export const ISO19840_MEAN_FRACTION = 1.0;

/** Project default: the ISO 19840 acceptance rules judge a film during its first 90 days after application. */
export const DFT_ACCEPTANCE_DAYS = 90;

/**
 * In service, ISO 12944-1 puts the first major maintenance at rust grade Ri 3 (ISO 4628-3). The project takes a
 * film worn to half its nominal thickness as broken down (it no longer protects; rust spots follow): a film
 * thinner than that is a repair, and the trend forecast predicts when a film gets there. Set per asset.
 */
export const DFT_BREAKDOWN_FRACTION = 0.5;
export const ISO12944_MAINTENANCE = 'ISO 12944-1 / ISO 4628-3 (first major maintenance at Ri 3)';

/**
 * ISO 19840 lets the parties agree a maximum DFT; the project default (ARCHITECTURE.md) treats readings above
 * 3x nominal as suspect: a gauge error, not a thick coating.
 */
export const DFT_SUSPECT_FACTOR = 3;

/**
 * NACE SP0775, qualitative categorisation of carbon-steel corrosion rates (mm/y):
 * low < 0.025, moderate 0.025-0.12, high 0.13-0.25, severe > 0.25.
 * A rate in the 0.12-0.13 gap that the standard leaves open counts as moderate here.
 */
export const NACE_SP0775 = 'NACE SP0775';
export const NACE_BANDS_MM_Y = { moderate: 0.025, high: 0.13, severe: 0.25 } as const;

/**
 * ISO 9223 (corrosivity of atmospheres), first-year carbon-steel loss by category, um/year: upper bound of each
 * category. ISO 12944-2 gives no loss figures for the immersion categories (Im1-Im4): they have none here.
 */
export const ISO9223 = 'ISO 9223';
export const ISO9223_FIRST_YEAR_LOSS_UM: Readonly<Record<CorrosivityCategory, number | null>> = {
  C1: 1.3,
  C2: 25,
  C3: 50,
  C4: 80,
  C5: 200,
  CX: 700,
  Im1: null,
  Im2: null,
  Im3: null,
  Im4: null,
};

/**
 * Cathodic protection criterion (NACE SP0169 / ISO 15589-1): a potential more negative than -850 mV vs
 * Cu/CuSO4 means the steel is protected.
 */
export const CP_CRITERION = 'NACE SP0169 / ISO 15589-1 -850 mV CSE criterion';
export const CP_PROTECTED_MV = -850;
/** Less negative than this, steel is close to its free corrosion potential (about -500..-700 mV CSE). */
export const CP_UNPROTECTED_MV = -650;
/**
 * ISO 15589-1 limits the most negative potential on coated steel (cathodic disbondment, hydrogen); the
 * usual limit for fusion-bonded epoxy and similar coatings is -1200 mV CSE.
 */
export const CP_OVERPROTECTED_MV = -1200;

/**
 * No standard fixes a metal-loss allowance: it is the design corrosion allowance of the asset (commonly 1-3 mm
 * for pipelines) or the useful life of the ER element (half its thickness). Project default, set it per asset.
 */
export const DEFAULT_METAL_LOSS_ALLOWANCE_UM = 500;

/** Project default for 3.6 V lithium-thionyl-chloride primary cells: below 3.3 V the cell is near its end. */
export const DEFAULT_BATTERY_LOW_V = 3.3;

/** Issue 5: a predictive finding when the crossing is inside this lead horizon. */
export const DEFAULT_LEAD_HORIZON_DAYS = 30;

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
