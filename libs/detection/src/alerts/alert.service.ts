import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import {
  type AlertActionName,
  type AlertListQuery,
  type AlertStatus,
  PUBLIC_EVENT_PUBLISHER,
  type Principal,
  type PublicEventPublisher,
} from '#contracts';
import { DATABASE, type Database, type DbExecutor } from '#database';
import { Clock } from '#platform';
import type { Finding } from '../core/index.js';
import { DETECTION_OPTIONS, type DetectionOptions } from '../detection-options.js';
import { DetectionMetrics } from '../pipeline/detection-metrics.js';
import { pgCode } from '../state/detector-state.repository.js';
import { SensitivityRepository, type StoredSensitivity } from '../sensitivity/sensitivity.repository.js';
import { type Alert, type AlertChange, type AlertOwner, SYSTEM_ACTOR, isOpen, priorityOf } from './alert.js';
import { AlertActionError, AlertLifecycle } from './alert-lifecycle.js';
import { type AlertActionRecord, AlertRepository } from './alert.repository.js';
import {
  type Attributed,
  DriftAttribution,
  type DriftHold,
  attributable,
  attributionNote,
  recordAttributed,
  resolveAttributed,
} from './drift-attribution.js';

/** Public event type of each alert change; repeats stay in-process (they would flood webhooks). */
const PUBLIC_TYPES: Partial<Record<AlertChange['type'], string>> = {
  raised: 'alert.raised',
  reopened: 'alert.reopened',
  escalated: 'alert.escalated',
  cleared: 'alert.cleared',
  acknowledged: 'alert.acknowledged',
  dismissed: 'alert.dismissed',
  false_positive: 'alert.false_positive',
};

const PG_UNIQUE_VIOLATION = '23505';
/** Kinds whose open alerts are read with the quiet deadlines: the drift holds (drift-attribution.ts). */
const DRIFT_KINDS = ['sensor_drift'];
/** Attempts when a planner's action or another writer changed the alert between read and write. */
const ATTEMPTS = 5;

class VersionConflict extends Error {}

/**
 * Alerts on the database: applies findings through the AlertLifecycle, planner actions, queries. Every
 * change commits with its action log row and its public event (the outbox), then is emitted on `alerts$`
 * (the automation that opens work orders subscribes to it).
 */
