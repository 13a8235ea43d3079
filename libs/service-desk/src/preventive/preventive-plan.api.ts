import { PageQuerySchema } from '#contracts';
import { z } from 'zod';
import { CalendarDateSchema, FaultCategorySchema, PreventivePlanSchema, PrioritySchema } from '../domain/index.js';
import { queryBoolean } from '../http/query.js';

const { id: _id, ...planFields } = PreventivePlanSchema.shape;

/**
 * Body of `POST /api/preventive-plans`: the domain's plan without its id. (The domain schema's cross-field rule,
 * lead time shorter than the interval, is checked on the whole plan by the service.)
 */
export const PreventivePlanCreateSchema = z.strictObject(planFields);
export type PreventivePlanCreate = z.infer<typeof PreventivePlanCreateSchema>;

/** Body of `PATCH /api/preventive-plans/{id}`: fields left out stay as they are (no defaults here). */
export const PreventivePlanPatchSchema = z.strictObject({
  title: z.string().trim().min(1).max(200).optional(),
  description: z.string().max(10_000).optional(),
  every: z.number().int().min(1).max(3650).optional(),
  unit: z.enum(['days', 'months']).optional(),
  anchor: z.enum(['schedule', 'last_completion']).optional(),
  startDate: CalendarDateSchema.optional(),
  leadDays: z.number().int().min(0).max(365).optional(),
  priority: PrioritySchema.optional(),
  faultCategory: FaultCategorySchema.nullable().optional(),
  active: z.boolean().optional(),
});
export type PreventivePlanPatch = z.infer<typeof PreventivePlanPatchSchema>;

export const PreventivePlanListQuerySchema = PageQuerySchema.extend({
  assetId: z.uuid().optional(),
  active: queryBoolean.optional(),
});
export type PreventivePlanListQuery = z.infer<typeof PreventivePlanListQuerySchema>;

export const PreventivePlanViewSchema = z.object({
  ...planFields,
  id: z.uuid(),
  progress: z.object({
    lastDueDate: CalendarDateSchema.nullable(),
    lastCompletedDate: CalendarDateSchema.nullable(),
    occurrenceOpen: z.boolean(),
  }),
  nextDueDate: CalendarDateSchema.nullable().describe('null: waits for the open visit to be completed'),
  nextOpensOn: CalendarDateSchema.nullable().describe('when the scheduler opens its work order'),
  lastWorkOrderId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type PreventivePlanView = z.infer<typeof PreventivePlanViewSchema>;
