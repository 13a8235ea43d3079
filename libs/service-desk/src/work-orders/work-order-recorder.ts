import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DbExecutor } from '#database';
import {
  formatWorkOrderNumber,
  localDate,
  openWorkOrder,
  planFollowUps,
  progressAfterCompletion,
  transition,
  workOrderNumberYear,
  type Actor,
  type FalseAlarmFeedback,
  type OpenWorkOrderInput,
  type TransitionRequest,
  type WorkOrder,
} from '../domain/index.js';
import { AfterSalesRepository } from '../after-sales/after-sales.repository.js';
import { SERVICE_DESK_CONFIG, type ServiceDeskConfig } from '../config/service-desk-options.js';
import { FleetLookupRepository } from '../fleet-lookup/fleet-lookup.repository.js';
import { PreventivePlanRepository } from '../preventive/preventive-plan.repository.js';
import { conflict, domainHttpError, orThrow, unknownReference } from '../shared/http-errors.js';
import { ServiceDeskEvents, type ServiceDeskEventType } from '../shared/service-desk-events.js';
import { iso, isoOrNull } from '../shared/time.js';
import { logRecordOf, type LogKind, type LogRecord } from './work-order-log.js';
import type { StoredWorkOrder, WorkOrderExtras } from './work-order.mapper.js';
import { WorkOrderRepository } from './work-order.repository.js';

/** A change kept beside the work order (a part, a comment...): its log entry and its public event. */
export interface SideChange {
  readonly kind: LogKind;
  readonly data: Record<string, unknown>;
  readonly note?: string | null;
  readonly event: ServiceDeskEventType;
  /** Hidden from the customer (an internal note). */
  readonly internal?: boolean;
}

/**
 * Every write to a work order goes through here, inside the caller's transaction: the domain decides, the row
 * is written under optimistic concurrency (`UPDATE ... WHERE version = $old`), the event-log entry is appended
 * with the new version as its sequence, and the public event is published in the same transaction.
 */
@Injectable()
export class WorkOrderRecorder {
  constructor(
    private readonly workOrders: WorkOrderRepository,
    private readonly afterSales: AfterSalesRepository,
    private readonly plans: PreventivePlanRepository,
    private readonly fleet: FleetLookupRepository,
    private readonly events: ServiceDeskEvents,
    @Inject(SERVICE_DESK_CONFIG) private readonly config: ServiceDeskConfig,
  ) {}

  /** Opens a work order: yearly number, the domain's opening (deadlines from the SLA policy), row, log, event. */
  async open(
    tx: DbExecutor,
    input: OpenWorkOrderInput,
    actor: Actor,
    now: number,
    links: { readonly alertId?: string; readonly preventivePlanId?: string } = {},
  ): Promise<StoredWorkOrder> {
    const year = workOrderNumberYear(now, this.config.calendar.timeZone);
    const sequence = await this.workOrders.nextSequence(tx, year);
    const identity = { id: randomUUID(), number: formatWorkOrderNumber(year, sequence) };
    const { workOrder, entry } = orThrow(openWorkOrder(input, identity, actor, now, this.config.lifecycle));
    const extras: WorkOrderExtras = {
      currency: this.config.currency,
      alertId: links.alertId ?? null,
      preventivePlanId: links.preventivePlanId ?? null,
    };
    await this.workOrders.insert(tx, workOrder, extras, now);
    await this.workOrders.appendLog(tx, [logRecordOf(entry)]);
    await this.events.workOrder(tx, 'work_order.opened', workOrder, now, {
      source: workOrder.source,
      title: workOrder.title,
      faultCategory: workOrder.faultCategory,
      deviceId: workOrder.deviceId,
      alertId: extras.alertId,
      due: {
        firstResponse: isoOrNull(workOrder.sla.due.firstResponse),
        onSite: isoOrNull(workOrder.sla.due.onSite),
        resolution: isoOrNull(workOrder.sla.due.resolution),
      },
    });
    return { workOrder, extras, updatedAt: now };
  }

  /** Writes a domain step (the new value and its entries) if nobody changed the work order meanwhile. */
  async save(
    tx: DbExecutor,
    before: StoredWorkOrder,
    after: WorkOrder,
    records: readonly LogRecord[],
    now: number,
  ): Promise<StoredWorkOrder> {
    if (!(await this.workOrders.update(tx, after, before.workOrder.version, now))) {
      throw await this.stale(tx, before);
    }
    await this.workOrders.appendLog(tx, records);
    return { workOrder: after, extras: before.extras, updatedAt: now };
  }

  /**
   * Records a change kept beside the work order: bumps its version (the caller holds the row lock, or the bump
   * reports a concurrent change), appends the entry and publishes the event.
   */
  async recordChange(
    tx: DbExecutor,
    stored: StoredWorkOrder,
    actor: Actor,
    now: number,
    change: SideChange,
  ): Promise<StoredWorkOrder> {
    const version = await this.workOrders.bumpVersion(tx, stored.workOrder.id, stored.workOrder.version, now);
    if (version === null) throw await this.stale(tx, stored);
    const workOrder: WorkOrder = { ...stored.workOrder, version };
    await this.workOrders.appendLog(tx, [
      {
        workOrderId: workOrder.id,
        sequence: version,
        at: now,
        actor,
        note: change.note ?? null,
        kind: change.kind,
        data: change.data,
      },
    ]);
    await this.events.workOrder(tx, change.event, workOrder, now, change.data, { internal: change.internal ?? false });
    return { workOrder, extras: stored.extras, updatedAt: now };
  }

