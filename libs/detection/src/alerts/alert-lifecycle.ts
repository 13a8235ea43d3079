/**
 * The alert state machine, pure: given a finding (or a planner action, or the passage of event time) and the
 * current alerts of its key, what changes. No I/O, no clock: the caller passes wall-clock `now` and new ids,
 * and stores what comes out (AlertService on the database, InMemoryAlertBook for replays and tests).
 *
 *   finding raised/escalated, no open alert -> debounce -> reopen (cleared recently) or raise a new alert
 *   finding raised/escalated, open alert    -> repeated (occurrences + 1) or escalated (severity up)
 *   finding cleared, open alert             -> cleared (recovered)
 *   event alert, no finding for the quiet period (event time) -> cleared (quiet_period)
 *   acknowledge: active -> acknowledged; dismiss: open -> dismissed;
 *   false_positive: any but false_positive -> false_positive, and the device's sensitivity goes down.
 *
 * Idempotence: a finding not newer (event time) than what its key's latest alert has seen is a replay of
 * something already judged (a restart re-reading a gap, a redelivered batch) and is ignored. That, and the
 * detectors speaking on transitions only, is why a restart or a backlog causes no alert storm.
 */
import type { AlertActionName } from '#contracts';
import { type Finding, SEVERITIES, type Severity, sensitivityAfterFalsePositive, severityRank } from '../core/index.js';
import type { Alert, AlertChangeType, AlertOwner, SensitivityAdjustment } from './alert.js';
import { isOpen } from './alert.js';
import { type AlertPolicy, DEFAULT_ALERT_POLICY, quietPeriodOf } from './alert-policy.js';

export interface FindingContext {
  /** The key's open (active or acknowledged) alert. */
  readonly open: Alert | undefined;
  /** The key's most recent alert, whatever its status (may be `open`). */
  readonly last: Alert | undefined;
  /** Event times of the key's debounced findings not yet turned into an alert. */
  readonly pending: readonly number[];
  readonly owner: AlertOwner;
  /** Wall-clock time. */
  readonly now: number;
  readonly newId: () => string;
}

export type FindingOutcome =
  | {
      readonly type: 'ignored';
      readonly reason: 'stale' | 'no_open_alert' | 'debounced';
      readonly pending: readonly number[];
    }
  | {
      readonly type: Extract<AlertChangeType, 'raised' | 'reopened' | 'repeated' | 'escalated' | 'cleared'>;
      readonly alert: Alert;
      readonly previous: Alert | null;
      readonly pending: readonly number[];
    };

export interface ActionOutcome {
  readonly type: Extract<AlertChangeType, 'acknowledged' | 'dismissed' | 'false_positive'>;
  readonly alert: Alert;
  readonly sensitivity: SensitivityAdjustment | null;
}

/** An action the alert's state does not allow (`field` names what is wrong: the version or the action). */
export class AlertActionError extends Error {
  constructor(
    readonly field: 'version' | 'action',
    message: string,
  ) {
    super(message);
  }
}

const NONE: readonly number[] = Object.freeze([]);

export class AlertLifecycle {
  constructor(readonly policy: AlertPolicy = DEFAULT_ALERT_POLICY) {}

  onFinding(finding: Finding, ctx: FindingContext): FindingOutcome {
    const { open, last } = ctx;
    // Offline is decided at a wall-clock `now` for live devices, so its times are not comparable with the event
    // times of the readings that follow (a backlog after an outage is older than the check that raised it);
    // the detector's own offline state already keeps it from repeating.
    const judged = last !== undefined && finding.kind !== 'sensor_offline' && finding.detectedAt <= watermark(last);
    if (judged) return { type: 'ignored', reason: 'stale', pending: ctx.pending };
    if (finding.phase === 'cleared') {
      if (!open) return { type: 'ignored', reason: 'no_open_alert', pending: NONE };
      return {
        type: 'cleared',
        alert: this.clear(open, finding.detectedAt, 'recovered', ctx.now),
        previous: open,
        pending: NONE,
      };
    }
    if (open) return this.repeat(open, finding, ctx.now, ctx.pending);

    let pending = NONE;
    const rule = this.policy.debounce[finding.kind];
    if (rule && rule.count > 1 && finding.phase === 'raised') {
      const from = finding.detectedAt - rule.windowMs;
      pending = [...ctx.pending.filter((t) => t >= from && t < finding.detectedAt), finding.detectedAt];
      if (pending.length < rule.count) return { type: 'ignored', reason: 'debounced', pending };
    }
    if (
      last &&
      last.status === 'cleared' &&
      last.clearedEventTime !== null &&
      finding.detectedAt - last.clearedEventTime <= this.policy.reopenWithinMs
    ) {
      const reopened: Alert = {
        ...last,
        ...this.fromFinding(finding),
        status: 'active',
        lastEventTime: finding.detectedAt,
        occurrences: last.occurrences + Math.max(1, pending.length),
        clearedAt: null,
        clearedEventTime: null,
        clearReason: null,
        version: last.version + 1,
        updatedAt: ctx.now,
      };
      return { type: 'reopened', alert: reopened, previous: last, pending: NONE };
    }
    const alert: Alert = {
      id: ctx.newId(),
      deviceId: finding.deviceId,
      assetId: ctx.owner.assetId,
      customerId: ctx.owner.customerId,
      metric: finding.metric,
      kind: finding.kind,
      fault: finding.fault,
      detector: finding.detector,
      lifecycle: finding.lifecycle,
      ...this.fromFinding(finding),
      status: 'active',
      eventTime: finding.detectedAt,
      onsetTime: Math.min(finding.eventTime, pending[0] ?? finding.eventTime),
      openedAt: ctx.now,
      lastEventTime: finding.detectedAt,
      occurrences: Math.max(1, pending.length),
      clearedAt: null,
      clearedEventTime: null,
      clearReason: null,
      acknowledgedBy: null,
      acknowledgedAt: null,
      closedBy: null,
      closedAt: null,
      note: null,
      version: 1,
      updatedAt: ctx.now,
    };
    return { type: 'raised', alert, previous: null, pending: NONE };
  }

