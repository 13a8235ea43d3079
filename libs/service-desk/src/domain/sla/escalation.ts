import type { Actor } from '../lifecycle/actor.js';
import { frozenCopy } from '../shared/deep-freeze.js';
import type { WorkOrderLogEntryOf } from '../work-order/work-order-log.schema.js';
import type { WorkOrder } from '../work-order/work-order.schema.js';
import { isOpenStatus, raisePriority, type Priority } from '../work-order/work-order-vocabulary.js';
import { evaluateSla } from './sla-evaluation.js';
import type { SlaTargetName } from './sla-policy.schema.js';

export interface Escalation {
  readonly target: SlaTargetName;
  readonly fromPriority: Priority;
  /** One step up; P1 stays P1 (the escalation is still recorded and notified). */
  readonly toPriority: Priority;
  readonly overdueMs: number;
}

/**
 * The escalation rule: every target that is breached and still outstanding at `now`, and has not escalated
 * before, raises the priority one step. Once per breach: a target escalates at most once in the life of the
 * work order, however long it stays overdue. Two targets breached at once raise two steps. A target met late
 * is history, not something to escalate; a closed or cancelled work order never escalates.
 */
export function planEscalations(workOrder: WorkOrder, now: number): Escalation[] {
  if (!isOpenStatus(workOrder.status)) return [];
  const escalations: Escalation[] = [];
  let priority = workOrder.priority;
  for (const breach of evaluateSla(workOrder, now).breaches) {
    if (breach.metAt !== null || workOrder.sla.escalated.includes(breach.target)) continue;
    const toPriority = raisePriority(priority);
    escalations.push({ target: breach.target, fromPriority: priority, toPriority, overdueMs: breach.overdueMs });
    priority = toPriority;
  }
  return escalations;
}

export interface EscalationOutcome {
  readonly workOrder: WorkOrder;
  readonly escalations: readonly Escalation[];
  /** One entry per escalation, sequences following the work order's version. */
  readonly entries: ReadonlyArray<WorkOrderLogEntryOf<'escalation'>>;
}

/**
 * Applies the escalations due at `now` (see planEscalations). The work order's priority rises; its SLA
 * priority, hence its deadlines, do not (the promise made at creation stands). Returns the input unchanged
 * with no entries when nothing is due, so a scheduler can call it on every tick.
 */
export function escalate(workOrder: WorkOrder, now: number, actor: Actor): EscalationOutcome {
  const escalations = planEscalations(workOrder, now);
  if (escalations.length === 0) return { workOrder, escalations, entries: [] };
  const entries = escalations.map((e, i): WorkOrderLogEntryOf<'escalation'> => ({
    workOrderId: workOrder.id,
    sequence: workOrder.version + i + 1,
    at: now,
    actor,
    note: `${e.target} overdue by ${Math.round(e.overdueMs / 60_000)} min`,
    kind: 'escalation',
    target: e.target,
    fromPriority: e.fromPriority,
    toPriority: e.toPriority,
    overdueMs: e.overdueMs,
  }));
  const last = escalations[escalations.length - 1]!;
  const next: WorkOrder = {
    ...workOrder,
    version: workOrder.version + escalations.length,
    priority: last.toPriority,
    sla: { ...workOrder.sla, escalated: [...workOrder.sla.escalated, ...escalations.map((e) => e.target)] },
  };
  return { workOrder: frozenCopy(next), escalations, entries: frozenCopy(entries) };
}
