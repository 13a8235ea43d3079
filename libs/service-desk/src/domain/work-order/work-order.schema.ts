import { z } from 'zod';
import { SlaTargetNameSchema, SlaTargetsSchema } from '../sla/sla-policy.schema.js';
import {
  CancelReasonSchema,
  HoldReasonSchema,
  PrioritySchema,
  WorkOrderSourceSchema,
  WorkOrderStatusSchema,
} from './work-order-vocabulary.js';
import { WORK_ORDER_NUMBER_PATTERN } from './work-order-number.js';

/**
 * The work order as the domain sees it: a plain, serialisable value. Every instant is epoch milliseconds
 * (the API layer renders ISO strings). Parts, labour, fees, the warranty decision, the survey, follow-ups and
 * comments are separate records keyed by the work-order id (see after-sales/ and warranty/): they grow
 * independently and do not take part in the lifecycle.
 */

export const EpochMsSchema = z.number().int().min(0).describe('epoch milliseconds');
export const FaultCategorySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'faultCategory must be a snake_case key such as "coating_damage"');
const text = (max: number) => z.string().trim().min(1).max(max);

/** A stretch of on_hold: why, from which status (resume returns there), and when. */
export const HoldPeriodSchema = z.strictObject({
  reason: HoldReasonSchema,
  from: WorkOrderStatusSchema,
  startedAt: EpochMsSchema,
  endedAt: EpochMsSchema.nullable(),
  note: z.string().nullable(),
});
export type HoldPeriod = z.infer<typeof HoldPeriodSchema>;

/**
 * The time of every milestone. All are the FIRST time the status was reached, except `assignedAt` and
 * `resolvedAt`, which are the latest (a reassignment or a rework resolution replaces them; the event log keeps
 * every one). `firstResponseAt` is the first move out of `new`, whatever its target: a triage, a question to the
 * customer (on_hold) or an answer that it is a false alarm (cancelled) all answer the report.
 */
export const MilestonesSchema = z.strictObject({
  firstResponseAt: EpochMsSchema.nullable(),
  triagedAt: EpochMsSchema.nullable(),
  assignedAt: EpochMsSchema.nullable(),
  enRouteAt: EpochMsSchema.nullable(),
  onSiteAt: EpochMsSchema.nullable(),
  resolvedAt: EpochMsSchema.nullable(),
  acceptedAt: EpochMsSchema.nullable(),
  closedAt: EpochMsSchema.nullable(),
  cancelledAt: EpochMsSchema.nullable(),
});
export type Milestones = z.infer<typeof MilestonesSchema>;

export const SlaDeadlinesSchema = z.strictObject({
  firstResponse: EpochMsSchema.nullable(),
  onSite: EpochMsSchema.nullable(),
  resolution: EpochMsSchema.nullable(),
});
export type SlaDeadlines = z.infer<typeof SlaDeadlinesSchema>;

/**
 * The SLA clock of a work order. `priority` is the priority whose targets apply: set at creation and by a
 * re-prioritising triage, NOT by escalation (escalation raises the work order's priority to get attention; it
 * does not move the promise already made). `targets` and `pausingHoldReasons` are snapshotted from the policy
 * so a later policy change does not rewrite the deadlines of open work orders. `due` holds the effective
 * deadlines: the targets counted from `createdAt`, pushed out by every finished pausing hold.
 */
export const WorkOrderSlaSchema = z.strictObject({
  priority: PrioritySchema,
  targets: SlaTargetsSchema,
  pausingHoldReasons: z.array(HoldReasonSchema),
  due: SlaDeadlinesSchema,
  escalated: z.array(SlaTargetNameSchema).describe('targets whose breach has already raised the priority'),
});
export type WorkOrderSla = z.infer<typeof WorkOrderSlaSchema>;

export const ResolutionSchema = z.strictObject({
  summary: text(4000).describe('what was done'),
  diagnosis: z.string().trim().max(4000).nullable(),
  rootCause: z.string().trim().max(2000).nullable(),
  remote: z.boolean().describe('resolved without going on site (remote diagnosis, a call, a setting changed)'),
});
export type Resolution = z.infer<typeof ResolutionSchema>;

