import {
  currentHold,
  PRIORITIES,
  SLA_TARGETS,
  WORK_ORDER_SOURCES,
  WORK_ORDER_STATUSES,
  type WorkOrder,
} from '../domain/index.js';
import { storedEnum } from '../shared/stored-enum.js';
import { toDate, toDateOrNull, toMs, toMsOrNull } from '../shared/time.js';
import type { workOrders, WorkOrderState } from './work-order.tables.js';

export type WorkOrderRow = typeof workOrders.$inferSelect;
export type WorkOrderInsert = typeof workOrders.$inferInsert;

/** What the row holds beyond the domain's WorkOrder. */
export interface WorkOrderExtras {
  readonly currency: string;
  readonly alertId: string | null;
  readonly preventivePlanId: string | null;
}

/** A stored work order: the domain value and the columns around it. */
export interface StoredWorkOrder {
  readonly workOrder: WorkOrder;
  readonly extras: WorkOrderExtras;
  readonly updatedAt: number;
}

/** Every column a write sets: the whole work order, so a row never disagrees with its domain value. */
export function workOrderColumns(wo: WorkOrder, now: number): Omit<WorkOrderInsert, keyof WorkOrderExtras> {
  const hold = currentHold(wo);
  const state: WorkOrderState = {
    slaTargets: wo.sla.targets,
    pausingHoldReasons: [...wo.sla.pausingHoldReasons],
    holds: [...wo.holds],
    resolution: wo.resolution,
    acceptance: wo.acceptance,
    lastRejection: wo.lastRejection,
    cancellation: wo.cancellation,
    evidence: wo.evidence,
  };
  const m = wo.milestones;
  return {
    id: wo.id,
    number: wo.number,
    version: wo.version,
    source: wo.source,
    assetId: wo.assetId,
    deviceId: wo.deviceId,
    customerId: wo.customerId,
    region: wo.region,
    title: wo.title,
    description: wo.description,
    faultCategory: wo.faultCategory,
    priority: wo.priority,
    slaPriority: wo.sla.priority,
    status: wo.status,
    technicianId: wo.technicianId,
    createdAt: toDate(wo.createdAt),
    updatedAt: toDate(now),
    detectedAt: toDateOrNull(wo.detectedAt),
    customerReportedAt: toDateOrNull(wo.customerReportedAt),
    firstResponseAt: toDateOrNull(m.firstResponseAt),
    triagedAt: toDateOrNull(m.triagedAt),
    assignedAt: toDateOrNull(m.assignedAt),
    enRouteAt: toDateOrNull(m.enRouteAt),
    onSiteAt: toDateOrNull(m.onSiteAt),
    resolvedAt: toDateOrNull(m.resolvedAt),
    acceptedAt: toDateOrNull(m.acceptedAt),
    closedAt: toDateOrNull(m.closedAt),
    cancelledAt: toDateOrNull(m.cancelledAt),
    onSiteArrivals: wo.onSiteArrivals,
    rejectionCount: wo.rejectionCount,
    dueFirstResponse: toDateOrNull(wo.sla.due.firstResponse),
    dueOnSite: toDateOrNull(wo.sla.due.onSite),
    dueResolution: toDateOrNull(wo.sla.due.resolution),
    clockStoppedAt: hold !== null && wo.sla.pausingHoldReasons.includes(hold.reason) ? toDate(hold.startedAt) : null,
    slaEscalated: [...wo.sla.escalated],
    cancelReason: wo.cancellation?.reason ?? null,
    remoteResolution: wo.resolution?.remote ?? false,
    state,
  };
}

export function workOrderInsertOf(wo: WorkOrder, extras: WorkOrderExtras, now: number): WorkOrderInsert {
  return { ...workOrderColumns(wo, now), ...extras };
}

export function toStoredWorkOrder(row: WorkOrderRow): StoredWorkOrder {
  const s = row.state;
  const workOrder: WorkOrder = {
    id: row.id,
    number: row.number,
    version: row.version,
    source: storedEnum(WORK_ORDER_SOURCES, row.source, 'work_orders.source'),
    assetId: row.assetId,
    deviceId: row.deviceId,
    customerId: row.customerId,
    region: row.region,
    title: row.title,
    description: row.description,
    faultCategory: row.faultCategory,
    priority: storedEnum(PRIORITIES, row.priority, 'work_orders.priority'),
    status: storedEnum(WORK_ORDER_STATUSES, row.status, 'work_orders.status'),
    technicianId: row.technicianId,
    createdAt: toMs(row.createdAt),
    detectedAt: toMsOrNull(row.detectedAt),
    customerReportedAt: toMsOrNull(row.customerReportedAt),
    milestones: {
      firstResponseAt: toMsOrNull(row.firstResponseAt),
      triagedAt: toMsOrNull(row.triagedAt),
      assignedAt: toMsOrNull(row.assignedAt),
      enRouteAt: toMsOrNull(row.enRouteAt),
      onSiteAt: toMsOrNull(row.onSiteAt),
      resolvedAt: toMsOrNull(row.resolvedAt),
      acceptedAt: toMsOrNull(row.acceptedAt),
      closedAt: toMsOrNull(row.closedAt),
      cancelledAt: toMsOrNull(row.cancelledAt),
    },
    onSiteArrivals: row.onSiteArrivals,
    rejectionCount: row.rejectionCount,
    holds: s.holds,
    sla: {
      priority: storedEnum(PRIORITIES, row.slaPriority, 'work_orders.sla_priority'),
      targets: s.slaTargets,
      pausingHoldReasons: s.pausingHoldReasons,
      due: {
        firstResponse: toMsOrNull(row.dueFirstResponse),
        onSite: toMsOrNull(row.dueOnSite),
        resolution: toMsOrNull(row.dueResolution),
      },
      escalated: row.slaEscalated.map((t) => storedEnum(SLA_TARGETS, t, 'work_orders.sla_escalated')),
    },
    resolution: s.resolution,
    acceptance: s.acceptance,
    lastRejection: s.lastRejection,
    cancellation: s.cancellation,
    evidence: s.evidence,
  };
  return {
    workOrder,
    extras: { currency: row.currency, alertId: row.alertId, preventivePlanId: row.preventivePlanId },
    updatedAt: toMs(row.updatedAt),
  };
}
