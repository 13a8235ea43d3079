import type { Actor } from '../lifecycle/actor.js';
import { conflict, type DomainError } from '../shared/domain-error.js';
import { frozenCopy } from '../shared/deep-freeze.js';
import type { WorkOrderLogEntryOf } from './work-order-log.schema.js';
import type { WorkOrder } from './work-order.schema.js';
import { isOpenStatus } from './work-order-vocabulary.js';

/**
 * The open work order a customer's fault report belongs to, if there is one: same asset, not closed or
 * cancelled, not a preventive visit, and the same fault category when both name one. The oldest wins.
 */
export function findOpenWorkOrderForReport(
  candidates: readonly WorkOrder[],
  report: { readonly assetId: string; readonly faultCategory: string | null },
): WorkOrder | null {
  const matches = candidates.filter(
    (wo) =>
      wo.assetId === report.assetId &&
      isOpenStatus(wo.status) &&
      wo.source !== 'preventive_plan' &&
      (report.faultCategory === null || wo.faultCategory === null || wo.faultCategory === report.faultCategory),
  );
  matches.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  return matches[0] ?? null;
}

export type LinkReportResult =
  | {
      readonly ok: true;
      readonly workOrder: WorkOrder;
      /** Null when the customer had already reported this work order (nothing changes). */
      readonly entry: WorkOrderLogEntryOf<'customer_report_linked'> | null;
      /** The detector had opened the work order before the customer's first report: a proactive catch. */
      readonly detectionWasFirst: boolean;
    }
  | { readonly ok: false; readonly error: DomainError };

/**
 * Links a customer's report to an already open work order instead of opening a duplicate, and records that
 * the platform was first when the detector had opened it. Only the first report is recorded.
 */
export function linkCustomerReport(workOrder: WorkOrder, actor: Actor, now: number): LinkReportResult {
  if (!isOpenStatus(workOrder.status)) {
    return { ok: false, error: conflict(`work order ${workOrder.number} is ${workOrder.status}: open a new one`) };
  }
  if (workOrder.customerReportedAt !== null) {
    return {
      ok: true,
      workOrder,
      entry: null,
      detectionWasFirst: workOrder.source === 'detector' && workOrder.createdAt < workOrder.customerReportedAt,
    };
  }
  const detectionWasFirst = workOrder.source === 'detector';
  const next: WorkOrder = { ...workOrder, version: workOrder.version + 1, customerReportedAt: now };
  const entry: WorkOrderLogEntryOf<'customer_report_linked'> = {
    workOrderId: workOrder.id,
    sequence: next.version,
    at: now,
    actor,
    note: null,
    kind: 'customer_report_linked',
    detectionWasFirst,
  };
  return { ok: true, workOrder: frozenCopy(next), entry: frozenCopy(entry), detectionWasFirst };
}
