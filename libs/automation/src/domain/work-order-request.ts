import type { Alert, FaultClass, FindingKind, Prediction } from '#detection';
import type { AlertWorkOrderRequest } from '#service-desk';
import { faultCategoryOf } from './fault-category.js';

const DAY_MS = 86_400_000;
/** The service desk keeps at most this many readings as evidence (DetectorEvidenceSchema). */
export const MAX_EVIDENCE_READINGS = 1000;
const MAX_FINDING_CHARS = 2000;
const MAX_TITLE_CHARS = 200;

/** What the work is, in a planner's words, per fault class (the start of the title). */
const WORK_BY_CLASS: Readonly<Record<FaultClass, string>> = {
  coating_damage: 'Coating repair',
  coating_degradation: 'Coating repair',
  corrosion: 'Corrosion',
  cathodic_protection: 'Cathodic protection',
  sensor: 'Sensor check',
  anomaly: 'Sensor check',
};

/** What the detector saw, in plain words, per finding kind (the rest of the title). */
const SEEN_BY_KIND: Readonly<Record<FindingKind, string>> = {
  dft_below_minimum: 'coating thickness below the ISO 19840 minimum',
  dft_mean_below_nominal: 'mean coating thickness below nominal',
  dft_below_breakdown: 'coating worn down to its breakdown thickness',
  corrosion_rate_high: 'corrosion rate in a high band',
  cp_underprotected: 'potential short of the -850 mV protection criterion',
  cp_overprotected: 'potential beyond the over-protection limit',
  metal_loss_allowance_exceeded: 'metal loss beyond its allowance',
  battery_low: 'logger battery low',
  spike: 'readings jumping far off',
  level_shift: 'readings shifted level',
  coating_damage: 'sudden loss of coating thickness',
  accelerated_degradation: 'coating thinning faster than before',
  corrosion_onset: 'onset of corrosion',
  cp_depolarisation: 'potential moving towards unprotected',
  step_change: 'sudden change of level',
  slope_change: 'change of trend',
  predicted_coating_breakdown: 'coating predicted to wear down to its breakdown thickness',
  predicted_metal_loss_allowance: 'metal loss predicted to exceed its allowance',
  predicted_cp_underprotection: 'potential predicted to lose the protection criterion',
  predicted_battery_low: 'logger battery predicted to run low',
  predicted_limit_crossing: 'series predicted to cross its limit',
  sensor_stuck: 'sensor stuck on one value',
  sensor_out_of_range: 'readings out of the sensor range',
  sensor_noise: 'sensor readings noisy',
  sensor_drift: 'sensor drifting from its partner',
  sensor_offline: 'logger not reporting',
};

const iso = (ms: number): string => new Date(ms).toISOString();
const day = (ms: number): string => iso(ms).slice(0, 10);

function round(x: number, digits = 3): number {
  return Number(x.toPrecision(digits));
}

/**
 * The date a predicted fault should be dealt with by: the early end of the forecast's confidence band (the
 * crossing is unlikely before it), never before the reading that raised the alert. Null without a usable
 * forecast.
 */
export function plannedByOf(alert: Pick<Alert, 'eventTime' | 'prediction'>): number | null {
  const p = alert.prediction;
  if (p === null) return null;
  const target = Number.isFinite(p.earliest) ? p.earliest : p.crossingTime;
  if (!Number.isFinite(target)) return null;
  return Math.round(Math.max(alert.eventTime, target));
}

function forecastOf(p: Prediction | null, metric: string): AlertWorkOrderRequest['evidence']['forecast'] {
  if (p === null) return null;
  const crossing = Number.isFinite(p.crossingTime) ? Math.max(0, Math.round(p.crossingTime)) : null;
  const band =
    `${Number.isFinite(p.earliest) ? day(p.earliest) : '?'} .. ` +
    `${p.latest !== null && Number.isFinite(p.latest) ? day(p.latest) : 'open'}`;
  const summary =
    `${metric} is forecast to reach ${round(p.limit)} around ${crossing === null ? '?' : day(crossing)} ` +
    `(band ${band}, ${Math.round(p.confidence * 100)} % likely within ${round(p.horizonMs / DAY_MS)} days; ` +
    `trend ${round(p.slopePerDay)} per day from ${round(p.level)})`;
  return {
    summary,
    thresholdCrossingAt: crossing,
    confidence: Number.isFinite(p.confidence) ? Math.min(1, Math.max(0, p.confidence)) : null,
  };
}

/** The readings behind the alert, at most the service desk's limit (the most recent ones). */
function readingsOf(alert: Alert): Array<{ ts: number; value: number }> {
  const points = alert.evidence.points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.ts) && p.ts >= 0);
  return points.slice(-MAX_EVIDENCE_READINGS).map((p) => ({ ts: Math.round(p.ts), value: p.value }));
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "Coating repair: sudden loss of coating thickness (gauge-7)"; "Planned" first for a predicted fault. */
export function titleOf(alert: Pick<Alert, 'fault' | 'kind' | 'deviceId' | 'prediction'>): string {
  const planned = alert.prediction !== null ? 'Planned ' : '';
  const work = WORK_BY_CLASS[alert.fault];
  const head = `${planned}${planned ? work.charAt(0).toLowerCase() + work.slice(1) : work}`;
  return clip(`${head}: ${SEEN_BY_KIND[alert.kind]} (${alert.deviceId})`, MAX_TITLE_CHARS);
}

/** The detector's explanation and the facts a planner checks before trusting it, in plain words. */
export function descriptionOf(alert: Alert, plannedBy: number | null): string {
  const lines = [
    alert.explanation,
    '',
    `Raised by the ${alert.detector.replace('_', ' ')} detector on ${alert.metric} of device ${alert.deviceId}, ` +
      `reading of ${iso(alert.eventTime)} (anomaly since ${iso(alert.onsetTime)}); ` +
      `severity ${alert.severity}, score ${round(alert.score, 2)}.`,
  ];
  if (alert.standard) lines.push(`Criterion: ${alert.standard}.`);
  if (plannedBy !== null && alert.prediction !== null) {
    lines.push(
      `Predicted: the limit ${round(alert.prediction.limit)} is crossed around ${day(alert.prediction.crossingTime)}; ` +
        `plan the visit before ${day(plannedBy)}.`,
    );
  }
  lines.push(`Alert ${alert.id}.`);
  return lines.join('\n');
}

/**
 * The request that opens (or joins) the work order of an alert: fault category, severity (the service desk maps
 * it to a priority), plain-words title and description, and the evidence: alert id, device, metric, event time
 * of the triggering reading, readings window, forecast; a planned date for a predicted fault. The asset is left
 * to the service desk (the device's asset), which refuses a device that is not on the asset named.
 */
export function workOrderRequestOf(alert: Alert): AlertWorkOrderRequest {
  const plannedBy = plannedByOf(alert);
  const from = Math.max(0, Math.round(Math.min(alert.evidence.from, alert.evidence.to)));
  const to = Math.max(from, Math.round(alert.evidence.to));
  return {
    faultCategory: faultCategoryOf(alert),
    severity: alert.severity,
    title: titleOf(alert),
    description: descriptionOf(alert, plannedBy),
    ...(plannedBy !== null ? { plannedBy } : {}),
    evidence: {
      alertId: alert.id,
      deviceId: alert.deviceId,
      metric: alert.metric,
      eventTime: Math.round(alert.eventTime),
      window: { from, to },
      readings: readingsOf(alert),
      finding: clip(alert.explanation.trim(), MAX_FINDING_CHARS),
      forecast: forecastOf(alert.prediction, alert.metric),
    },
  };
}
