import { z } from 'zod';
import { FaultCategorySchema } from '../work-order/work-order.schema.js';
import { CancelReasonSchema, HoldReasonSchema, PrioritySchema } from '../work-order/work-order-vocabulary.js';

/**
 * Body of `POST /api/work-orders/{id}/transitions`: `{"to": "...", "version": n, ...}`, one shape per target
 * status. `version` is the version the caller last read (optimistic concurrency: a stale one is refused).
 *
 * Leaving on_hold is asked for by naming the status the hold came from (`{"to": "on_site"}`); such a resume
 * carries no other field. That is why `technicianId` is optional here although a fresh assignment needs one:
 * the transition checks it, naming the field.
 */
const base = {
  version: z.number().int().min(1).describe('the work-order version the caller read'),
  note: z.string().trim().min(1).max(2000).optional().describe('free text kept in the event log'),
};

export const TransitionRequestSchema = z.discriminatedUnion('to', [
  z.strictObject({ ...base, to: z.literal('new') }).describe('only as a resume from on_hold'),
  z.strictObject({
    ...base,
    to: z.literal('triaged'),
    priority: PrioritySchema.optional().describe('re-prioritise: deadlines are recomputed from creation'),
    faultCategory: FaultCategorySchema.optional(),
  }),
  z.strictObject({
    ...base,
    to: z.literal('assigned'),
    technicianId: z.uuid().optional().describe('required unless resuming'),
  }),
  z.strictObject({ ...base, to: z.literal('en_route') }),
  z.strictObject({ ...base, to: z.literal('on_site') }),
  z.strictObject({
    ...base,
    to: z.literal('resolved'),
    resolution: z.strictObject({
      summary: z.string().trim().min(1).max(4000),
      diagnosis: z.string().trim().max(4000).optional(),
      rootCause: z.string().trim().max(2000).optional(),
    }),
  }),
  z.strictObject({
    ...base,
    to: z.literal('accepted'),
    acceptance: z.strictObject({
      signedBy: z.string().trim().min(1).max(200),
      signatureRef: z.string().trim().min(1).max(500),
    }),
  }),
  z.strictObject({ ...base, to: z.literal('rejected'), reason: z.string().trim().min(1).max(2000) }),
  z.strictObject({ ...base, to: z.literal('closed') }),
  z.strictObject({ ...base, to: z.literal('on_hold'), reason: HoldReasonSchema }),
  z.strictObject({ ...base, to: z.literal('cancelled'), reason: CancelReasonSchema }),
]);
export type TransitionRequest = z.infer<typeof TransitionRequestSchema>;
export type TransitionRequestTo<S extends TransitionRequest['to']> = Extract<TransitionRequest, { to: S }>;
