import { z } from 'zod';
import { EpochMsSchema } from '../work-order/work-order.schema.js';

export const ComplaintInputSchema = z.strictObject({
  workOrderId: z.uuid().nullable().default(null).describe('the work order complained about, if any'),
  subject: z.string().trim().min(1).max(200),
  description: z.string().trim().max(10_000).default(''),
});
export type ComplaintInput = z.infer<typeof ComplaintInputSchema>;

export const COMPLAINT_OUTCOMES = ['upheld', 'partially_upheld', 'not_upheld'] as const;

/**
 * A complaint: must be investigated within 24 h of being opened (service promise), then closed with an
 * outcome, and the customer rates how it was handled.
 */
export const ComplaintSchema = z.strictObject({
  id: z.uuid(),
  customerId: z.uuid(),
  workOrderId: z.uuid().nullable(),
  subject: z.string(),
  description: z.string(),
  openedAt: EpochMsSchema,
  investigatedAt: EpochMsSchema.nullable().describe('when the investigation finished (the 24 h promise)'),
  findings: z.string().nullable(),
  outcome: z.enum(COMPLAINT_OUTCOMES).nullable(),
  closedAt: EpochMsSchema.nullable(),
  handlingScore: z.number().int().min(1).max(5).nullable().describe("customer's satisfaction with the handling"),
});
export type Complaint = z.infer<typeof ComplaintSchema>;

export const ComplaintInvestigationSchema = z.strictObject({
  findings: z.string().trim().min(1).max(10_000),
  outcome: z.enum(COMPLAINT_OUTCOMES),
});
export type ComplaintInvestigation = z.infer<typeof ComplaintInvestigationSchema>;
