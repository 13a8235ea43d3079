/**
 * Vocabulary of the detector core: what a detector says about a stream of readings.
 * Plain data only: a Finding is JSON-serialisable as it is (numbers, strings, arrays, plain objects).
 */

/** How urgent a finding is; maps onto the service priorities P1 (critical) .. P4 (low). */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * The maintenance fault a finding points at: what a work order would be opened for.
 * `anomaly` is a statistical oddity without a domain meaning (generic metrics).
 */
export type FaultClass =
  'coating_damage' | 'coating_degradation' | 'corrosion' | 'cathodic_protection' | 'sensor' | 'anomaly';

export type FindingKind =
  // domain rules (confirmed conditions)
  | 'dft_below_minimum'
  | 'dft_mean_below_nominal'
  | 'dft_below_breakdown'
  | 'corrosion_rate_high'
  | 'cp_underprotected'
  | 'cp_overprotected'
  | 'metal_loss_allowance_exceeded'
  | 'battery_low'
  // statistical anomaly
  | 'spike'
  | 'level_shift'
  // change points
  | 'coating_damage'
  | 'accelerated_degradation'
  | 'corrosion_onset'
  | 'cp_depolarisation'
  | 'step_change'
  | 'slope_change'
  // trend forecast (predictive)
  | 'predicted_coating_breakdown'
  | 'predicted_metal_loss_allowance'
  | 'predicted_cp_underprotection'
  | 'predicted_battery_low'
  | 'predicted_limit_crossing'
  // sensor health
  | 'sensor_stuck'
  | 'sensor_out_of_range'
  | 'sensor_noise'
  | 'sensor_drift'
  | 'sensor_offline';

/** Which family of detector produced the finding. */
export type DetectorFamily = 'domain_rule' | 'statistical' | 'change_point' | 'trend_forecast' | 'sensor_health';

/**
 * `raised`: a condition started (or an event happened); `escalated`: an active condition got more severe;
 * `cleared`: an active condition ended (with hysteresis). Event findings are only ever `raised`.
 */
export type FindingPhase = 'raised' | 'escalated' | 'cleared';

/**
 * `condition`: stays active until the same detector emits `cleared` (e.g. DFT below 80 % of nominal).
 * `event`: a point in time (a spike, a step); the alert layer clears it after a quiet period.
 */
export type FindingLifecycle = 'condition' | 'event';

export interface EvidencePoint {
  /** Event time, epoch ms. */
  readonly ts: number;
  readonly value: number;
}

export interface Evidence {
  readonly from: number;
  readonly to: number;
  /** Readings (or daily means for trend findings) the decision rests on, oldest first. */
  readonly points: readonly EvidencePoint[];
  /** What the points are, e.g. "readings" or "daily means". */
  readonly series: 'readings' | 'bucket_means' | 'paired_differences';
}

export interface Prediction {
  /** The limit the series is heading for, in the metric's unit. */
  readonly limit: number;
  /** Point estimate of the crossing, epoch ms (event time). */
  readonly crossingTime: number;
  /** Confidence band of the crossing (about 90 %, two-sided); `latest` null when unbounded. */
  readonly earliest: number;
  readonly latest: number | null;
  /** Probability that the limit is crossed within the lead horizon. */
  readonly confidence: number;
  readonly horizonMs: number;
  /** Robust (Theil-Sen) slope, metric unit per day. */
  readonly slopePerDay: number;
  /** Fitted level at the last bucket. */
  readonly level: number;
}

export interface Finding {
  readonly deviceId: string;
  readonly metric: string;
  readonly kind: FindingKind;
  readonly fault: FaultClass;
  readonly detector: DetectorFamily;
  readonly phase: FindingPhase;
  readonly lifecycle: FindingLifecycle;
  /** Strength of the evidence in [0, 1]; 0.5 is "just at the detection threshold". */
  readonly score: number;
  readonly severity: Severity;
  /** One or two sentences a planner can read. */
  readonly explanation: string;
  /** Event time at which the anomaly started (first violating reading, change onset, spike time), epoch ms. */
  readonly eventTime: number;
  /** Event time of the reading (or the explicit `now`, for offline) at which the detector decided. */
  readonly detectedAt: number;
  readonly evidence: Evidence;
  readonly prediction?: Prediction;
  /** Standard the rule or default comes from, when there is one. */
  readonly standard?: string;
  /** Small numeric / text facts behind the decision (thresholds, z-score, band...). */
  readonly details?: Readonly<Record<string, number | string | boolean | null>>;
}

/** Minimal reading shape the core needs; `Reading` of #contracts satisfies it. */
export interface ObservedReading {
  readonly deviceId: string;
  readonly metric: string;
  readonly ts: number;
  readonly value: number;
}
