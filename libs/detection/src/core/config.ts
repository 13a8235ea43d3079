/**
 * Configuration of the detectors of one stream. `buildStreamConfig` (metric-profiles.ts) fills it from the
 * metric's defaults and the asset profile; a `null` section disables that detector.
 *
 * Sensitivity: a per-device multiplier s (default 1, clamped to [0.25, 4]); false-positive feedback lowers it.
 * It never moves a limit that a standard sets (80 % of nominal DFT, -850 mV...), only how much evidence a
 * detector wants before it speaks:
 *   statistical z threshold / s, CUSUM decision interval h / s, slope-change z / s,
 *   confirmation counts round(k / s) (at least 1), stuck count round(k / s) (at least 3),
 *   noise ratio 1 + (r - 1) / s, forecast confidence 1 - (1 - c) * s (within [0.5, 0.99]).
 */
import type { CorrosivityCategory } from '#contracts';
import type { FaultClass, FindingKind, Severity } from './types.js';

export const SENSITIVITY_MIN = 0.25;
export const SENSITIVITY_MAX = 4;

export function clampSensitivity(s: number): number {
  if (!Number.isFinite(s)) return 1;
  return Math.min(SENSITIVITY_MAX, Math.max(SENSITIVITY_MIN, s));
}

/** The feedback step after a planner marks a finding false positive (the wiring records the change). */
export function sensitivityAfterFalsePositive(current: number, factor = 0.8): number {
  return clampSensitivity(current * factor);
}

export function scaledCount(count: number, sensitivity: number, minimum = 1): number {
  return Math.max(minimum, Math.round(count / sensitivity));
}

export interface WindowConfig {
  /** Valid readings kept for the robust baseline and as evidence (the raw ring). Default 24. */
  readonly size: number;
  /** Recompute median / MAD / noise every this many readings (amortises the cost). Default 4. */
  readonly refreshEvery: number;
  /**
   * Readings needed before the statistical and change-point detectors speak; default the whole window (24),
   * so that a daily cycle is part of the baseline and not mistaken for a change.
   */
  readonly warmup: number;
  /** Floor of the robust standard deviation, metric unit (sensor resolution). */
  readonly minSpread: number;
  /** Floor of the robust standard deviation relative to |median|. Default 0.002. */
  readonly relativeMinSpread: number;
}

export interface BucketConfig {
  /** Event-time bucket for the trend detectors (UTC-aligned). Default 1 day. */
  readonly bucketMs: number;
  /** Closed buckets kept for the regression. Default 30. */
  readonly size: number;
}

export interface Band {
  readonly limit: number;
  /** true: violated only strictly beyond the limit; false: at the limit too. */
  readonly strict: boolean;
  readonly severity: Severity;
}

/** A confirmed threshold condition with hysteresis (domain rules, battery). */
export interface RuleConfig {
  /** Unique within the stream; key of its state in the snapshot. */
  readonly id: string;
  readonly kind: FindingKind;
  readonly fault: FaultClass;
  /** `reading`: each valid reading; `window_mean`: the spike-trimmed mean of the full window at each refresh. */
  readonly input: 'reading' | 'window_mean';
  readonly violates: 'below' | 'above';
  /** The first band is the raise limit; further bands escalate (each more extreme). */
  readonly bands: readonly Band[];
  /** Clears once the input is back on the good side of the raise limit by this margin (hysteresis). */
  readonly clearMargin: number;
  /** Consecutive violating inputs needed to raise (and to escalate). Default 3. */
  readonly confirm: number;
  /** Consecutive inputs beyond the clear level needed to clear. Default 3. */
  readonly clearConfirm: number;
  readonly standard: string | null;
  /** What is measured, in plain words: "dry film thickness". */
  readonly subject: string;
  /** What the raise limit is, in plain words: "240 um (80 % of the 300 um nominal DFT)". */
  readonly limitText: string;
  /**
   * Event time (epoch ms) from which the rule no longer raises; an active condition still clears on recovery.
   * An acceptance criterion (ISO 19840) judges the new film, not a film that has been weathering for years.
   */
  readonly activeUntil?: number;
  /**
   * Event time (epoch ms) before which the rule raises nothing: readings dated before a coating's installation
   * measure the film being applied (or the one it replaced), not the film the acceptance criterion judges.
   */
  readonly activeFrom?: number;
}

/** What a detected change means for this metric (null: re-baseline silently). */
export interface ChangeMeaning {
  readonly kind: FindingKind;
  readonly fault: FaultClass;
  readonly severity: Severity;
  /** Plain-words interpretation appended to the explanation. */
  readonly meaning: string;
}

export interface SpikeConfig {
  /** Robust z (|x - median| / (1.4826 MAD)) beyond which a reading is an outlier. Default 5. */
  readonly zThreshold: number;
  /** A run of at most this many outliers followed by a normal reading is a spike. Default 2. */
  readonly maxRun: number;
  /** A run of this many outliers on one side is a level shift. Default 4. */
  readonly shiftRun: number;
  /** Report `level_shift` findings (off when the CUSUM step detector runs on the stream: it reports steps). */
  readonly reportShifts: boolean;
}

