import { PageQuerySchema } from '#contracts';
import { z } from 'zod';
import {
  CancelReasonSchema,
  DetectorEvidenceSchema,
  FaultCategorySchema,
  HoldReasonSchema,
  PrioritySchema,
  ResolutionSchema,
  SlaTargetNameSchema,
  SlaTargetsSchema,
  WORK_ORDER_STATUSES,
  WorkOrderSourceSchema,
  WorkOrderStatusSchema,
} from '../domain/index.js';
import { ActorSchema } from '../domain/index.js';
import { csvEnum, InstantSchema, queryBoolean } from '../http/query.js';
import { LOG_KINDS } from './work-order-log.js';

const isoTime = z.iso.datetime();
const isoOrNull = isoTime.nullable();

/** Sources a planner may open by hand; detector, preventive and self-service work orders have their own ways in. */
export const MANUAL_SOURCES = ['manual', 'customer_report', 'complaint'] as const;

/** Body of `POST /api/work-orders`. The customer and region come from the asset. */
export const WorkOrderCreateSchema = z.strictObject({
  source: z.enum(MANUAL_SOURCES).default('manual'),
  assetId: z.uuid(),
  deviceId: z.string().min(1).max(128).optional().describe('a device of that asset'),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).default(''),
  faultCategory: FaultCategorySchema.optional(),
  priority: PrioritySchema,
  customerReportedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe('customer_report taken by phone: when the customer called (defaults to now)'),
});
export type WorkOrderCreate = z.infer<typeof WorkOrderCreateSchema>;

/** Query of `GET /api/work-orders`. */
export const WorkOrderListQuerySchema = PageQuerySchema.extend({
  status: csvEnum(WORK_ORDER_STATUSES).optional().describe('one or more statuses, comma-separated'),
  priority: PrioritySchema.optional(),
  assetId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  technicianId: z.uuid().optional(),
  source: WorkOrderSourceSchema.optional(),
  breached: queryBoolean.optional().describe('true: an SLA target is breached now; false: none is'),
  from: InstantSchema.optional().describe('created at or after'),
  to: InstantSchema.optional().describe('created before'),
});
export type WorkOrderListQuery = z.infer<typeof WorkOrderListQuerySchema>;

const TargetStateSchema = z.enum(['not_applicable', 'pending', 'met', 'breached', 'void']);

/** A work order as the API shows it: the domain value with ISO times and its SLA state now. */
export const WorkOrderViewSchema = z.object({
  id: z.uuid(),
  number: z.string(),
  version: z.number().int(),
  source: WorkOrderSourceSchema,
  assetId: z.uuid(),
  deviceId: z.string().nullable(),
  customerId: z.uuid(),
  region: z.string().nullable(),
  title: z.string(),
  description: z.string(),
  faultCategory: z.string().nullable(),
  priority: PrioritySchema,
  status: WorkOrderStatusSchema,
  technicianId: z.uuid().nullable(),
  createdAt: isoTime,
  updatedAt: isoTime,
  detectedAt: isoOrNull,
  customerReportedAt: isoOrNull,
  milestones: z.object({
    firstResponseAt: isoOrNull,
    triagedAt: isoOrNull,
    assignedAt: isoOrNull,
    enRouteAt: isoOrNull,
    onSiteAt: isoOrNull,
    resolvedAt: isoOrNull,
    acceptedAt: isoOrNull,
    closedAt: isoOrNull,
    cancelledAt: isoOrNull,
  }),
  onSiteArrivals: z.number().int(),
  rejectionCount: z.number().int(),
  holds: z.array(
    z.object({
      reason: HoldReasonSchema,
      from: WorkOrderStatusSchema,
      startedAt: isoTime,
      endedAt: isoOrNull,
      note: z.string().nullable(),
    }),
  ),
  sla: z.object({
    priority: PrioritySchema.describe('the priority whose targets apply (escalation does not move it)'),
    targets: SlaTargetsSchema,
    pausingHoldReasons: z.array(HoldReasonSchema),
    due: z.object({ firstResponse: isoOrNull, onSite: isoOrNull, resolution: isoOrNull }),
    state: z.object({ firstResponse: TargetStateSchema, onSite: TargetStateSchema, resolution: TargetStateSchema }),
    breached: z.boolean(),
    clockStopped: z.boolean().describe('on hold for a reason that pauses the SLA clock'),
    escalated: z.array(SlaTargetNameSchema),
  }),
  resolution: ResolutionSchema.nullable(),
  acceptance: z.object({ signedBy: z.string(), signatureRef: z.string(), at: isoTime }).nullable(),
  lastRejection: z.object({ reason: z.string(), at: isoTime }).nullable(),
  cancellation: z.object({ reason: CancelReasonSchema, note: z.string().nullable(), at: isoTime }).nullable(),
  evidence: DetectorEvidenceSchema.omit({ eventTime: true, window: true, readings: true, forecast: true })
    .extend({
      eventTime: isoTime,
      window: z.object({ from: isoTime, to: isoTime }),
      readings: z.array(z.object({ ts: isoTime, value: z.number() })),
      forecast: z
        .object({ summary: z.string(), thresholdCrossingAt: isoOrNull, confidence: z.number().nullable() })
        .nullable(),
    })
    .nullable(),
  preventivePlanId: z.uuid().nullable(),
  currency: z.string(),
  allowedTransitions: z.array(WorkOrderStatusSchema).describe('where the work order may move next (by the table)'),
});
export type WorkOrderView = z.infer<typeof WorkOrderViewSchema>;

export const LogEntryViewSchema = z.object({
  sequence: z.number().int(),
  kind: z.enum(LOG_KINDS),
  at: isoTime,
  actor: ActorSchema,
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type LogEntryView = z.infer<typeof LogEntryViewSchema>;

export const WorkOrderDetailSchema = WorkOrderViewSchema.extend({
  log: z.array(LogEntryViewSchema).describe('the event log, oldest first'),
});
export type WorkOrderDetail = z.infer<typeof WorkOrderDetailSchema>;

/** Body of `POST /api/work-orders/{id}/auto-assign`. */
export const AutoAssignSchema = z.strictObject({
  version: z.number().int().min(1).describe('the work-order version the caller read'),
  note: z.string().trim().min(1).max(2000).optional(),
});
export type AutoAssign = z.infer<typeof AutoAssignSchema>;

/** Body of `POST /api/work-orders/{id}/acceptance`: the customer's verdict on the repair. */
export const AcceptanceRequestSchema = z.discriminatedUnion('verdict', [
  z.strictObject({
    verdict: z.literal('accepted'),
    version: z.number().int().min(1),
    signedBy: z.string().trim().min(1).max(200),
    signatureRef: z.string().trim().min(1).max(500),
    note: z.string().trim().min(1).max(2000).optional(),
  }),
  z.strictObject({
    verdict: z.literal('rejected'),
    version: z.number().int().min(1),
    reason: z.string().trim().min(1).max(2000).describe('what is still wrong: the work order goes to rework'),
    note: z.string().trim().min(1).max(2000).optional(),
  }),
]);
export type AcceptanceRequest = z.infer<typeof AcceptanceRequestSchema>;

export { InstantSchema };
