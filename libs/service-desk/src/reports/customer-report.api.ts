import { PageQuerySchema } from '#contracts';
import { z } from 'zod';
import { FaultCategorySchema, PrioritySchema } from '../domain/index.js';
import { WorkOrderViewSchema } from '../work-orders/work-order.api.js';

/** Body of `POST /api/reports`: a customer reports a fault on one of its assets. */
export const CustomerReportCreateSchema = z.strictObject({
  assetId: z.uuid(),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).default(''),
  faultCategory: FaultCategorySchema.optional(),
  priority: PrioritySchema.default('P3').describe('how urgent it looks to the customer; the planner may re-triage'),
});
export type CustomerReportCreate = z.infer<typeof CustomerReportCreateSchema>;

export const CustomerReportResultSchema = z.object({
  reportId: z.uuid(),
  outcome: z.enum(['linked', 'opened']).describe('linked: the fault already had an open work order'),
  platformWasFirst: z.boolean().describe('the sensors had opened the work order before this report'),
  workOrder: WorkOrderViewSchema,
});
export type CustomerReportResult = z.infer<typeof CustomerReportResultSchema>;

export const CustomerReportListQuerySchema = PageQuerySchema.extend({ customerId: z.uuid().optional() });
export type CustomerReportListQuery = z.infer<typeof CustomerReportListQuerySchema>;

export const CustomerReportViewSchema = z.object({
  id: z.uuid(),
  customerId: z.uuid(),
  assetId: z.uuid(),
  workOrderId: z.uuid(),
  title: z.string(),
  description: z.string(),
  faultCategory: z.string().nullable(),
  reportedAt: z.iso.datetime(),
  outcome: z.enum(['linked', 'opened']),
  platformWasFirst: z.boolean(),
});
export type CustomerReportView = z.infer<typeof CustomerReportViewSchema>;
