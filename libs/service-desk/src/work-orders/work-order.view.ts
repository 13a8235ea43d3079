import { allowedTargets, currentHold, evaluateSla } from '../domain/index.js';
import { iso, isoOrNull } from '../shared/time.js';
import type { LogRecord } from './work-order-log.js';
import type { LogEntryView, WorkOrderView } from './work-order.api.js';
import type { StoredWorkOrder } from './work-order.mapper.js';

/** The API view of a stored work order, with its SLA state judged at `now`. */
export function toWorkOrderView(stored: StoredWorkOrder, now: number): WorkOrderView {
  const wo = stored.workOrder;
  const m = wo.milestones;
  const sla = evaluateSla(wo, now);
  const hold = currentHold(wo);
  const e = wo.evidence;
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
    status: wo.status,
    technicianId: wo.technicianId,
    createdAt: iso(wo.createdAt),
    updatedAt: iso(stored.updatedAt),
    detectedAt: isoOrNull(wo.detectedAt),
    customerReportedAt: isoOrNull(wo.customerReportedAt),
    milestones: {
      firstResponseAt: isoOrNull(m.firstResponseAt),
      triagedAt: isoOrNull(m.triagedAt),
      assignedAt: isoOrNull(m.assignedAt),
      enRouteAt: isoOrNull(m.enRouteAt),
      onSiteAt: isoOrNull(m.onSiteAt),
      resolvedAt: isoOrNull(m.resolvedAt),
      acceptedAt: isoOrNull(m.acceptedAt),
      closedAt: isoOrNull(m.closedAt),
      cancelledAt: isoOrNull(m.cancelledAt),
    },
    onSiteArrivals: wo.onSiteArrivals,
    rejectionCount: wo.rejectionCount,
    holds: wo.holds.map((h) => ({
      reason: h.reason,
      from: h.from,
      startedAt: iso(h.startedAt),
      endedAt: isoOrNull(h.endedAt),
      note: h.note,
    })),
    sla: {
      priority: wo.sla.priority,
      targets: wo.sla.targets,
      pausingHoldReasons: wo.sla.pausingHoldReasons,
      due: {
        firstResponse: isoOrNull(wo.sla.due.firstResponse),
        onSite: isoOrNull(wo.sla.due.onSite),
        resolution: isoOrNull(wo.sla.due.resolution),
      },
      state: {
        firstResponse: sla.firstResponse.state,
        onSite: sla.onSite.state,
        resolution: sla.resolution.state,
      },
      breached: sla.breaches.length > 0,
      clockStopped: sla.clockStoppedAt !== null,
      escalated: wo.sla.escalated,
    },
    resolution: wo.resolution,
    acceptance: wo.acceptance && { ...wo.acceptance, at: iso(wo.acceptance.at) },
    lastRejection: wo.lastRejection && { ...wo.lastRejection, at: iso(wo.lastRejection.at) },
    cancellation: wo.cancellation && { ...wo.cancellation, at: iso(wo.cancellation.at) },
    evidence:
      e === null
        ? null
        : {
            ...e,
            eventTime: iso(e.eventTime),
            window: { from: iso(e.window.from), to: iso(e.window.to) },
            readings: e.readings.map((r) => ({ ts: iso(r.ts), value: r.value })),
            forecast:
              e.forecast === null
                ? null
                : { ...e.forecast, thresholdCrossingAt: isoOrNull(e.forecast.thresholdCrossingAt) },
          },
    preventivePlanId: stored.extras.preventivePlanId,
    currency: stored.extras.currency,
    allowedTransitions: allowedTargets(wo.status, hold?.from ?? null),
  };
}

export function toLogEntryView(record: LogRecord): LogEntryView {
  return {
    sequence: record.sequence,
    kind: record.kind,
    at: iso(record.at),
    actor: record.actor,
    note: record.note,
    data: record.data,
  };
}
