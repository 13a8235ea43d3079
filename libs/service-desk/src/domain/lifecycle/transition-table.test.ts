import { describe, expect, it } from 'vitest';
import { ACTOR, CONTEXT, T0, H, validRequest, workOrderIn } from '../test/fixtures.js';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from '../work-order/work-order-vocabulary.js';
import type { Actor } from './actor.js';
import { allowedTargets, HOLDABLE_STATUSES, TRANSITION_TABLE } from './transition-table.js';
import { transition } from './transition.js';

/**
 * The lifecycle written out by hand, independently of TRANSITION_TABLE. Every (from, to) pair of the 11 x 11
 * matrix is checked against it: allowed pairs must succeed, every other pair must answer illegal_transition
 * naming exactly these targets.
 */
const EXPECTED: Record<Exclude<WorkOrderStatus, 'on_hold'>, readonly WorkOrderStatus[]> = {
  new: ['triaged', 'on_hold', 'cancelled'],
  triaged: ['assigned', 'on_hold', 'cancelled'],
  assigned: ['assigned', 'triaged', 'en_route', 'on_site', 'resolved', 'on_hold', 'cancelled'],
  en_route: ['on_site', 'assigned', 'on_hold', 'cancelled'],
  on_site: ['resolved', 'on_hold', 'cancelled'],
  resolved: ['accepted', 'rejected'],
  accepted: ['closed'],
  rejected: ['assigned', 'en_route', 'on_site', 'cancelled'],
  closed: [],
  cancelled: [],
};
/** on_hold may only resume to where it came from, or be cancelled. */
const EXPECTED_HOLDABLE: readonly WorkOrderStatus[] = ['new', 'triaged', 'assigned', 'en_route', 'on_site'];
const expectedFromHold = (heldFrom: WorkOrderStatus): WorkOrderStatus[] => [heldFrom, 'cancelled'];

/** Starting points: every status, and on_hold once per status it can come from. */
const STARTS: Array<{
  label: string;
  status: WorkOrderStatus;
  heldFrom: WorkOrderStatus | null;
  allowed: readonly WorkOrderStatus[];
}> = [
  ...(Object.keys(EXPECTED) as Array<keyof typeof EXPECTED>).map((status) => ({
    label: status,
    status,
    heldFrom: null,
    allowed: EXPECTED[status],
  })),
  ...EXPECTED_HOLDABLE.map((heldFrom) => ({
    label: `on_hold(from ${heldFrom})`,
    status: 'on_hold' as const,
    heldFrom,
    allowed: expectedFromHold(heldFrom),
  })),
];

const PAIRS = STARTS.flatMap((start) =>
  WORK_ORDER_STATUSES.map((to) => ({ ...start, to, legal: start.allowed.includes(to) })),
);

describe('the transition table', () => {
  it('covers every status, and the hand-written list covers every status but on_hold', () => {
    expect(Object.keys(TRANSITION_TABLE).sort()).toEqual([...WORK_ORDER_STATUSES].sort());
    expect([...Object.keys(EXPECTED), 'on_hold'].sort()).toEqual([...WORK_ORDER_STATUSES].sort());
  });

  it('derives exactly the hand-written allowed targets', () => {
    for (const start of STARTS) {
      expect(allowedTargets(start.status, start.heldFrom), start.label).toEqual(start.allowed);
    }
    expect(HOLDABLE_STATUSES).toEqual(EXPECTED_HOLDABLE);
  });

  it('checks all 165 pairs (10 statuses + 5 kinds of hold, times 11 targets)', () => {
    expect(PAIRS).toHaveLength(165);
    expect(PAIRS.filter((p) => p.legal)).toHaveLength(27 + 10);
  });

  it.each(PAIRS.filter((p) => p.legal))('allows $label -> $to', ({ status, heldFrom, to }) => {
    const wo = workOrderIn(status, heldFrom);
    const result = transition(wo, validRequest(to, wo), ACTOR.admin, T0 + 2 * H, CONTEXT);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.workOrder.status).toBe(to);
    expect(result.workOrder.version).toBe(wo.version + 1);
    expect(result.entry).toMatchObject({
      kind: 'transition',
      from: status,
      to,
      sequence: wo.version + 1,
      at: T0 + 2 * H,
    });
  });

  it.each(PAIRS.filter((p) => !p.legal))(
    'forbids $label -> $to, naming the allowed targets',
    ({ status, heldFrom, to, allowed }) => {
      const wo = workOrderIn(status, heldFrom);
      const result = transition(wo, validRequest(to, wo), ACTOR.admin, T0 + 2 * H, CONTEXT);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toMatchObject({ code: 'illegal_transition', from: status, to, allowed });
      expect(result.error.message).toContain(
        allowed.length === 0 ? `${status} is final` : `allowed: ${allowed.join(', ')}`,
      );
    },
  );
});

