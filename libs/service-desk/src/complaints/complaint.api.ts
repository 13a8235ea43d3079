import { PageQuerySchema } from '#contracts';
import { z } from 'zod';
import { COMPLAINT_OUTCOMES, ComplaintInputSchema } from '../domain/index.js';
import { queryBoolean } from '../http/query.js';

/** Body of `POST /api/complaints`. A customer files for itself; staff name the customer. */
export const ComplaintCreateSchema = ComplaintInputSchema.extend({
  customerId: z.uuid().optional().describe('required when staff file on behalf of a customer'),
});
export type ComplaintCreate = z.infer<typeof ComplaintCreateSchema>;

export const ComplaintListQuerySchema = PageQuerySchema.extend({
  customerId: z.uuid().optional(),
  workOrderId: z.uuid().optional(),
  open: queryBoolean.optional().describe('true: not closed yet'),
});
export type ComplaintListQuery = z.infer<typeof ComplaintListQuerySchema>;

export const ComplaintRatingSchema = z.strictObject({
  handlingScore: z.number().int().min(1).max(5).describe("the customer's satisfaction with how it was handled"),
});
export type ComplaintRating = z.infer<typeof ComplaintRatingSchema>;

export const ComplaintViewSchema = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  workOrderId: z.uuid().nullable(),
  subject: z.string(),
  description: z.string(),
  openedAt: z.iso.datetime(),
  investigationDueAt: z.iso.datetime().describe('24 h after opening (service promise)'),
  overdue: z.boolean().describe('not investigated and past its 24 h'),
  investigatedAt: z.iso.datetime().nullable(),
  findings: z.string().nullable(),
  outcome: z.enum(COMPLAINT_OUTCOMES).nullable(),
  closedAt: z.iso.datetime().nullable(),
  handlingScore: z.number().int().nullable(),
});
export type ComplaintView = z.infer<typeof ComplaintViewSchema>;
