/**
 * An alert: what the detection layer tells planners, built from one or more findings of one
 * (device, metric, kind). Plain data (epoch ms throughout); the API view converts times to ISO 8601.
 */
import type { AlertPriority, AlertStatus } from '#contracts';
import type {
  DetectorFamily,
  Evidence,
  FaultClass,
  Finding,
  FindingKind,
  FindingLifecycle,
  Prediction,
  Severity,
} from '../core/index.js';

/**
 * recovered: its detector cleared it; quiet_period: an event alert without findings for its quiet period;
 * sensor_drift: its device's own sensor of that metric drifts (drift-attribution.ts), the note says which alert.
 */
export type ClearReason = 'recovered' | 'quiet_period' | 'sensor_drift';

export interface Alert {
  readonly id: string;
  readonly deviceId: string;
  readonly assetId: string | null;
  readonly customerId: string | null;
  readonly metric: string;
  readonly kind: FindingKind;
  readonly fault: FaultClass;
  readonly detector: DetectorFamily;
  readonly lifecycle: FindingLifecycle;
  readonly severity: Severity;
  readonly score: number;
  readonly status: AlertStatus;
  readonly explanation: string;
  readonly standard: string | null;
  readonly evidence: Evidence;
  readonly prediction: Prediction | null;
  readonly details: Finding['details'] | null;
  /** Event time of the reading that triggered the alert (the deciding reading of its first finding). */
  readonly eventTime: number;
  /** Event time the anomaly started (the finding's onset). */
  readonly onsetTime: number;
  /** Wall-clock time the alert was opened. */
  readonly openedAt: number;
  /** Event time of the latest finding that touched the alert. */
  readonly lastEventTime: number;
  readonly occurrences: number;
  /** Wall-clock time it cleared. */
  readonly clearedAt: number | null;
  readonly clearedEventTime: number | null;
  readonly clearReason: ClearReason | null;
  readonly acknowledgedBy: string | null;
  readonly acknowledgedAt: number | null;
  /** Who dismissed it or marked it false positive, when, and why. */
  readonly closedBy: string | null;
  readonly closedAt: number | null;
  readonly note: string | null;
  /** Bumped by every change (optimistic concurrency between the pipeline and planners). */
  readonly version: number;
  /** Wall-clock time of the last change. */
  readonly updatedAt: number;
}

/** Who owns the device an alert is about (from the fleet), for scoping and the work order. */
export interface AlertOwner {
  readonly assetId: string | null;
  readonly customerId: string | null;
}

/** `attributed`: a sensor_drift alert recorded a finding it held back or an alert it resolved (drift-attribution.ts). */
export type AlertChangeType =
  | 'raised'
  | 'reopened'
  | 'repeated'
  | 'escalated'
  | 'cleared'
  | 'acknowledged'
  | 'dismissed'
  | 'false_positive'
  | 'attributed';

export interface SensitivityAdjustment {
  readonly from: number;
  readonly to: number;
}

/** One change of one alert, as emitted on `alerts$` (the automation subscribes to it). */
export interface AlertChange {
  readonly type: AlertChangeType;
  /** The alert after the change. */
  readonly alert: Alert;
  readonly previous: Alert | null;
  /** The finding behind a detector-driven change. */
  readonly finding: Finding | null;
  /** "system" for the detectors, the planner's token id for actions. */
  readonly actor: string;
  readonly note: string | null;
  /** Set when a false positive lowered the device's sensitivity. */
  readonly sensitivity: SensitivityAdjustment | null;
  /** Set by a drift attribution: what it links (the drift alert, the finding held, the alert resolved). */
  readonly attribution?: Readonly<Record<string, string | number>>;
}

export const SYSTEM_ACTOR = 'system';

export function isOpen(status: AlertStatus): boolean {
  return status === 'active' || status === 'acknowledged';
}

/** Severity -> service priority (ARCHITECTURE.md: P1 critical, on site within 2 h .. P4 low). */
export function priorityOf(severity: Severity): AlertPriority {
  switch (severity) {
    case 'critical':
      return 'P1';
    case 'high':
      return 'P2';
    case 'medium':
      return 'P3';
    case 'low':
      return 'P4';
  }
}

/** Identity of the one open alert allowed per device, metric and kind. */
export function alertKey(deviceId: string, metric: string, kind: string): string {
  return `${deviceId}\u0000${metric}\u0000${kind}`;
}