/**
 * Who may make each allowed move, by hand. Admin may make every move (checked above). `technician` is the
 * technician assigned to the work order, `customer` the owner.
 */
const EXPECTED_ROLES: Record<string, string> = {
  'new>triaged': 'planner system',
  'new>on_hold': 'planner',
  'new>cancelled': 'planner system customer',
  'triaged>assigned': 'planner system',
  'triaged>on_hold': 'planner',
  'triaged>cancelled': 'planner system customer',
  'assigned>assigned': 'planner system',
  'assigned>triaged': 'planner technician',
  'assigned>en_route': 'planner technician',
  'assigned>on_site': 'planner technician',
  'assigned>resolved': 'planner technician',
  'assigned>on_hold': 'planner technician',
  'assigned>cancelled': 'planner',
  'en_route>on_site': 'planner technician',
  'en_route>assigned': 'planner',
  'en_route>on_hold': 'planner technician',
  'en_route>cancelled': 'planner',
  'on_site>resolved': 'planner technician',
  'on_site>on_hold': 'planner technician',
  'on_site>cancelled': 'planner technician',
  'resolved>accepted': 'planner technician customer',
  'resolved>rejected': 'planner technician customer',
  'accepted>closed': 'planner system',
  'rejected>assigned': 'planner',
  'rejected>en_route': 'planner technician',
  'rejected>on_site': 'planner technician',
  'rejected>cancelled': 'planner',
  // A technician resumes only its own work order: before assignment there is none to be its own.
  'on_hold(from new)>new': 'planner',
  'on_hold(from triaged)>triaged': 'planner',
  'on_hold(from assigned)>assigned': 'planner technician',
  'on_hold(from en_route)>en_route': 'planner technician',
  'on_hold(from on_site)>on_site': 'planner technician',
  'on_hold(from new)>cancelled': 'planner',
  'on_hold(from triaged)>cancelled': 'planner',
  'on_hold(from assigned)>cancelled': 'planner',
  'on_hold(from en_route)>cancelled': 'planner',
  'on_hold(from on_site)>cancelled': 'planner',
};

const ROLE_ACTORS: Array<[string, Actor]> = [
  ['planner', ACTOR.planner],
  ['system', ACTOR.system],
  ['technician', ACTOR.technicianA],
  ['customer', ACTOR.customer],
];

describe('who may make each move', () => {
  it('lists every allowed pair', () => {
    expect(Object.keys(EXPECTED_ROLES).sort()).toEqual(
      PAIRS.filter((p) => p.legal)
        .map((p) => `${p.label}>${p.to}`)
        .sort(),
    );
  });

  const cases = PAIRS.filter((p) => p.legal).flatMap((p) =>
    ROLE_ACTORS.map(([role, actor]) => ({
      ...p,
      role,
      actor,
      permitted: (EXPECTED_ROLES[`${p.label}>${p.to}`] ?? '').split(' ').includes(role),
    })),
  );

  it.each(cases)('$label -> $to by $role: permitted=$permitted', ({ status, heldFrom, to, actor, permitted }) => {
    const wo = workOrderIn(status, heldFrom);
    const result = transition(wo, validRequest(to, wo), actor, T0 + 2 * H, CONTEXT);
    if (permitted) {
      if (!result.ok) throw new Error(result.error.message);
      expect(result.entry.actor).toEqual(actor);
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('forbidden');
    }
  });

  it('refuses a technician who is not the assigned one, and a customer who is not the owner', () => {
    const onSite = workOrderIn('on_site');
    const byOther = transition(onSite, validRequest('resolved', onSite), ACTOR.technicianB, T0, CONTEXT);
    expect(byOther).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('not assigned to this technician') },
    });
    const resolved = workOrderIn('resolved');
    const byStranger = transition(resolved, validRequest('accepted', resolved), ACTOR.otherCustomer, T0, CONTEXT);
    expect(byStranger).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining('another customer') },
    });
  });
});
