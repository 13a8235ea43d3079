import { z } from 'zod';
import { conflict, type DomainError } from '../shared/domain-error.js';
import { MS_PER_DAY } from '../shared/time.js';
import { EpochMsSchema, type WorkOrder } from '../work-order/work-order.schema.js';

export const FOLLOW_UP_KINDS = ['call', 'visit'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

/** A call or visit after closure, to check the repair holds. */
export const FollowUpSchema = z.strictObject({
  id: z.uuid(),
  workOrderId: z.uuid(),
  kind: z.enum(FOLLOW_UP_KINDS),
  dueAt: EpochMsSchema,
  doneAt: EpochMsSchema.nullable(),
  outcome: z.string().trim().max(4000).nullable(),
});
export type FollowUp = z.infer<typeof FollowUpSchema>;

export const FollowUpRuleSchema = z.strictObject({
  kind: z.enum(FOLLOW_UP_KINDS),
  afterDays: z.number().int().min(1).max(730),
});
export type FollowUpRule = z.infer<typeof FollowUpRuleSchema>;

/** By default one call a week after closure. */
export const DEFAULT_FOLLOW_UP_RULES: readonly FollowUpRule[] = [{ kind: 'call', afterDays: 7 }];

export type FollowUpPlan =
  | { readonly ok: true; readonly followUps: ReadonlyArray<{ readonly kind: FollowUpKind; readonly dueAt: number }> }
  | { readonly ok: false; readonly error: DomainError };

/** The follow-ups to schedule for a closed work order (wall-clock days after closure). */
export function planFollowUps(
  workOrder: WorkOrder,
  rules: readonly FollowUpRule[] = DEFAULT_FOLLOW_UP_RULES,
): FollowUpPlan {
  const closedAt = workOrder.milestones.closedAt;
  if (workOrder.status !== 'closed' || closedAt === null) {
    return {
      ok: false,
      error: conflict(`work order ${workOrder.number} is ${workOrder.status}: follow-ups come after closure`),
    };
  }
  return { ok: true, followUps: rules.map((r) => ({ kind: r.kind, dueAt: closedAt + r.afterDays * MS_PER_DAY })) };
}
