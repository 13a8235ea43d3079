import { currentHold, type SlaDeadlines, type WorkOrder } from '../work-order/work-order.schema.js';
import type { WorkOrderStatus } from '../work-order/work-order-vocabulary.js';
import { SLA_TARGETS, type SlaTargetName } from './sla-policy.schema.js';

/** Where one SLA clock stands at a given instant. */
export type SlaTargetState =
  /** The priority has no such promise. */
  | { readonly target: SlaTargetName; readonly state: 'not_applicable' }
  | { readonly target: SlaTargetName; readonly state: 'pending'; readonly dueAt: number; readonly remainingMs: number }
  | {
      readonly target: SlaTargetName;
      readonly state: 'met';
      readonly dueAt: number;
      readonly metAt: number;
      readonly marginMs: number;
    }
  /** Missed: met late (metAt set) or still outstanding past its deadline (metAt null). */
  | {
      readonly target: SlaTargetName;
      readonly state: 'breached';
      readonly dueAt: number;
      readonly metAt: number | null;
      readonly overdueMs: number;
    }
  /** The work order was cancelled before the target was met: nothing is owed any more. */
  | { readonly target: SlaTargetName; readonly state: 'void'; readonly dueAt: number };

export type SlaTargetStateKind = SlaTargetState['state'];

/**
 * The facts SLA evaluation needs, in a flat form that both a WorkOrder and a stored KPI record provide.
 * `clockStoppedAt` is the start of a hold in progress whose reason pauses the clock.
 */
export interface SlaFacts {
  readonly status: WorkOrderStatus;
  readonly due: SlaDeadlines;
  readonly firstResponseAt: number | null;
  readonly onSiteAt: number | null;
  readonly resolvedAt: number | null;
  readonly remoteResolution: boolean;
  readonly clockStoppedAt: number | null;
}

const RESOLUTION_STANDS: readonly WorkOrderStatus[] = ['resolved', 'accepted', 'closed'];

/**
 * When a target was met, or null:
 * - first response: the first move out of `new`;
 * - on site: the first arrival; a fault fixed remotely needs no visit, so a standing remote resolution meets
 *   the on-site clock at its resolution time;
 * - resolution: the latest resolution, but only while it stands: after a rejection the fault is open again and
 *   the resolution clock runs on until the rework is resolved.
 */
export function slaMetAt(facts: SlaFacts, target: SlaTargetName): number | null {
  const resolutionStands = RESOLUTION_STANDS.includes(facts.status) ? facts.resolvedAt : null;
  switch (target) {
    case 'firstResponse':
      return facts.firstResponseAt;
    case 'onSite':
      return facts.onSiteAt ?? (facts.remoteResolution ? resolutionStands : null);
    case 'resolution':
      return resolutionStands;
  }
}

/**
 * The state of one target at `now`. While a pausing hold is in progress the clock is stopped at its start:
 * an outstanding target cannot breach during the pause, and the pause will push the deadline out once it ends.
 */
export function evaluateTarget(facts: SlaFacts, target: SlaTargetName, now: number): SlaTargetState {
  const dueAt = facts.due[target];
  if (dueAt === null) return { target, state: 'not_applicable' };
  const metAt = slaMetAt(facts, target);
  if (metAt !== null) {
    return metAt <= dueAt
      ? { target, state: 'met', dueAt, metAt, marginMs: dueAt - metAt }
      : { target, state: 'breached', dueAt, metAt, overdueMs: metAt - dueAt };
  }
  if (facts.status === 'cancelled') return { target, state: 'void', dueAt };
  const clock = facts.clockStoppedAt === null ? now : Math.min(now, facts.clockStoppedAt);
  return clock > dueAt
    ? { target, state: 'breached', dueAt, metAt: null, overdueMs: clock - dueAt }
    : { target, state: 'pending', dueAt, remainingMs: dueAt - clock };
}

export function slaFactsOf(workOrder: WorkOrder): SlaFacts {
  const hold = currentHold(workOrder);
  return {
    status: workOrder.status,
    due: workOrder.sla.due,
    firstResponseAt: workOrder.milestones.firstResponseAt,
    onSiteAt: workOrder.milestones.onSiteAt,
    resolvedAt: workOrder.milestones.resolvedAt,
    remoteResolution: workOrder.resolution?.remote ?? false,
    clockStoppedAt: hold !== null && workOrder.sla.pausingHoldReasons.includes(hold.reason) ? hold.startedAt : null,
  };
}

export interface SlaEvaluation {
  readonly at: number;
  /** Start of the pausing hold in progress, if the clock is stopped. */
  readonly clockStoppedAt: number | null;
  readonly firstResponse: SlaTargetState;
  readonly onSite: SlaTargetState;
  readonly resolution: SlaTargetState;
  /** The breached targets, met late or still outstanding, in target order. */
  readonly breaches: ReadonlyArray<Extract<SlaTargetState, { state: 'breached' }>>;
}

/** Breach detection: every SLA clock of a work order at `now`. */
export function evaluateSla(workOrder: WorkOrder, now: number): SlaEvaluation {
  const facts = slaFactsOf(workOrder);
  const [firstResponse, onSite, resolution] = SLA_TARGETS.map((t) => evaluateTarget(facts, t, now)) as [
    SlaTargetState,
    SlaTargetState,
    SlaTargetState,
  ];
  const breaches = [firstResponse, onSite, resolution].filter(
    (s): s is Extract<SlaTargetState, { state: 'breached' }> => s.state === 'breached',
  );
  return { at: now, clockStoppedAt: facts.clockStoppedAt, firstResponse, onSite, resolution, breaches };
}

/** The earliest deadline still running (pending) at `now`: when a scheduler next needs to look at it. */
export function nextSlaDeadline(workOrder: WorkOrder, now: number): number | null {
  const evaluation = evaluateSla(workOrder, now);
  if (evaluation.clockStoppedAt !== null) return null;
  const pending = [evaluation.firstResponse, evaluation.onSite, evaluation.resolution].flatMap((s) =>
    s.state === 'pending' ? [s.dueAt] : [],
  );
  return pending.length === 0 ? null : Math.min(...pending);
}
