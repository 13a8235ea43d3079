import { z } from 'zod';
import { CalendarDateSchema } from '../calendar/calendar-date.js';
import { FaultCategorySchema } from '../work-order/work-order.schema.js';
import { PrioritySchema } from '../work-order/work-order-vocabulary.js';

/**
 * A preventive-maintenance plan for one asset: a visit every N days or N months, opened as a work order
 * `leadDays` before it is due.
 * - anchor `schedule`: due dates sit on a fixed grid from `startDate` (start + k x N), whatever happens to the
 *   visits (statutory inspections, coating surveys on a calendar);
 * - anchor `last_completion`: the next visit is due N after the previous one was COMPLETED (wear-driven
 *   maintenance: a late visit pushes the next one).
 * Dates are calendar dates in the service time zone.
 */
export const PreventivePlanSchema = z
  .strictObject({
    id: z.uuid(),
    assetId: z.uuid(),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).default(''),
    every: z.number().int().min(1).max(3650),
    unit: z.enum(['days', 'months']),
    anchor: z.enum(['schedule', 'last_completion']),
    startDate: CalendarDateSchema.describe('the first due date'),
    leadDays: z.number().int().min(0).max(365).default(7).describe('open the work order this many days before due'),
    priority: PrioritySchema.default('P4'),
    faultCategory: FaultCategorySchema.nullable().default(null),
    active: z.boolean().default(true),
  })
  .refine((p) => p.leadDays < (p.unit === 'days' ? p.every : p.every * 28), {
    message: 'leadDays must be shorter than the interval, or one visit would open before the previous is due',
    path: ['leadDays'],
  });
export type PreventivePlan = z.infer<typeof PreventivePlanSchema>;

/** Where a plan stands: kept with the plan, updated when an occurrence is opened and when one is completed. */
export const PlanProgressSchema = z.strictObject({
  lastDueDate: CalendarDateSchema.nullable().describe('due date of the last occurrence opened'),
  lastCompletedDate: CalendarDateSchema.nullable().describe('completion date of the last occurrence completed'),
  occurrenceOpen: z.boolean().describe('an opened occurrence is not completed yet'),
});
export type PlanProgress = z.infer<typeof PlanProgressSchema>;

export const NO_PROGRESS: PlanProgress = { lastDueDate: null, lastCompletedDate: null, occurrenceOpen: false };