/** Two-sided CUSUM (Page 1954) on the clipped robust z against the rolling median. */
export interface StepConfig {
  /**
   * Reference value (allowance) in sigma. Default 1: a daily cycle or a slow ramp keeps |z| around 1 or
   * below and does not accumulate; a step of 2 sigma or more does. A finding further needs the step to be
   * at least 3 robust sigmas (and `minMagnitude`) beyond the trend before it (step-detector.ts).
   */
  readonly k: number;
  /** Decision interval in sigma. Default 8 (a step of 3 sigma or more alarms on its 5th reading). */
  readonly h: number;
  /** z is clipped to +-clip so one spike adds at most clip - k. Default 3. */
  readonly clip: number;
  /** Steps smaller than this (metric unit) re-baseline without a finding. */
  readonly minMagnitude: number;
  readonly up: ChangeMeaning | null;
  readonly down: ChangeMeaning | null;
}

/** The recent level leaving its multi-day baseline towards a limit (DepartureDetector). */
export interface DepartureConfig {
  readonly limit: number;
  readonly direction: 'rising' | 'falling';
  /** What the limit is, in plain words. */
  readonly limitText: string;
  /** Readings whose median is the recent level. Default 6. */
  readonly recentReadings: number;
  /** Closed daily means whose median is the baseline. Default 7. */
  readonly baselineBuckets: number;
  /** Smallest departure worth a finding, metric unit. */
  readonly minDeparture: number;
  /** Departure needed as a fraction of the distance from the baseline to the limit. */
  readonly fractionOfDistance: number;
  /** Departure needed in robust standard deviations of the reading window (daily cycles). */
  readonly spreadFactor: number;
  /** Consecutive baseline refreshes needed. Default 2. */
  readonly confirm: number;
  readonly meaning: ChangeMeaning;
}

/** Change of slope between the recent buckets and the older ones (Theil-Sen on each segment). */
export interface SlopeChangeConfig {
  /** Buckets in the recent segment. Default 10. */
  readonly recentBuckets: number;
  /** Buckets needed before the recent segment. Default 8. */
  readonly minReferenceBuckets: number;
  /**
   * Change of slope in standard errors needed. Default 5: the test runs at every closed bucket on
   * overlapping windows, and a 10-point slope has heavier tails than a normal.
   */
  readonly z: number;
  /** Smallest change of slope worth a finding, metric unit per day. */
  readonly minChangePerDay: number;
  /** Also require change * recentBuckets-days >= spreadFactor * robust sigma of the readings (0 = off). */
  readonly spreadFactor: number;
  /** Consecutive bucket evaluations needed. Default 3. */
  readonly confirm: number;
  readonly rising: ChangeMeaning | null;
  readonly falling: ChangeMeaning | null;
  /**
   * A trend the quantity cannot take at all (a film does not grow, metal loss does not shrink): the recent slope
   * itself beyond z standard errors and `minChangePerDay` in this direction means the sensor, not the asset.
   */
  readonly impossible?: { readonly direction: 'rising' | 'falling'; readonly meaning: ChangeMeaning } | null;
}

export interface ForecastConfig {
  readonly kind: FindingKind;
  readonly fault: FaultClass;
  /** The limit the series must not cross, and from which side it approaches it. */
  readonly limit: number;
  readonly direction: 'falling' | 'rising';
  /** Lead horizon: a crossing predicted within it raises a finding. Default 30 days (issue 5). */
  readonly horizonMs: number;
  /** Probability of crossing within the horizon needed. Default 0.8. */
  readonly minConfidence: number;
  /** Closed buckets needed for a regression. Default 7. */
  readonly minBuckets: number;
  readonly confirm: number;
  readonly clearConfirm: number;
  readonly subject: string;
  readonly limitText: string;
  readonly standard: string | null;
}

export interface RangeConfig {
  /** Plausible range; readings outside it are flagged and kept out of every model. */
  readonly min: number;
  readonly max: number;
  readonly confirm: number;
  readonly clearConfirm: number;
  /** Why the range is what it is ("above 3x nominal DFT: suspect (ISO 19840)"). */
  readonly reason: string;
  readonly standard: string | null;
}

export interface StuckConfig {
  /** Consecutive identical readings (within tolerance) that make a stuck sensor. */
  readonly count: number;
  readonly tolerance: number;
  /** Readings pinned at the plausible range limits do not count (humidity 100 % in fog is real). */
  readonly ignoreAtRangeLimits: boolean;
}

