/**
 * Which detectors run on which metric, with their defaults: the registry's knowledge of the metric catalog.
 * Unknown metrics get the generic statistical and change-point detectors only (issue 5).
 */
import { catalogMetric } from '#contracts';
import type {
  AssetProfile,
  AssetThresholds,
  BucketConfig,
  ChangeMeaning,
  DepartureConfig,
  ForecastConfig,
  NoiseConfig,
  OfflineConfig,
  RangeConfig,
  RuleConfig,
  SlopeChangeConfig,
  SpikeConfig,
  StepConfig,
  StreamConfig,
  StreamOverrides,
  StuckConfig,
  WindowConfig,
} from './config.js';
import {
  CP_CRITERION,
  CP_OVERPROTECTED_MV,
  CP_PROTECTED_MV,
  CP_UNPROTECTED_MV,
  DAY_MS,
  DEFAULT_BATTERY_LOW_V,
  DEFAULT_LEAD_HORIZON_DAYS,
  DEFAULT_METAL_LOSS_ALLOWANCE_UM,
  DFT_ACCEPTANCE_DAYS,
  DFT_BREAKDOWN_FRACTION,
  DFT_SUSPECT_FACTOR,
  ISO12944_MAINTENANCE,
  ISO19840,
  ISO19840_MEAN_FRACTION,
  ISO19840_MIN_FRACTION,
  ISO9223,
  ISO9223_FIRST_YEAR_LOSS_UM,
  NACE_BANDS_MM_Y,
  NACE_SP0775,
} from './standards.js';
import { DEFAULT_DRIFT_LIMITS } from './detectors/paired-drift-group.js';
import type { Severity } from './types.js';

const DEFAULT_WINDOW: WindowConfig = {
  size: 24,
  refreshEvery: 4,
  warmup: 24,
  minSpread: 1e-9,
  relativeMinSpread: 0.002,
};
const DEFAULT_BUCKETS: BucketConfig = { bucketMs: DAY_MS, size: 30 };
const DEFAULT_SPIKE: SpikeConfig = { zThreshold: 5, maxRun: 2, shiftRun: 4, reportShifts: false };
const DEFAULT_NOISE: NoiseConfig = { ratio: 3, confirm: 3, clearConfirm: 3, referenceAlpha: 0.05 };
const DEFAULT_CONFIRM = 3;
const DEFAULT_CLEAR = 3;
const DEFAULT_FORECAST_CONFIDENCE = 0.8;
const DEFAULT_OFFLINE_FACTOR = 3;

const GENERIC_STEP: ChangeMeaning = {
  kind: 'step_change',
  fault: 'anomaly',
  severity: 'low',
  meaning: 'the level of the series changed',
};
const GENERIC_SLOPE: ChangeMeaning = {
  kind: 'slope_change',
  fault: 'anomaly',
  severity: 'low',
  meaning: 'the trend of the series changed',
};

/** A trend the quantity cannot physically take: the sensor, not the asset. */
function sensorDrift(meaning: string): ChangeMeaning {
  return { kind: 'sensor_drift', fault: 'sensor', severity: 'low', meaning };
}

function step(minMagnitude: number, up: ChangeMeaning | null, down: ChangeMeaning | null): StepConfig {
  return { k: 1, h: 8, clip: 3, minMagnitude, up, down };
}

function slope(
  minChangePerDay: number,
  spreadFactor: number,
  rising: ChangeMeaning | null,
  falling: ChangeMeaning | null,
): SlopeChangeConfig {
  return {
    recentBuckets: 10,
    minReferenceBuckets: 8,
    z: 5,
    minChangePerDay,
    spreadFactor,
    confirm: 3,
    rising,
    falling,
  };
}