export const AcceptanceSchema = z.strictObject({
  signedBy: text(200).describe('name of the person who signed off'),
  signatureRef: text(500).describe('reference of the stored signature (file id, e-signature envelope...)'),
  at: EpochMsSchema,
});
export type Acceptance = z.infer<typeof AcceptanceSchema>;

export const RejectionSchema = z.strictObject({ reason: text(2000), at: EpochMsSchema });
export type Rejection = z.infer<typeof RejectionSchema>;

export const CancellationSchema = z.strictObject({
  reason: CancelReasonSchema,
  note: z.string().nullable(),
  at: EpochMsSchema,
});
export type Cancellation = z.infer<typeof CancellationSchema>;

/** For a work order opened by the detector: what it saw. */
export const DetectorEvidenceSchema = z.strictObject({
  alertId: text(128),
  deviceId: text(128),
  metric: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
  eventTime: EpochMsSchema.describe('event time of the reading that raised the alert (not the wall clock)'),
  window: z
    .strictObject({ from: EpochMsSchema, to: EpochMsSchema })
    .refine((w) => w.from <= w.to, { message: 'window.from must not be after window.to', path: ['from'] }),
  readings: z.array(z.strictObject({ ts: EpochMsSchema, value: z.number() })).max(1000),
  finding: z.string().trim().max(2000).nullable().describe('the detector\'s words, e.g. "DFT 182 um < 80 % of 250"'),
  forecast: z
    .strictObject({
      summary: z.string().trim().max(2000),
      thresholdCrossingAt: EpochMsSchema.nullable().describe('when the metric is forecast to cross its limit'),
      confidence: z.number().min(0).max(1).nullable(),
    })
    .nullable(),
});
export type DetectorEvidence = z.infer<typeof DetectorEvidenceSchema>;

export const WorkOrderSchema = z.strictObject({
  id: z.uuid(),
  number: z.string().regex(WORK_ORDER_NUMBER_PATTERN, 'number must look like WO-2026-000123'),
  version: z.number().int().min(1).describe('optimistic-concurrency version, +1 on every change'),
  source: WorkOrderSourceSchema,
  assetId: z.uuid(),
  deviceId: z.string().nullable(),
  customerId: z.uuid(),
  region: z.string().nullable().describe("the asset's region when the work order was opened"),
  title: text(200),
  description: z.string().max(10_000),
  faultCategory: FaultCategorySchema.nullable(),
  priority: PrioritySchema,
  status: WorkOrderStatusSchema,
  technicianId: z.uuid().nullable(),
  createdAt: EpochMsSchema,
  detectedAt: EpochMsSchema.nullable().describe('event time at which the fault was detected, if by a sensor'),
  customerReportedAt: EpochMsSchema.nullable().describe('when the customer first reported this fault'),
  milestones: MilestonesSchema,
  onSiteArrivals: z.number().int().min(0).describe('arrivals on site, not counting a resume after a hold'),
  rejectionCount: z.number().int().min(0).describe('rejections at acceptance; any counts against first-time fix'),
  holds: z.array(HoldPeriodSchema),
  sla: WorkOrderSlaSchema,
  resolution: ResolutionSchema.nullable(),
  acceptance: AcceptanceSchema.nullable(),
  lastRejection: RejectionSchema.nullable(),
  cancellation: CancellationSchema.nullable(),
  evidence: DetectorEvidenceSchema.nullable(),
});
export type WorkOrder = z.infer<typeof WorkOrderSchema>;

/** The hold in progress, if the work order is on hold. */
export function currentHold(workOrder: Pick<WorkOrder, 'status' | 'holds'>): HoldPeriod | null {
  if (workOrder.status !== 'on_hold') return null;
  const last = workOrder.holds[workOrder.holds.length - 1];
  return last !== undefined && last.endedAt === null ? last : null;
}