export interface NoiseConfig {
  /** Current noise / reference noise beyond which the sensor is noisy. Default 3. */
  readonly ratio: number;
  /** Consecutive refreshes needed to raise / to clear. Default 3. */
  readonly confirm: number;
  readonly clearConfirm: number;
  /** EWMA weight of each refresh in the reference noise. Default 0.05. */
  readonly referenceAlpha: number;
  /**
   * The usual noise is taken as at least this (metric unit): a series that was quiet for a while (humidity held
   * at saturation) must not make the ordinary noise of the sensor look like a fault. Default 0: the resolution.
   */
  readonly minReference?: number;
  /**
   * The sensor's noise is a fraction of its reading (an LPR / ER corrosion-rate probe: a few % of the rate), so
   * noise is judged relative to the level (window median, taken as at least `minLevel`): a rate that rises
   * tenfold with real corrosion is not a noisy sensor. Default: absent, noise in the metric's unit.
   */
  readonly relative?: { readonly minLevel: number };
}

export interface OfflineConfig {
  /** The device's sampling interval. Default 1 h (the device default). */
  readonly intervalMs: number;
  /** Offline after this many intervals without a reading. Default 3. */
  readonly factor: number;
  /** Severity rises to medium after this many intervals. Default 24. */
  readonly escalateFactor: number;
}

export interface StreamConfig {
  readonly metric: string;
  readonly unit: string;
  readonly subject: string;
  readonly window: WindowConfig;
  readonly buckets: BucketConfig;
  readonly rules: readonly RuleConfig[];
  readonly spike: SpikeConfig | null;
  readonly step: StepConfig | null;
  readonly slope: SlopeChangeConfig | null;
  readonly departure: DepartureConfig | null;
  readonly forecast: ForecastConfig | null;
  readonly range: RangeConfig | null;
  readonly stuck: StuckConfig | null;
  readonly noise: NoiseConfig | null;
  readonly offline: OfflineConfig;
}

/** Per-asset domain thresholds; every field optional, the default and its standard in standards.ts. */
export interface AssetThresholds {
  readonly dftMinFraction?: number;
  readonly dftMeanFraction?: number;
  /** Fraction of the nominal DFT at which the film is taken as broken down (in-service limit). */
  readonly dftBreakdownFraction?: number;
  /** Days after the coating's installation during which the ISO 19840 acceptance rules apply. */
  readonly acceptanceDays?: number;
  readonly dftSuspectFactor?: number;
  readonly corrosionRateBandsMmY?: { readonly moderate?: number; readonly high?: number; readonly severe?: number };
  readonly cpProtectedMv?: number;
  readonly cpUnprotectedMv?: number;
  readonly cpOverprotectedMv?: number;
  readonly metalLossAllowanceUm?: number;
  readonly batteryLowV?: number;
  readonly leadHorizonDays?: number;
  readonly forecastMinConfidence?: number;
  readonly confirmReadings?: number;
  readonly clearReadings?: number;
  readonly offlineFactor?: number;
}

/** Detector-level overrides of one metric; `null` disables the detector. */
export interface StreamOverrides {
  readonly window?: Partial<WindowConfig>;
  readonly buckets?: Partial<BucketConfig>;
  readonly spike?: Partial<SpikeConfig> | null;
  readonly step?: Partial<Omit<StepConfig, 'up' | 'down'>> | null;
  readonly slope?: Partial<Omit<SlopeChangeConfig, 'rising' | 'falling'>> | null;
  readonly departure?: Partial<Omit<DepartureConfig, 'meaning' | 'limitText'>> | null;
  readonly forecast?: Partial<Pick<ForecastConfig, 'horizonMs' | 'minConfidence' | 'minBuckets' | 'limit'>> | null;
  readonly range?: Partial<Pick<RangeConfig, 'min' | 'max' | 'confirm' | 'clearConfirm'>> | null;
  readonly stuck?: Partial<StuckConfig> | null;
  readonly noise?: Partial<NoiseConfig> | null;
  readonly offline?: Partial<OfflineConfig>;
  /**
   * Drift against the other sensors of this metric on the asset (`PairedDriftGroup`, metrics the asset's devices
   * share only): `null` leaves the metric out, `limit` (metric unit) replaces the default deviation limit.
   */
  readonly pairedDrift?: { readonly limit?: number } | null;
}

/** What the detectors know of the asset a device sits on (from the fleet's coating specification). */
export interface AssetProfile {
  readonly nominalDftUm?: number;
  /**
   * When the coating was applied (epoch ms): the ISO 19840 acceptance rules judge the film only in its first
   * `acceptanceDays`. Unknown: the film is judged in service only.
   */
  readonly coatingInstalledAt?: number;
  readonly corrosivityCategory?: CorrosivityCategory;
  /** The device's sampling interval (fleet `samplingIntervalS`), for the offline check. */
  readonly samplingIntervalS?: number;
  readonly thresholds?: AssetThresholds;
  /** Per metric name. */
  readonly streams?: Readonly<Record<string, StreamOverrides>>;
}
