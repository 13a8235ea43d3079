import { z } from 'zod';
import { SurveySchema } from '../after-sales/survey.schema.js';
import { slaFactsOf } from '../sla/sla-evaluation.js';
import { EpochMsSchema, SlaDeadlinesSchema, type WorkOrder } from '../work-order/work-order.schema.js';
import {
  CancelReasonSchema,
  PrioritySchema,
  WorkOrderSourceSchema,
  WorkOrderStatusSchema,
} from '../work-order/work-order-vocabulary.js';

/**
 * A work order flattened to what the KPIs need: one row of a query. Build it with kpiRecordOf, or select the
 * same columns in SQL.
 */
export const KpiWorkOrderRecordSchema = z.strictObject({
  id: z.uuid(),
  source: WorkOrderSourceSchema,
  status: WorkOrderStatusSchema,
  slaPriority: PrioritySchema.describe('the priority whose SLA targets apply (before any escalation)'),
  technicianId: z.uuid().nullable(),
  region: z.string().nullable(),
  customerId: z.uuid(),
  assetId: z.uuid(),
  createdAt: EpochMsSchema,
  detectedAt: EpochMsSchema.nullable(),
  customerReportedAt: EpochMsSchema.nullable(),
  firstResponseAt: EpochMsSchema.nullable(),
  onSiteAt: EpochMsSchema.nullable(),
  resolvedAt: EpochMsSchema.nullable(),
  acceptedAt: EpochMsSchema.nullable(),
  cancelReason: CancelReasonSchema.nullable(),
  remoteResolution: z.boolean(),
  rejectionCount: z.number().int().min(0),
  onSiteArrivals: z.number().int().min(0),
  due: SlaDeadlinesSchema,
  clockStoppedAt: EpochMsSchema.nullable().describe('start of a hold in progress that pauses the SLA clock'),
});
export type KpiWorkOrderRecord = z.infer<typeof KpiWorkOrderRecordSchema>;

export const KpiSurveyRecordSchema = SurveySchema.pick({
  workOrderId: true,
  score: true,
  wouldRecommend: true,
  submittedAt: true,
});
export type KpiSurveyRecord = z.infer<typeof KpiSurveyRecordSchema>;

export const KpiComplaintRecordSchema = z.strictObject({
  id: z.uuid(),
  customerId: z.uuid(),
  workOrderId: z.uuid().nullable(),
  openedAt: EpochMsSchema,
  investigatedAt: EpochMsSchema.nullable(),
});
export type KpiComplaintRecord = z.infer<typeof KpiComplaintRecordSchema>;

export function kpiRecordOf(workOrder: WorkOrder): KpiWorkOrderRecord {
  const facts = slaFactsOf(workOrder);
  return {
    id: workOrder.id,
    source: workOrder.source,
    status: workOrder.status,
    slaPriority: workOrder.sla.priority,
    technicianId: workOrder.technicianId,
    region: workOrder.region,
    customerId: workOrder.customerId,
    assetId: workOrder.assetId,
    createdAt: workOrder.createdAt,
    detectedAt: workOrder.detectedAt,
    customerReportedAt: workOrder.customerReportedAt,
    firstResponseAt: workOrder.milestones.firstResponseAt,
    onSiteAt: workOrder.milestones.onSiteAt,
    resolvedAt: workOrder.milestones.resolvedAt,
    acceptedAt: workOrder.milestones.acceptedAt,
    cancelReason: workOrder.cancellation?.reason ?? null,
    remoteResolution: facts.remoteResolution,
    rejectionCount: workOrder.rejectionCount,
    onSiteArrivals: workOrder.onSiteArrivals,
    due: workOrder.sla.due,
    clockStoppedAt: facts.clockStoppedAt,
  };
}
