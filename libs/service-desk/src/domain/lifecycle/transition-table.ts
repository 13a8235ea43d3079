import type { WorkOrderStatus } from '../work-order/work-order-vocabulary.js';
import type { ActorRole } from './actor.js';

/**
 * The work-order lifecycle as data: for every status, the moves out of it and who may make them.
 * Nothing else in the code decides whether a move is legal; guards (required fields, ownership) only refine a
 * move the table allows.
 *
 *   new -> triaged -> assigned -> en_route -> on_site -> resolved -> accepted -> closed
 *                                                              \-> rejected -> (rework) on_site | en_route | assigned
 *   on_hold (from new, triaged, assigned, en_route, on_site) -> resume to the status it came from
 *   cancelled (from any open status but resolved / accepted, with a reason; false_alarm feeds detection back)
 *
 * A few extra edges make the flow usable in the field: assigned -> assigned (reassign), assigned -> triaged
 * (unassign, or the technician declines), en_route -> assigned (turned back or reassigned), assigned -> on_site
 * (already nearby), assigned -> resolved (fixed remotely: remote diagnosis is how P4 is served).
 * A resolved work order waits for the customer's verdict; it cannot be cancelled or put on hold.
 *
 * Roles: admin may do everything; `technician` means the technician assigned to the work order and `customer`
 * the customer who owns it (checked by the transition, not here); `system` is automation (detection, SLA and
 * preventive schedulers).
 */

/** The target of the on_hold row: "the status the hold came from", known only per work order. */
export const RESUME = 'resume';
export type RuleTarget = WorkOrderStatus | typeof RESUME;

export interface TransitionRule {
  readonly to: RuleTarget;
  readonly roles: readonly ActorRole[];
}

const STAFF = ['admin', 'planner'] as const;
const rule = (to: RuleTarget, ...others: ActorRole[]): TransitionRule => ({ to, roles: [...STAFF, ...others] });

export const TRANSITION_TABLE: Readonly<Record<WorkOrderStatus, readonly TransitionRule[]>> = {
  new: [rule('triaged', 'system'), rule('on_hold'), rule('cancelled', 'system', 'customer')],
  triaged: [rule('assigned', 'system'), rule('on_hold'), rule('cancelled', 'system', 'customer')],
  assigned: [
    rule('assigned', 'system'),
    rule('triaged', 'technician'),
    rule('en_route', 'technician'),
    rule('on_site', 'technician'),
    rule('resolved', 'technician'),
    rule('on_hold', 'technician'),
    rule('cancelled'),
  ],
  en_route: [rule('on_site', 'technician'), rule('assigned'), rule('on_hold', 'technician'), rule('cancelled')],
  on_site: [rule('resolved', 'technician'), rule('on_hold', 'technician'), rule('cancelled', 'technician')],
  resolved: [rule('accepted', 'technician', 'customer'), rule('rejected', 'technician', 'customer')],
  accepted: [rule('closed', 'system')],
  rejected: [rule('assigned'), rule('en_route', 'technician'), rule('on_site', 'technician'), rule('cancelled')],
  closed: [],
  on_hold: [rule(RESUME, 'technician'), rule('cancelled')],
  cancelled: [],
};

/** Statuses from which a work order can be put on hold, i.e. where a resume can lead back to. */
export const HOLDABLE_STATUSES: readonly WorkOrderStatus[] = (
  Object.keys(TRANSITION_TABLE) as WorkOrderStatus[]
).filter((status) => TRANSITION_TABLE[status].some((r) => r.to === 'on_hold'));

function concrete(target: RuleTarget, heldFrom: WorkOrderStatus | null): WorkOrderStatus | null {
  return target === RESUME ? heldFrom : target;
}

/**
 * The rule for a move, or null when the table has none. `heldFrom` is the status an on_hold work order came
 * from (ignored for other statuses).
 */
export function findRule(
  from: WorkOrderStatus,
  to: WorkOrderStatus,
  heldFrom: WorkOrderStatus | null,
): TransitionRule | null {
  return TRANSITION_TABLE[from].find((r) => concrete(r.to, from === 'on_hold' ? heldFrom : null) === to) ?? null;
}

/** The statuses a work order may move to from `from`, in table order (what a 409 names). */
export function allowedTargets(from: WorkOrderStatus, heldFrom: WorkOrderStatus | null): WorkOrderStatus[] {
  const targets: WorkOrderStatus[] = [];
  for (const r of TRANSITION_TABLE[from]) {
    const target = concrete(r.to, from === 'on_hold' ? heldFrom : null);
    if (target !== null) targets.push(target);
  }
  return targets;
}