  /** Event time at which an open event alert goes quiet, or null (conditions wait for their detector). */
  quietDeadline(alert: Alert): number | null {
    if (!isOpen(alert.status) || alert.lifecycle !== 'event') return null;
    return alert.lastEventTime + quietPeriodOf(this.policy, alert.kind);
  }

  /** Clears an open event alert whose quiet period has passed at event time `eventNow`. */
  onQuiet(alert: Alert, eventNow: number, now: number): Alert | null {
    const deadline = this.quietDeadline(alert);
    if (deadline === null || eventNow < deadline) return null;
    return this.clear(alert, deadline, 'quiet_period', now);
  }

  onAction(
    alert: Alert,
    action: AlertActionName,
    input: { readonly actor: string; readonly note: string | null; readonly now: number; readonly sensitivity: number },
    expectedVersion?: number,
  ): ActionOutcome {
    if (expectedVersion !== undefined && expectedVersion !== alert.version) {
      throw new AlertActionError(
        'version',
        `alert ${alert.id} is at version ${alert.version}, not ${expectedVersion}: reload it and retry`,
      );
    }
    const base = { version: alert.version + 1, updatedAt: input.now };
    switch (action) {
      case 'acknowledge':
        if (alert.status !== 'active') {
          throw new AlertActionError(
            'action',
            `alert ${alert.id} is ${alert.status}: only an active alert can be acknowledged`,
          );
        }
        return {
          type: 'acknowledged',
          alert: { ...alert, ...base, status: 'acknowledged', acknowledgedBy: input.actor, acknowledgedAt: input.now },
          sensitivity: null,
        };
      case 'dismiss':
        if (!isOpen(alert.status)) {
          throw new AlertActionError(
            'action',
            `alert ${alert.id} is ${alert.status}: only an open alert can be dismissed`,
          );
        }
        return {
          type: 'dismissed',
          alert: {
            ...alert,
            ...base,
            status: 'dismissed',
            closedBy: input.actor,
            closedAt: input.now,
            note: input.note,
          },
          sensitivity: null,
        };
      case 'false_positive': {
        if (alert.status === 'false_positive') {
          throw new AlertActionError('action', `alert ${alert.id} is already marked false positive`);
        }
        const to = sensitivityAfterFalsePositive(input.sensitivity);
        return {
          type: 'false_positive',
          alert: {
            ...alert,
            ...base,
            status: 'false_positive',
            closedBy: input.actor,
            closedAt: input.now,
            note: input.note,
          },
          sensitivity: { from: input.sensitivity, to },
        };
      }
    }
  }

  private repeat(open: Alert, finding: Finding, now: number, pending: readonly number[]): FindingOutcome {
    const occurrences = open.occurrences + 1;
    let severity = maxSeverity(open.severity, finding.severity);
    const rule = this.policy.repeatEscalation;
    if (rule && open.lifecycle === 'event' && occurrences === rule.occurrences) {
      const bumped = SEVERITIES[Math.min(severityRank(severity) + 1, severityRank(rule.maxSeverity))] ?? severity;
      severity = maxSeverity(severity, bumped);
    }
    // The latest evidence replaces the earlier one unless it is weaker than what the alert already says.
    const fresher = severityRank(finding.severity) >= severityRank(open.severity) ? this.fromFinding(finding) : {};
    const alert: Alert = {
      ...open,
      ...fresher,
      severity,
      lastEventTime: finding.detectedAt,
      occurrences,
      version: open.version + 1,
      updatedAt: now,
    };
    const type = severityRank(severity) > severityRank(open.severity) ? 'escalated' : 'repeated';
    return { type, alert, previous: open, pending };
  }

  private fromFinding(f: Finding) {
    return {
      severity: f.severity,
      score: f.score,
      explanation: f.explanation,
      standard: f.standard ?? null,
      evidence: f.evidence,
      prediction: f.prediction ?? null,
      details: f.details ?? null,
    };
  }

  private clear(alert: Alert, eventTime: number, reason: 'recovered' | 'quiet_period', now: number): Alert {
    return {
      ...alert,
      status: 'cleared',
      clearedAt: now,
      clearedEventTime: eventTime,
      clearReason: reason,
      lastEventTime: Math.max(alert.lastEventTime, reason === 'recovered' ? eventTime : alert.lastEventTime),
      version: alert.version + 1,
      updatedAt: now,
    };
  }
}

/** The newest event time an alert has judged: findings at or before it are replays. */
function watermark(alert: Alert): number {
  return Math.max(alert.lastEventTime, alert.clearedEventTime ?? Number.NEGATIVE_INFINITY);
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}