interface Draft {
  unit: string;
  subject: string;
  window: WindowConfig;
  rules: RuleConfig[];
  spike: SpikeConfig | null;
  step: StepConfig | null;
  slope: SlopeChangeConfig | null;
  departure: DepartureConfig | null;
  forecast: ForecastConfig | null;
  range: RangeConfig | null;
  stuck: StuckConfig | null;
  noise: NoiseConfig | null;
  /**
   * Detectors that do not run on this metric by default but that an asset may switch on (an override object),
   * with the configuration they then start from.
   */
  optIn?: { readonly step?: StepConfig; readonly slope?: SlopeChangeConfig };
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/** Resolved domain thresholds of an asset: the defaults of standards.ts where the asset says nothing. */
function thresholdsOf(t: AssetThresholds | undefined) {
  return {
    dftMinFraction: t?.dftMinFraction ?? ISO19840_MIN_FRACTION,
    dftMeanFraction: t?.dftMeanFraction ?? ISO19840_MEAN_FRACTION,
    dftBreakdownFraction: t?.dftBreakdownFraction ?? DFT_BREAKDOWN_FRACTION,
    acceptanceMs: (t?.acceptanceDays ?? DFT_ACCEPTANCE_DAYS) * DAY_MS,
    dftSuspectFactor: t?.dftSuspectFactor ?? DFT_SUSPECT_FACTOR,
    bands: {
      moderate: t?.corrosionRateBandsMmY?.moderate ?? NACE_BANDS_MM_Y.moderate,
      high: t?.corrosionRateBandsMmY?.high ?? NACE_BANDS_MM_Y.high,
      severe: t?.corrosionRateBandsMmY?.severe ?? NACE_BANDS_MM_Y.severe,
    },
    cpProtectedMv: t?.cpProtectedMv ?? CP_PROTECTED_MV,
    cpUnprotectedMv: t?.cpUnprotectedMv ?? CP_UNPROTECTED_MV,
    cpOverprotectedMv: t?.cpOverprotectedMv ?? CP_OVERPROTECTED_MV,
    metalLossAllowanceUm: t?.metalLossAllowanceUm ?? DEFAULT_METAL_LOSS_ALLOWANCE_UM,
    batteryLowV: t?.batteryLowV ?? DEFAULT_BATTERY_LOW_V,
    horizonMs: (t?.leadHorizonDays ?? DEFAULT_LEAD_HORIZON_DAYS) * DAY_MS,
    minConfidence: t?.forecastMinConfidence ?? DEFAULT_FORECAST_CONFIDENCE,
    confirm: t?.confirmReadings ?? DEFAULT_CONFIRM,
    clear: t?.clearReadings ?? DEFAULT_CLEAR,
    offlineFactor: t?.offlineFactor ?? DEFAULT_OFFLINE_FACTOR,
  };
}
type Thresholds = ReturnType<typeof thresholdsOf>;

function catalogRange(metric: string, reason: string): RangeConfig | null {
  const def = catalogMetric(metric);
  if (!def) return null;
  return { min: def.min, max: def.max, confirm: 2, clearConfirm: 3, reason, standard: null };
}

function coatingThickness(profile: AssetProfile, t: Thresholds): Draft {
  const nominal = profile.nominalDftUm;
  const rules: RuleConfig[] = [];
  let forecast: ForecastConfig | null = null;
  const subject = 'dry film thickness';
  if (nominal !== undefined && nominal > 0) {
    const installed = profile.coatingInstalledAt;
    if (installed !== undefined) {
      // ISO 19840 is an acceptance criterion for a new film: in service every coating thins by design (its
      // durability is the time to wear down to breakdown), so these rules stop raising after the acceptance period.
      // Readings dated before the installation (the film being built up, or the one it replaced) are not judged.
      const activeFrom = installed;
      const activeUntil = installed + t.acceptanceMs;
      const min = nominal * t.dftMinFraction;
      // ISO 19840: no individual reading below 80 % of nominal.
      rules.push({
        id: 'dft_min',
        kind: 'dft_below_minimum',
        fault: 'coating_degradation',
        input: 'reading',
        violates: 'below',
        bands: [{ limit: min, strict: true, severity: 'high' }],
        clearMargin: nominal * 0.02,
        confirm: t.confirm,
        clearConfirm: t.clear,
        standard: ISO19840,
        subject,
        limitText: `${fmt(min)} um (${fmt(t.dftMinFraction * 100)} % of the ${fmt(nominal)} um nominal DFT, acceptance of the new film)`,
        activeFrom,
        activeUntil,
      });
      // ISO 19840: the mean of the series not below nominal (here: the spike-trimmed mean of the window).
      const meanLimit = nominal * t.dftMeanFraction;
      rules.push({
        id: 'dft_mean',
        kind: 'dft_mean_below_nominal',
        fault: 'coating_degradation',
        input: 'window_mean',
        violates: 'below',
        bands: [{ limit: meanLimit, strict: true, severity: 'medium' }],
        clearMargin: nominal * 0.01,
        confirm: t.confirm,
        clearConfirm: t.clear,
        standard: ISO19840,
        subject: 'mean dry film thickness of the recent readings',
        limitText: `${fmt(meanLimit)} um (the nominal DFT, acceptance of the new film)`,
        activeFrom,
        activeUntil,
      });
    }
    // In service: a film worn to the breakdown thickness no longer protects (ISO 12944-1 first major
    // maintenance); at half of that the steel is practically bare.
    const breakdown = nominal * t.dftBreakdownFraction;
    const breakdownText = `${fmt(breakdown)} um (${fmt(t.dftBreakdownFraction * 100)} % of the ${fmt(nominal)} um nominal DFT, coating breakdown)`;
    rules.push({
      id: 'dft_breakdown',
      kind: 'dft_below_breakdown',
      fault: 'coating_degradation',
      input: 'reading',
      violates: 'below',
      bands: [
        { limit: breakdown, strict: true, severity: 'high' },
        { limit: breakdown * 0.5, strict: true, severity: 'critical' },
      ],
      clearMargin: nominal * 0.02,
      confirm: t.confirm,
      clearConfirm: t.clear,
      standard: ISO12944_MAINTENANCE,
      subject,
      limitText: breakdownText,
    });
    forecast = {
      kind: 'predicted_coating_breakdown',
      fault: 'coating_degradation',
      limit: breakdown,
      direction: 'falling',
      horizonMs: t.horizonMs,
      minConfidence: t.minConfidence,
      minBuckets: 7,
      confirm: 2,
      clearConfirm: 2,
      subject,
      limitText: breakdownText,
      standard: ISO12944_MAINTENANCE,
    };
  }
  const range: RangeConfig =
    nominal !== undefined && nominal > 0
      ? {
          min: 0,
          max: nominal * t.dftSuspectFactor,
          confirm: 2,
          clearConfirm: 3,
          reason: `readings above ${fmt(t.dftSuspectFactor)}x the nominal DFT are suspect`,
          standard: ISO19840,
        }
      : { min: 0, max: 5000, confirm: 2, clearConfirm: 3, reason: 'outside the gauge range', standard: null };
  const ref = nominal ?? 300;
  return {
    unit: 'um',
    subject,
    window: { ...DEFAULT_WINDOW, minSpread: 1 },
    rules,
    spike: DEFAULT_SPIKE,
    step: step(
      ref * 0.05,
      {
        kind: 'step_change',
        fault: 'anomaly',
        severity: 'low',
        meaning: 'thickness rose suddenly: a repair or recoat, or the gauge was moved',
      },
      {
        kind: 'coating_damage',
        fault: 'coating_damage',
        severity: 'high',
        meaning: 'a sudden loss of coating thickness: mechanical damage, disbonding or blistering',
      },
    ),
    slope: {
      ...slope(ref * 0.001, 0, null, {
        kind: 'accelerated_degradation',
        fault: 'coating_degradation',
        severity: 'medium',
        meaning: 'the coating is thinning faster than before: accelerated degradation',
      }),
      // A film does not grow by itself (a recoat is a step): a thickness creeping up is the gauge drifting.
      impossible: { direction: 'rising', meaning: sensorDrift('a coating cannot grow: the gauge is drifting') },
    },
    departure: null,
    forecast,
    range,
    stuck: { count: 12, tolerance: 0, ignoreAtRangeLimits: false },
    noise: DEFAULT_NOISE,
  };
}

function corrosionRate(profile: AssetProfile, t: Thresholds): Draft {
  const b = t.bands;
  // NACE SP0775 bands. A rate the asset's ISO 9223 category already predicts for bare steel is not a finding:
  // the raise limit is the higher of the moderate band and the category's first-year loss.
  const categoryUm =
    profile.corrosivityCategory !== undefined ? ISO9223_FIRST_YEAR_LOSS_UM[profile.corrosivityCategory] : null;
  const categoryMmY = categoryUm === null ? 0 : categoryUm / 1000;
  const raise = Math.max(b.moderate, categoryMmY);
  const bandSeverity = (x: number): Severity => (x > b.severe ? 'critical' : x >= b.high ? 'high' : 'medium');
  const bands = [{ limit: raise, strict: false, severity: bandSeverity(raise) }];
  if (raise < b.high) bands.push({ limit: b.high, strict: false, severity: 'high' });
  if (raise <= b.severe) bands.push({ limit: b.severe, strict: true, severity: 'critical' });
  const why =
    raise > b.moderate
      ? `${fmt(raise)} mm/y (above the ${fmt(categoryUm ?? 0)} um/y first-year loss of category ${profile.corrosivityCategory ?? ''}, ${ISO9223})`
      : `${fmt(raise)} mm/y (moderate band, ${NACE_SP0775})`;
  const onset: ChangeMeaning = {
    kind: 'corrosion_onset',
    fault: 'corrosion',
    severity: 'medium',
    meaning: 'the corrosion rate rose: onset of corrosion at a coating defect or a more aggressive environment',
  };
  return {
    unit: 'mm/y',
    subject: 'corrosion rate',
    window: { ...DEFAULT_WINDOW, minSpread: 0.002 },
    rules: [
      {
        id: 'rate_band',
        kind: 'corrosion_rate_high',
        fault: 'corrosion',
        input: 'reading',
        violates: 'above',
        bands,
        clearMargin: raise * 0.1,
        confirm: t.confirm,
        clearConfirm: t.clear,
        standard: NACE_SP0775,
        subject: 'corrosion rate',
        limitText: why,
      },
    ],
    spike: DEFAULT_SPIKE,
    // Weather moves the rate through an intact film by a factor of 2-3 from day to day (a few 0.01 mm/y); an onset
    // that matters takes the rate into the moderate band and beyond (NACE SP0775).
    step: step(0.05, onset, GENERIC_STEP),
    slope: slope(0.001, 0, onset, null),
    departure: null,
    forecast: null,
    range: catalogRange('corrosion_rate_mm_y', 'outside the physical range of a corrosion rate'),
    stuck: { count: 24, tolerance: 0, ignoreAtRangeLimits: false },
    // A corrosion-rate probe's noise is proportional to the rate (LPR: a few %): judged relative to the rate,
    // at least the NACE SP0775 low band's top (0.025 mm/y), where the probe's own floor dominates.
    noise: { ...DEFAULT_NOISE, relative: { minLevel: NACE_BANDS_MM_Y.moderate } },
  };
}

function metalLoss(_profile: AssetProfile, t: Thresholds): Draft {
  const allowance = t.metalLossAllowanceUm;
  const limitText = `the ${fmt(allowance)} um metal-loss allowance`;
  const sensorStep = (meaning: string): ChangeMeaning => ({
    kind: 'step_change',
    fault: 'sensor',
    severity: 'low',
    meaning,
  });
  return {
    unit: 'um',
    subject: 'cumulative metal loss',
    window: { ...DEFAULT_WINDOW, minSpread: 0.2 },
    rules: [
      {
        id: 'allowance',
        kind: 'metal_loss_allowance_exceeded',
        fault: 'corrosion',
        input: 'reading',
        violates: 'above',
        bands: [{ limit: allowance, strict: true, severity: 'high' }],
        clearMargin: 0,
        confirm: t.confirm,
        clearConfirm: t.clear,
        standard: null,
        subject: 'cumulative metal loss',
        limitText,
      },
    ],
    spike: DEFAULT_SPIKE,
    step: step(
      2,
      sensorStep('ER elements do not lose metal in steps: temperature effect or damaged element'),
      sensorStep('cumulative metal loss cannot decrease: probe replaced or element fault'),
    ),
    slope: {
      ...slope(
        0.05,
        0,
        {
          kind: 'corrosion_onset',
          fault: 'corrosion',
          severity: 'medium',
          meaning: 'metal is being lost faster than before: onset of corrosion',
        },
        null,
      ),
      impossible: {
        direction: 'falling',
        meaning: sensorDrift('cumulative metal loss cannot decrease: the ER probe reading is drifting'),
      },
    },
    departure: null,
    forecast: {
      kind: 'predicted_metal_loss_allowance',
      fault: 'corrosion',
      limit: allowance,
      direction: 'rising',
      horizonMs: t.horizonMs,
      minConfidence: t.minConfidence,
      minBuckets: 7,
      confirm: 2,
      clearConfirm: 2,
      subject: 'cumulative metal loss',
      limitText,
      standard: null,
    },
    range: catalogRange('metal_loss_um', 'outside the range of an ER probe'),
    stuck: { count: 48, tolerance: 0, ignoreAtRangeLimits: false },
    noise: DEFAULT_NOISE,
  };
}

function cpPotential(_profile: AssetProfile, t: Thresholds): Draft {
  const depolarisation = (severity: Severity, meaning: string): ChangeMeaning => ({
    kind: 'cp_depolarisation',
    fault: 'cathodic_protection',
    severity,
    meaning,
  });
  const protectedText = `${fmt(t.cpProtectedMv)} mV vs Cu/CuSO4 (protection criterion)`;
  return {
    unit: 'mV',
    subject: 'CP potential',
    window: { ...DEFAULT_WINDOW, minSpread: 2 },
    rules: [
      {
        // NACE SP0169 / ISO 15589-1: protected only when more negative than -850 mV CSE.
        id: 'cp_under',
        kind: 'cp_underprotected',
        fault: 'cathodic_protection',
        input: 'reading',
        violates: 'above',
        bands: [
          { limit: t.cpProtectedMv, strict: false, severity: 'high' },
          { limit: t.cpUnprotectedMv, strict: false, severity: 'critical' },
        ],
        clearMargin: 10,
        confirm: t.confirm,
        clearConfirm: t.clear,
        standard: CP_CRITERION,
        subject: 'CP potential',
        limitText: protectedText,
      },
      {
        // ISO 15589-1: too negative a potential disbonds the coating and charges the steel with hydrogen.
        id: 'cp_over',
        kind: 'cp_overprotected',
        fault: 'cathodic_protection',
        input: 'reading',
        violates: 'below',
        bands: [{ limit: t.cpOverprotectedMv, strict: true, severity: 'medium' }],
        clearMargin: 20,
        confirm: t.confirm,
        clearConfirm: t.clear,
        standard: 'ISO 15589-1',
        subject: 'CP potential',
        limitText: `${fmt(t.cpOverprotectedMv)} mV vs Cu/CuSO4 (over-protection limit)`,
      },
    ],
    spike: DEFAULT_SPIKE,
    step: step(
      50,
      depolarisation('high', 'the potential jumped towards positive: rectifier or anode failure, or a broken bond'),
      GENERIC_STEP,
    ),
    slope: slope(
      10,
      0,
      depolarisation('medium', 'the potential is drifting towards positive faster than before: protection fading'),
      null,
    ),
    // The early warning of a CP failure: a protected potential wanders some 10-15 mV around its level; one that
    // relaxes towards its native value after a rectifier or anode failure leaves it by tens of mV within hours.
    departure: {
      limit: t.cpProtectedMv,
      direction: 'rising',
      limitText: protectedText,
      recentReadings: 6,
      baselineBuckets: 7,
      minDeparture: 50,
      fractionOfDistance: 0.4,
      spreadFactor: 3,
      confirm: 2,
      meaning: depolarisation(
        'high',
        'the potential is relaxing towards its native value: rectifier output falling, anode or bond failing',
      ),
    },
    // A protected potential reverts to its level over a week or two: a week of daily means shows "trends" that
    // are only that walk. Three weeks before extrapolating a month ahead (anode depletion is a matter of months).
    forecast: {
      kind: 'predicted_cp_underprotection',
      fault: 'cathodic_protection',
      limit: t.cpProtectedMv,
      direction: 'rising',
      horizonMs: t.horizonMs,
      minConfidence: t.minConfidence,
      minBuckets: 21,
      confirm: 2,
      clearConfirm: 2,
      subject: 'CP potential',
      limitText: protectedText,
      standard: CP_CRITERION,
    },
    range: catalogRange('cp_potential_mv', 'outside the physical range of a CP potential'),
    stuck: { count: 12, tolerance: 0, ignoreAtRangeLimits: false },
    noise: DEFAULT_NOISE,
  };
}

function environment(metric: 'temperature_c' | 'humidity_pct'): Draft {
  const temperature = metric === 'temperature_c';
  return {
    unit: temperature ? 'degC' : '%',
    subject: temperature ? 'temperature' : 'relative humidity',
    // Field RH probes are good to about +-2 %RH and read a flat 100 % in fog or immersion: the spread of the window is
    // taken as at least that, so a 96 % reading after a spell at saturation is no spike and the ordinary hour-to-hour
    // noise after it no noisy sensor. Temperature probes: 0.1 degC resolution, the usual noise at least 0.2 degC.
    window: { ...DEFAULT_WINDOW, minSpread: temperature ? 0.1 : 2 },
    rules: [],
    spike: DEFAULT_SPIKE,
    // Air temperature and humidity are the asset's surroundings, not its condition: their level and trend change
    // with every front and season (on the evaluation's fleets the generic step and slope detectors raised 528 false
    // alerts here in 2 792 device-months). Sensor health stays on (spikes, range, stuck, noise; drift against a
    // paired sensor); the change detectors are there for an asset that wants them (`streams[metric].step: {}`).
    step: null,
    slope: null,
    optIn: {
      step: step(0, GENERIC_STEP, GENERIC_STEP),
      slope: slope(temperature ? 0.5 : 2, 2, GENERIC_SLOPE, GENERIC_SLOPE),
    },
    departure: null,
    forecast: null,
    range: catalogRange(metric, 'outside the physical range'),
    stuck: { count: temperature ? 12 : 24, tolerance: 0, ignoreAtRangeLimits: !temperature },
    noise: temperature ? { ...DEFAULT_NOISE, minReference: 0.2 } : DEFAULT_NOISE,
  };
}

function battery(t: Thresholds): Draft {
  const limitText = `${fmt(t.batteryLowV)} V (end of life of the cell)`;
  return {
    unit: 'V',
    subject: 'battery voltage',
    window: { ...DEFAULT_WINDOW, minSpread: 0.005 },
    rules: [
      {
        id: 'battery_low',
        kind: 'battery_low',
        fault: 'sensor',
        input: 'reading',
        violates: 'below',
        bands: [
          { limit: t.batteryLowV, strict: true, severity: 'medium' },
          { limit: t.batteryLowV - 0.3, strict: true, severity: 'high' },
        ],
        clearMargin: 0.1,
        confirm: t.confirm,
        clearConfirm: t.clear,
        standard: null,
        subject: 'battery voltage',
        limitText,
      },
    ],
    spike: DEFAULT_SPIKE,
    step: step(0.1, null, {
      kind: 'step_change',
      fault: 'sensor',
      severity: 'low',
      meaning: 'the battery voltage dropped suddenly: failing cell or a new load',
    }),
    slope: null,
    departure: null,
    forecast: {
      kind: 'predicted_battery_low',
      fault: 'sensor',
      limit: t.batteryLowV,
      direction: 'falling',
      horizonMs: t.horizonMs,
      minConfidence: t.minConfidence,
      minBuckets: 7,
      confirm: 2,
      clearConfirm: 2,
      subject: 'battery voltage',
      limitText,
      standard: null,
    },
    range: catalogRange('battery_v', 'outside the physical range of a battery voltage'),
    stuck: null,
    noise: null,
  };
}

/** Unknown metrics: the generic statistical and change-point detectors only. */
function generic(): Draft {
  return {
    unit: '',
    subject: 'value',
    window: DEFAULT_WINDOW,
    rules: [],
    spike: DEFAULT_SPIKE,
    step: step(0, GENERIC_STEP, GENERIC_STEP),
    slope: slope(0, 2, GENERIC_SLOPE, GENERIC_SLOPE),
    departure: null,
    forecast: null,
    range: null,
    stuck: null,
    noise: null,
  };
}

function draftFor(metric: string, profile: AssetProfile, t: Thresholds): Draft {
  switch (metric) {
    case 'coating_thickness_um':
      return coatingThickness(profile, t);
    case 'corrosion_rate_mm_y':
      return corrosionRate(profile, t);
    case 'metal_loss_um':
      return metalLoss(profile, t);
    case 'cp_potential_mv':
      return cpPotential(profile, t);
    case 'temperature_c':
    case 'humidity_pct':
      return environment(metric);
    case 'battery_v':
      return battery(t);
    default:
      return generic();
  }
}

/**
 * `undefined` keeps the default, `null` disables, an object is merged over the default. A detector without a
 * default on this metric starts from its opt-in configuration; where it has none, an object is an error (it
 * would otherwise be ignored without a word).
 */
function merge<T extends object>(
  metric: string,
  name: string,
  base: T | null,
  override: Partial<NoInfer<T>> | null | undefined,
  optIn?: T,
): T | null {
  if (override === null) return null;
  if (override === undefined) return base;
  const from = base ?? optIn;
  if (!from)
    throw new RangeError(
      `${metric}: the ${name} detector has no configuration for this metric, so an override cannot switch it on`,
    );
  return { ...from, ...override };
}

function applyOverrides(metric: string, draft: Draft, o: StreamOverrides | undefined): Draft {
  if (!o) return draft;
  return {
    ...draft,
    window: { ...draft.window, ...o.window },
    spike: merge(metric, 'spike', draft.spike, o.spike),
    step: merge(metric, 'step', draft.step, o.step, draft.optIn?.step),
    slope: merge(metric, 'slope', draft.slope, o.slope, draft.optIn?.slope),
    departure: merge(metric, 'departure', draft.departure, o.departure),
    forecast: merge(metric, 'forecast', draft.forecast, o.forecast),
    range: merge(metric, 'range', draft.range, o.range),
    stuck: merge(metric, 'stuck', draft.stuck, o.stuck),
    noise: merge(metric, 'noise', draft.noise, o.noise),
  };
}

/**
 * Metrics every sensor on an asset measures of the same film, structure or site: the ones drift against
 * paired sensors compares (those with a drift limit). Not a device's own battery, nor an ER probe's metal loss
 * (each element's cumulative loss since its own installation).
 */
const SHARED_METRICS: ReadonlySet<string> = new Set(Object.keys(DEFAULT_DRIFT_LIMITS));

/**
 * The deviation limit of drift against paired sensors for this metric on an asset with this profile, or null
 * when the metric takes no part (not shared, or switched off by `streams[metric].pairedDrift: null`).
 */
export function pairedDriftLimit(metric: string, profile: AssetProfile = {}): number | null {
  const override = profile.streams?.[metric]?.pairedDrift;
  if (override === null || !SHARED_METRICS.has(metric)) return null;
  return override?.limit ?? DEFAULT_DRIFT_LIMITS[metric] ?? null;
}

/** The full configuration of one (device, metric) stream on an asset with this profile. */
export function buildStreamConfig(metric: string, profile: AssetProfile = {}): StreamConfig {
  const t = thresholdsOf(profile.thresholds);
  const overrides = profile.streams?.[metric];
  const draft = applyOverrides(metric, draftFor(metric, profile, t), overrides);
  const offline: OfflineConfig = {
    intervalMs: (profile.samplingIntervalS ?? 3600) * 1000,
    factor: t.offlineFactor,
    escalateFactor: 24,
    ...overrides?.offline,
  };
  const paired = overrides?.pairedDrift;
  if (paired && !SHARED_METRICS.has(metric)) {
    throw new RangeError(`${metric}: pairedDrift compares sensors of a metric the asset's devices share; not this one`);
  }
  if (paired?.limit !== undefined && !(paired.limit > 0)) {
    throw new RangeError(`${metric}: pairedDrift.limit must be positive`);
  }
  const config: StreamConfig = {
    metric,
    unit: draft.unit,
    subject: draft.subject,
    window: draft.window,
    buckets: { ...DEFAULT_BUCKETS, ...overrides?.buckets },
    rules: draft.rules,
    spike: draft.spike,
    step: draft.step,
    slope: draft.slope,
    departure: draft.departure,
    forecast: draft.forecast,
    range: draft.range,
    stuck: draft.stuck,
    noise: draft.noise,
    offline,
  };
  validateStreamConfig(config);
  return config;
}

/** Fails fast, naming the field, on a configuration the detectors cannot run with. */
export function validateStreamConfig(c: StreamConfig): void {
  const positiveInt = (value: number, field: string) => {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${c.metric}: ${field} must be a positive integer`);
  };
  positiveInt(c.window.size, 'window.size');
  positiveInt(c.window.refreshEvery, 'window.refreshEvery');
  positiveInt(c.window.warmup, 'window.warmup');
  if (c.departure) {
    positiveInt(c.departure.recentReadings, 'departure.recentReadings');
    positiveInt(c.departure.baselineBuckets, 'departure.baselineBuckets');
    positiveInt(c.departure.confirm, 'departure.confirm');
    if (c.departure.recentReadings > c.window.size) {
      throw new RangeError(`${c.metric}: departure.recentReadings must not exceed window.size`);
    }
    if (c.departure.baselineBuckets > c.buckets.size) {
      throw new RangeError(`${c.metric}: departure.baselineBuckets must not exceed buckets.size`);
    }
  }
  if (c.window.size < 4) throw new RangeError(`${c.metric}: window.size must be at least 4`);
  if (c.window.warmup > c.window.size) throw new RangeError(`${c.metric}: window.warmup must not exceed window.size`);
  positiveInt(c.buckets.size, 'buckets.size');
  positiveInt(c.buckets.bucketMs, 'buckets.bucketMs');
  if (c.slope && c.slope.recentBuckets + c.slope.minReferenceBuckets > c.buckets.size) {
    throw new RangeError(`${c.metric}: slope.recentBuckets + slope.minReferenceBuckets must not exceed buckets.size`);
  }
  if (c.forecast && c.forecast.minBuckets > c.buckets.size) {
    throw new RangeError(`${c.metric}: forecast.minBuckets must not exceed buckets.size`);
  }
  if (c.forecast && !(c.forecast.minConfidence > 0 && c.forecast.minConfidence < 1)) {
    throw new RangeError(`${c.metric}: forecast.minConfidence must be in (0, 1)`);
  }
  if (c.offline.intervalMs <= 0 || c.offline.factor <= 0) {
    throw new RangeError(`${c.metric}: offline.intervalMs and offline.factor must be positive`);
  }
  const ids = new Set<string>();
  for (const rule of c.rules) {
    if (ids.has(rule.id)) throw new RangeError(`${c.metric}: duplicate rule id ${rule.id}`);
    ids.add(rule.id);
    if (rule.bands.length === 0) throw new RangeError(`${c.metric}: rule ${rule.id} needs at least one band`);
  }
}