@Injectable()
export class AlertService {
  readonly lifecycle: AlertLifecycle;
  private readonly subject = new Subject<AlertChange>();
  /** Every committed alert change, in commit order. */
  readonly alerts$: Observable<AlertChange> = this.subject.asObservable();
  /** Per device: open event alerts and the event time their quiet period ends (loaded once per device). */
  private readonly quiet = new Map<string, Map<string, number>>();
  /**
   * Open sensor_drift alerts that hold back their device's asset-fault findings (drift-attribution.ts): loaded
   * with the quiet deadlines (the same read), kept up to date by every committed change.
   */
  private readonly drift = new DriftAttribution();
  /** Per device: holds read back at its load, whose open asset-fault alerts are resolved at its next finding. */
  private readonly unresolved = new Map<string, DriftHold[]>();
  private readonly logger = new Logger('AlertService');

  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly repo: AlertRepository,
    private readonly sensitivities: SensitivityRepository,
    @Inject(PUBLIC_EVENT_PUBLISHER) private readonly publisher: PublicEventPublisher,
    private readonly clock: Clock,
    private readonly metrics: DetectionMetrics,
    @Inject(DETECTION_OPTIONS) options: DetectionOptions,
  ) {
    this.lifecycle = new AlertLifecycle(options.policy);
  }

  /**
   * Applies one finding of a device (the pipeline calls it per device, in event-time order). `pending` is the
   * key's debounce state; the new one is answered with the change (null when the finding changed no alert).
   * An asset-fault finding of a sensor that drifts (a confident sensor_drift alert open on its device and
   * metric) opens no alert: it is held back, recorded on the drift alert (`heldBy` its id), counted and logged.
   * A drift alert that starts such a hold resolves the device's open asset-fault alerts of its metric.
   */
  async applyFinding(
    finding: Finding,
    owner: AlertOwner,
    pending: readonly number[],
  ): Promise<{ change: AlertChange | null; pending: readonly number[]; heldBy?: string }> {
    // Also loads the device's open drift alerts (the same read as its quiet deadlines).
    await this.sweepQuiet(finding.deviceId, finding.detectedAt);
    const loaded = this.unresolved.get(finding.deviceId);
    if (loaded !== undefined) {
      // Holds read back at the device's load: resolve what a stop between a drift's commit and its resolution
      // left open (usually nothing: one read).
      this.unresolved.delete(finding.deviceId);
      for (const h of loaded) {
        if (this.drift.holdOn(h.deviceId, h.metric)?.alertId === h.alertId) {
          await this.resolveUnder(h, finding.detectedAt, null);
        }
      }
    }
    const hold = this.drift.holdFor(finding);
    if (hold !== undefined) {
      await this.holdBack(hold, finding);
      return { change: null, pending, heldBy: hold.alertId };
    }
    const result = await this.judge(finding, owner, pending);
    if (finding.kind === 'sensor_drift' && result.change !== null) {
      // `committed` has observed the drift alert: resolve what its hold now covers (nothing open: one read).
      const hold = this.drift.holdOn(finding.deviceId, finding.metric);
      if (hold?.alertId === result.change.alert.id) await this.resolveUnder(hold, finding.detectedAt, finding);
    }
    return result;
  }

  private async judge(
    finding: Finding,
    owner: AlertOwner,
    pending: readonly number[],
  ): Promise<{ change: AlertChange | null; pending: readonly number[] }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.db.transaction(async (tx) => {
          // One read of the key per finding: a burst of alerts pays every statement once per alert.
          const { open, last } = await this.repo.findCurrent(tx, finding.deviceId, finding.metric, finding.kind);
          const now = this.clock.now();
          const outcome = this.lifecycle.onFinding(finding, { open, last, pending, owner, now, newId: randomUUID });
          if (outcome.type === 'ignored') return { change: null, pending: outcome.pending };
          const change: AlertChange = {
            type: outcome.type,
            alert: outcome.alert,
            previous: outcome.previous,
            finding,
            actor: SYSTEM_ACTOR,
            note: null,
            sensitivity: null,
          };
          await this.write(tx, change, now);
          return { change, pending: outcome.pending };
        });
        if (result.change) this.committed(result.change);
        return result;
      } catch (error) {
        const retry = error instanceof VersionConflict || pgCode(error) === PG_UNIQUE_VIOLATION;
        if (!retry || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Whether `sweepQuiet(deviceId, eventNow)` may have something to do: true when the device's deadlines are
   * not loaded yet or one is due. Synchronous, so the pipeline's batches skip a promise in the usual case.
   */
  quietDue(deviceId: string, eventNow: number): boolean {
    const deadlines = this.quiet.get(deviceId);
    if (!deadlines) return true;
    for (const deadline of deadlines.values()) if (deadline <= eventNow) return true;
    return false;
  }

  /** Clears the device's open event alerts whose quiet period ended at or before event time `eventNow`. */
  async sweepQuiet(deviceId: string, eventNow: number): Promise<AlertChange[]> {
    const deadlines = await this.quietDeadlines(deviceId);
    const due = [...deadlines].filter(([, deadline]) => deadline <= eventNow).map(([id]) => id);
    const changes: AlertChange[] = [];
    for (const id of due) {
      const change = await this.db.transaction(async (tx) => {
        const alert = await this.repo.get(tx, id);
        if (!alert) return null;
        const now = this.clock.now();
        const cleared = this.lifecycle.onQuiet(alert, eventNow, now);
        if (!cleared) return null;
        const c: AlertChange = {
          type: 'cleared',
          alert: cleared,
          previous: alert,
          finding: null,
          actor: SYSTEM_ACTOR,
          note: null,
          sensitivity: null,
        };
        await this.write(tx, c, now);
        return c;
      });
      if (change) {
        this.committed(change);
        changes.push(change);
      } else {
        // Closed by a planner meanwhile, or its deadline moved: re-read next time.
        this.quiet.delete(deviceId);
      }
    }
    return changes;
  }

  /** A planner's action (or the automation's, e.g. a work order cancelled as false alarm). */
  async act(
    id: string,
    action: AlertActionName,
    actor: string,
    note: string | null,
    expectedVersion?: number,
  ): Promise<AlertChange> {
    for (let attempt = 1; ; attempt++) {
      try {
        const change = await this.db.transaction(async (tx) => {
          const alert = await this.repo.get(tx, id);
          if (!alert) throw new NotFoundException({ message: `alert ${id} not found`, field: 'id' });
          const sensitivity = (await this.sensitivities.get(tx, alert.deviceId))?.value ?? 1;
          const now = this.clock.now();
          const outcome = this.lifecycle.onAction(alert, action, { actor, note, now, sensitivity }, expectedVersion);
          const c: AlertChange = {
            type: outcome.type,
            alert: outcome.alert,
            previous: alert,
            finding: null,
            actor,
            note,
            sensitivity: outcome.sensitivity,
          };
          if (outcome.sensitivity) {
            await this.sensitivities.record(tx, alert.deviceId, {
              at: now,
              from: outcome.sensitivity.from,
              to: outcome.sensitivity.to,
              by: actor,
              reason: `false positive: ${alert.kind} on ${alert.metric}`,
              alertId: alert.id,
              note,
            });
          }
          await this.write(tx, c, now);
          return c;
        });
        this.committed(change);
        return change;
      } catch (error) {
        if (error instanceof AlertActionError) {
          throw new ConflictException({ message: error.message, field: error.field });
        }
        // The pipeline changed the alert between our read and write: the action is judged again.
        if (!(error instanceof VersionConflict) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  async list(principal: Principal, query: AlertListQuery): Promise<Alert[]> {
    let customerId = query.customerId;
    if (principal.role === 'customer') {
      if (customerId !== undefined && customerId !== principal.customerId) return [];
      customerId = principal.customerId;
    }
    const statuses = query.status?.flatMap((s): AlertStatus[] => (s === 'open' ? ['active', 'acknowledged'] : [s]));
    return this.repo.list(this.db, {
      statuses,
      deviceId: query.deviceId,
      assetId: query.assetId,
      customerId,
      kind: query.kind,
      severities: query.severity,
      from: query.from === undefined ? undefined : Date.parse(query.from),
      to: query.to === undefined ? undefined : Date.parse(query.to),
      limit: query.limit,
      offset: query.offset,
    });
  }

  /** An alert the caller may see, with its history; 404 otherwise (a customer cannot probe other ids). */
  async get(principal: Principal, id: string): Promise<{ alert: Alert; history: AlertActionRecord[] }> {
    const alert = await this.repo.get(this.db, id);
    const visible = alert && (principal.role !== 'customer' || alert.customerId === principal.customerId);
    if (!alert || !visible) throw new NotFoundException({ message: `alert ${id} not found`, field: 'id' });
    return { alert, history: await this.repo.history(this.db, id) };
  }

  async sensitivityOf(deviceId: string): Promise<StoredSensitivity> {
    return (await this.sensitivities.get(this.db, deviceId)) ?? { value: 1, history: [] };
  }

  /** Sensitivities of several devices in one query: every id asked has one (1 when none is stored). */
  async sensitivitiesOf(deviceIds: readonly string[]): Promise<Map<string, StoredSensitivity>> {
    const stored = await this.sensitivities.getMany(this.db, deviceIds);
    return new Map(deviceIds.map((id) => [id, stored.get(id) ?? { value: 1, history: [] }]));
  }

  /**
   * Loads the open event alerts (quiet deadlines) and open sensor_drift alerts (drift holds) of several devices
   * in one query, for those not loaded yet: what `sweepQuiet` would otherwise read device by device at their
   * first batch.
   */
  async preloadQuiet(deviceIds: readonly string[]): Promise<void> {
    const missing = deviceIds.filter((id) => !this.quiet.has(id));
    if (missing.length === 0) return;
    const byDevice = new Map<string, Map<string, number>>(missing.map((id) => [id, new Map()]));
    for (const alert of await this.repo.openWatchedAlertsOf(this.db, missing, DRIFT_KINDS)) {
      const deadline = this.lifecycle.quietDeadline(alert);
      if (deadline !== null && isOpen(alert.status)) byDevice.get(alert.deviceId)?.set(alert.id, deadline);
      this.observeDrift(alert, true);
    }
    // A device loaded meanwhile (its own read, kept up to date by `committed`) keeps what it has.
    for (const [id, deadlines] of byDevice) if (!this.quiet.has(id)) this.quiet.set(id, deadlines);
  }

  /** Forgets what is cached of a device (deleted). */
  forgetDevice(deviceId: string): void {
    this.quiet.delete(deviceId);
    this.drift.forget(deviceId);
    this.unresolved.delete(deviceId);
  }

  complete(): void {
    this.subject.complete();
  }

  /** `eventTime` of the history row: the finding's by default, the clearing's for a clear without one. */
  private async write(
    tx: DbExecutor,
    change: AlertChange,
    now: number,
    eventTime = change.finding?.detectedAt ?? (change.type === 'cleared' ? change.alert.clearedEventTime : null),
  ): Promise<void> {
    const { alert, previous } = change;
    if (previous === null) await this.repo.insert(tx, alert);
    else if (!(await this.repo.update(tx, alert, previous.version))) throw new VersionConflict();
    await this.repo.insertAction(tx, {
      alertId: alert.id,
      action: change.type,
      at: now,
      eventTime,
      actor: change.actor,
      note: change.note,
      details: {
        severity: alert.severity,
        occurrences: alert.occurrences,
        ...(change.finding ? { phase: change.finding.phase, score: change.finding.score } : {}),
        ...(previous && previous.severity !== alert.severity ? { previousSeverity: previous.severity } : {}),
        ...(change.sensitivity ? { sensitivity: change.sensitivity } : {}),
        ...change.attribution,
      },
    });
    const type = PUBLIC_TYPES[change.type];
    if (type === undefined) return;
    await this.publisher.publish(
      {
        type,
        at: new Date(now).toISOString(),
        subject: { kind: 'alert', id: alert.id },
        customerId: alert.customerId,
        technicianId: null,
        data: {
          deviceId: alert.deviceId,
          assetId: alert.assetId,
          metric: alert.metric,
          kind: alert.kind,
          fault: alert.fault,
          status: alert.status,
          severity: alert.severity,
          priority: priorityOf(alert.severity),
          score: alert.score,
          occurrences: alert.occurrences,
          eventTime: new Date(alert.eventTime).toISOString(),
          explanation: alert.explanation,
          version: alert.version,
          ...(alert.prediction ? { predictedCrossing: new Date(alert.prediction.crossingTime).toISOString() } : {}),
          ...(change.sensitivity ? { sensitivity: change.sensitivity } : {}),
          ...(change.note !== null ? { note: change.note } : {}),
        },
      },
      tx,
    );
  }

  /** A finding held back by a drift hold: on the drift alert (details and history), counted, logged. */
  private async holdBack(hold: DriftHold, finding: Finding): Promise<void> {
    this.metrics.held.inc({ kind: finding.kind });
    this.logger.log(
      `device ${finding.deviceId} ${finding.metric}: ${finding.kind} (${finding.fault}, ${finding.phase}) held back, ` +
        `${attributionNote(hold)}`,
    );
    await this.attribute(hold, { type: 'finding', finding }, finding.detectedAt);
  }

  /**
   * Resolves the device's open asset-fault alerts of the drifting metric at event time `eventTime`, each recorded
   * on the drift alert. `finding` is the drift's, when it is what started the hold.
   */
  private async resolveUnder(hold: DriftHold, eventTime: number, finding: Finding | null): Promise<void> {
    const open = await this.repo.openAlertsOn(this.db, hold.deviceId, hold.metric);
    for (const candidate of open) {
      if (!attributable(candidate, hold)) continue;
      const change = await this.transact(async (tx) => {
        const alert = await this.repo.get(tx, candidate.id);
        // Closed or changed by a planner meanwhile: what is still open is resolved, the rest left as it is.
        if (!alert || !attributable(alert, hold)) return null;
        const now = this.clock.now();
        const c: AlertChange = {
          type: 'cleared',
          alert: resolveAttributed(alert, hold, eventTime, now),
          previous: alert,
          finding,
          actor: SYSTEM_ACTOR,
          note: attributionNote(hold),
          sensitivity: null,
          attribution: { reason: 'sensor_drift', driftAlertId: hold.alertId },
        };
        // The row is the clearing's (event time, reason), not the drift finding's phase and score.
        await this.write(tx, { ...c, finding: null }, now);
        return c;
      });
      if (change === null) continue;
      this.committed(change);
      this.metrics.attributedAlerts.inc({ kind: candidate.kind });
      this.logger.log(
        `device ${hold.deviceId} ${hold.metric}: alert ${candidate.id} (${candidate.kind}) resolved, ${attributionNote(hold)}`,
      );
      await this.attribute(hold, { type: 'alert', alert: change.alert }, eventTime);
    }
  }

  /** Records what was attributed on the drift alert (details and an `attributed` history row). */
  private async attribute(hold: DriftHold, what: Attributed, eventTime: number): Promise<void> {
    const change = await this.transact(async (tx) => {
      const drift = await this.repo.get(tx, hold.alertId);
      // Closed meanwhile: the log line and the counter still say what happened.
      if (!drift || !isOpen(drift.status)) return null;
      const now = this.clock.now();
      const attribution: Readonly<Record<string, string>> =
        what.type === 'finding'
          ? {
              heldKind: what.finding.kind,
              heldFault: what.finding.fault,
              heldPhase: what.finding.phase,
              heldSeverity: what.finding.severity,
              heldEventTime: new Date(what.finding.detectedAt).toISOString(),
              heldExplanation: what.finding.explanation,
            }
          : { resolvedAlertId: what.alert.id, resolvedKind: what.alert.kind, resolvedFault: what.alert.fault };
      const c: AlertChange = {
        type: 'attributed',
        alert: recordAttributed(drift, what, now),
        previous: drift,
        finding: what.type === 'finding' ? what.finding : null,
        actor: SYSTEM_ACTOR,
        note: null,
        sensitivity: null,
        attribution,
      };
      // The row's details are the attribution's (not the held finding's phase and score, as if it were the drift's).
      await this.write(tx, { ...c, finding: null }, now, eventTime);
      return c;
    });
    if (change) this.committed(change);
  }

  /** Runs a read-modify-write transaction, again when another writer changed the alert in between. */
  private async transact<T>(work: (tx: DbExecutor) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(work);
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= ATTEMPTS) throw error;
      }
    }
  }

  /** `loaded`: read back from the database (a device's first load), not a change committed here. */
  private observeDrift(alert: Alert, loaded = false): void {
    const transition = this.drift.observe(alert);
    if (transition === null) return;
    const { hold } = transition;
    if (loaded && transition.type === 'started') {
      const list = this.unresolved.get(hold.deviceId);
      if (list) list.push(hold);
      else this.unresolved.set(hold.deviceId, [hold]);
    }
    this.logger.log(
      transition.type === 'started'
        ? `device ${hold.deviceId} ${hold.metric}: sensor drift (${hold.blame}, alert ${hold.alertId}): its asset-fault findings of ${hold.metric} are held back`
        : `device ${hold.deviceId} ${hold.metric}: sensor drift alert ${hold.alertId} closed: its findings go through again`,
    );
  }

  private committed(change: AlertChange): void {
    this.metrics.alertChanges.inc({ type: change.type });
    this.observeDrift(change.alert);
    const deadlines = this.quiet.get(change.alert.deviceId);
    if (deadlines) {
      const deadline = this.lifecycle.quietDeadline(change.alert);
      if (deadline === null) deadlines.delete(change.alert.id);
      else deadlines.set(change.alert.id, deadline);
    }
    this.subject.next(change);
  }

  private async quietDeadlines(deviceId: string): Promise<Map<string, number>> {
    let deadlines = this.quiet.get(deviceId);
    if (!deadlines) {
      deadlines = new Map();
      for (const alert of await this.repo.openWatchedAlertsOf(this.db, [deviceId], DRIFT_KINDS)) {
        const deadline = this.lifecycle.quietDeadline(alert);
        if (deadline !== null && isOpen(alert.status)) deadlines.set(alert.id, deadline);
        this.observeDrift(alert, true);
      }
      this.quiet.set(deviceId, deadlines);
    }
    return deadlines;
  }
}