  /**
   * One lifecycle move: the domain's transition (version, table, actor, guards), the write, the log entry,
   * `work_order.transitioned`, and what the move implies: an acceptance record, follow-ups after closure,
   * a preventive plan's progress, the false-alarm feedback to detection.
   */
  async transition(
    tx: DbExecutor,
    stored: StoredWorkOrder,
    request: TransitionRequest,
    actor: Actor,
    now: number,
  ): Promise<StoredWorkOrder> {
    const before = stored.workOrder;
    const result = orThrow(transition(before, request, actor, now, this.config.lifecycle));
    const assigned = result.workOrder.technicianId;
    if (request.to === 'assigned' && assigned !== null && assigned !== before.technicianId) {
      if (!(await this.fleet.technicianExists(tx, assigned)))
        throw unknownReference('technicianId', 'technician', assigned);
    }
    let current = await this.save(tx, stored, result.workOrder, [logRecordOf(result.entry)], now);
    await this.events.workOrder(tx, 'work_order.transitioned', current.workOrder, now, {
      from: result.entry.from,
      to: result.entry.to,
      details: result.entry.details,
      note: result.entry.note,
      previousTechnicianId: before.technicianId,
    });
    switch (request.to) {
      case 'accepted':
        await this.afterSales.insertAcceptance(tx, {
          id: randomUUID(),
          workOrderId: before.id,
          verdict: 'accepted',
          signedBy: request.acceptance.signedBy,
          signatureRef: request.acceptance.signatureRef,
          reason: null,
          at: now,
          actor,
        });
        break;
      case 'rejected':
        await this.afterSales.insertAcceptance(tx, {
          id: randomUUID(),
          workOrderId: before.id,
          verdict: 'rejected',
          signedBy: null,
          signatureRef: null,
          reason: request.reason,
          at: now,
          actor,
        });
        break;
      case 'closed':
        current = await this.scheduleFollowUps(tx, current, actor, now);
        await this.completePlanOccurrence(tx, current, now);
        break;
      case 'cancelled':
        await this.completePlanOccurrence(tx, current, now);
        if (result.falseAlarm !== null) await this.reportFalseAlarm(tx, current.workOrder, result.falseAlarm, now);
        break;
      case 'new':
      case 'triaged':
      case 'assigned':
      case 'en_route':
      case 'on_site':
      case 'resolved':
      case 'on_hold':
        break;
    }
    return current;
  }

  /** The 409 for a work order that moved on since it was read, naming the version it is at now. */
  async stale(tx: DbExecutor, read: StoredWorkOrder): Promise<Error> {
    const now = await this.workOrders.find(tx, { kind: 'id', id: read.workOrder.id });
    if (now === undefined) return conflict(`work order ${read.workOrder.number} no longer exists`);
    return domainHttpError({
      code: 'stale_version',
      message: `work order ${read.workOrder.number} is at version ${now.workOrder.version}, not ${read.workOrder.version}: reload and retry`,
      expectedVersion: read.workOrder.version,
      currentVersion: now.workOrder.version,
    });
  }

  private async scheduleFollowUps(
    tx: DbExecutor,
    stored: StoredWorkOrder,
    actor: Actor,
    now: number,
  ): Promise<StoredWorkOrder> {
    const plan = planFollowUps(stored.workOrder, this.config.followUps);
    if (!plan.ok) return stored;
    let current = stored;
    for (const f of plan.followUps) {
      const followUp = {
        id: randomUUID(),
        workOrderId: stored.workOrder.id,
        kind: f.kind,
        dueAt: f.dueAt,
        doneAt: null,
        outcome: null,
      };
      await this.afterSales.insertFollowUp(tx, followUp, now);
      current = await this.recordChange(tx, current, actor, now, {
        kind: 'follow_up_scheduled',
        data: { followUpId: followUp.id, followUpKind: f.kind, dueAt: iso(f.dueAt) },
        event: 'work_order.follow_up_scheduled',
      });
    }
    return current;
  }

  /**
   * A preventive visit closed or cancelled: the plan's occurrence is done (a cancelled visit counts as done on
   * that day, or a completion-anchored plan would never schedule again).
   */
  private async completePlanOccurrence(tx: DbExecutor, stored: StoredWorkOrder, now: number): Promise<void> {
    const planId = stored.extras.preventivePlanId;
    if (planId === null) return;
    const plan = await this.plans.find(tx, planId, true);
    if (plan === undefined) return;
    const day = localDate(now, this.config.calendar.timeZone);
    // Only the occurrence the plan is waiting for closes it; an older one (fixed grid) just records the date.
    const progress =
      plan.lastWorkOrderId === stored.workOrder.id
        ? progressAfterCompletion(plan.progress, day)
        : { ...plan.progress, lastCompletedDate: day };
    await this.plans.save(tx, { plan: plan.plan, progress, lastWorkOrderId: plan.lastWorkOrderId }, now);
  }

  /** Detection subscribes to `work_order.false_alarm` to tune its detectors and measure their precision. */
  private async reportFalseAlarm(tx: DbExecutor, wo: WorkOrder, f: FalseAlarmFeedback, now: number): Promise<void> {
    await this.events.workOrder(tx, 'work_order.false_alarm', wo, now, {
      source: f.source,
      alertId: f.alertId,
      deviceId: f.deviceId,
      detectedAt: isoOrNull(f.detectedAt),
      cancelledAt: iso(f.cancelledAt),
      note: f.note,
    });
  }
}
