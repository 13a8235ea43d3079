import { z } from 'zod';
import { ActorSchema } from '../lifecycle/actor.js';
import { SlaTargetNameSchema } from '../sla/sla-policy.schema.js';
import { EpochMsSchema } from './work-order.schema.js';
import {
  CancelReasonSchema,
  HoldReasonSchema,
  PrioritySchema,
  WorkOrderSourceSchema,
  WorkOrderStatusSchema,
} from './work-order-vocabulary.js';

/**
 * The append-only history of a work order. One entry per change; `sequence` equals the work order's version
 * after the change, so (workOrderId, sequence) is a natural unique key and a gap would reveal a lost write.
 * Entries are created frozen and never edited.
 */
const entryBase = {
  workOrderId: z.uuid(),
  sequence: z.number().int().min(1),
  at: EpochMsSchema,
  actor: ActorSchema,
  note: z.string().nullable(),
};

/** What a transition carried besides from / to; only the fields that apply are present. */
export const TransitionDetailsSchema = z.strictObject({
  technicianId: z.uuid().nullable().optional().describe('technician after the move (assigned / unassigned)'),
  previousTechnicianId: z.uuid().nullable().optional(),
  priority: PrioritySchema.optional().describe('priority set at triage'),
  faultCategory: z.string().optional(),
  holdReason: HoldReasonSchema.optional(),
  cancelReason: CancelReasonSchema.optional(),
  rejectionReason: z.string().optional(),
  resumed: z.boolean().optional().describe('true when the move resumed from on_hold'),
});
export type TransitionDetails = z.infer<typeof TransitionDetailsSchema>;

export const WorkOrderLogEntrySchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...entryBase, kind: z.literal('created'), to: z.literal('new'), source: WorkOrderSourceSchema }),
  z.strictObject({
    ...entryBase,
    kind: z.literal('transition'),
    from: WorkOrderStatusSchema,
    to: WorkOrderStatusSchema,
    details: TransitionDetailsSchema,
  }),
  z.strictObject({
    ...entryBase,
    kind: z.literal('escalation'),
    target: SlaTargetNameSchema,
    fromPriority: PrioritySchema,
    toPriority: PrioritySchema,
    overdueMs: z.number().int().min(0),
  }),
  z.strictObject({
    ...entryBase,
    kind: z.literal('customer_report_linked'),
    detectionWasFirst: z.boolean().describe('the detector had opened this work order before the customer reported'),
  }),
]);
export type WorkOrderLogEntry = z.infer<typeof WorkOrderLogEntrySchema>;
export type WorkOrderLogEntryOf<K extends WorkOrderLogEntry['kind']> = Extract<WorkOrderLogEntry, { kind: K }>;
