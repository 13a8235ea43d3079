import type { DbExecutor } from '#database';
import {
  DEFAULT_SLA_POLICY,
  formatWorkOrderNumber,
  type KpiComplaintRecord,
  type KpiSurveyRecord,
  type KpiWorkOrderRecord,
} from '../domain/index.js';
import { surveys } from '../after-sales/after-sales.tables.js';
import { complaints } from '../complaints/complaint.tables.js';
import { toDate, toDateOrNull } from '../shared/time.js';
import { workOrders, type WorkOrderState } from '../work-orders/work-order.tables.js';

/**
 * Writes a KPI history straight into the tables, one row per record (what the lifecycle would have left), so
 * that a test can compare the KPI endpoint with values computed by hand from the same records.
 */
export async function insertKpiHistory(
  db: DbExecutor,
  history: {
    workOrders: readonly KpiWorkOrderRecord[];
    surveys: readonly KpiSurveyRecord[];
    complaints: readonly KpiComplaintRecord[];
  },
): Promise<void> {
  if (history.workOrders.length > 0) {
    await db.insert(workOrders).values(history.workOrders.map((r, i) => workOrderRowOf(r, i + 1)));
  }
  if (history.surveys.length > 0) {
    await db.insert(surveys).values(
      history.surveys.map((s) => ({
        workOrderId: s.workOrderId,
        score: s.score,
        wouldRecommend: s.wouldRecommend,
        comment: null,
        submittedAt: toDate(s.submittedAt),
        submittedBy: { role: 'system' as const, id: 'seed' },
      })),
    );
  }
  if (history.complaints.length > 0) {
    await db.insert(complaints).values(
      history.complaints.map((c) => ({
        id: c.id,
        customerId: c.customerId,
        workOrderId: c.workOrderId,
        subject: 'seeded complaint',
        description: '',
        openedAt: toDate(c.openedAt),
        investigatedAt: toDateOrNull(c.investigatedAt),
        findings: c.investigatedAt === null ? null : 'seeded findings',
        outcome: c.investigatedAt === null ? null : 'upheld',
        version: 1,
      })),
    );
  }
}

function workOrderRowOf(r: KpiWorkOrderRecord, n: number): typeof workOrders.$inferInsert {
  const state: WorkOrderState = {
    slaTargets: DEFAULT_SLA_POLICY.priorities[r.slaPriority],
    pausingHoldReasons: ['waiting_on_customer'],
    holds: [],
    resolution:
      r.resolvedAt === null
        ? null
        : { summary: 'seeded', diagnosis: null, rootCause: null, remote: r.remoteResolution },
    acceptance: null,
    lastRejection: null,
    cancellation:
      r.cancelReason === null ? null : { reason: r.cancelReason, note: null, at: r.firstResponseAt ?? r.createdAt },
    evidence: null,
  };
  return {
    id: r.id,
    number: formatWorkOrderNumber(2026, n),
    version: 1,
    source: r.source,
    assetId: r.assetId,
    customerId: r.customerId,
    region: r.region,
    title: `seeded work order ${n}`,
    description: '',
    faultCategory: null,
    priority: r.slaPriority,
    slaPriority: r.slaPriority,
    status: r.status,
    technicianId: r.technicianId,
    createdAt: toDate(r.createdAt),
    updatedAt: toDate(r.createdAt),
    detectedAt: toDateOrNull(r.detectedAt),
    customerReportedAt: toDateOrNull(r.customerReportedAt),
    firstResponseAt: toDateOrNull(r.firstResponseAt),
    onSiteAt: toDateOrNull(r.onSiteAt),
    resolvedAt: toDateOrNull(r.resolvedAt),
    acceptedAt: toDateOrNull(r.acceptedAt),
    onSiteArrivals: r.onSiteArrivals,
    rejectionCount: r.rejectionCount,
    dueFirstResponse: toDateOrNull(r.due.firstResponse),
    dueOnSite: toDateOrNull(r.due.onSite),
    dueResolution: toDateOrNull(r.due.resolution),
    clockStoppedAt: toDateOrNull(r.clockStoppedAt),
    cancelReason: r.cancelReason,
    remoteResolution: r.remoteResolution,
    currency: 'EUR',
    state,
  };
}
