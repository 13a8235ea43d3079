/**
 * Shared test fixtures for the domain's unit tests (not exported from the lib). Times are frozen constants;
 * the calendar is the default office (Mon-Fri 08:00-17:00 UTC) with Christmas Day 2026 off.
 */
import type { BusinessCalendar } from '../calendar/business-calendar.schema.js';
import { DEFAULT_BUSINESS_CALENDAR } from '../calendar/business-calendar.schema.js';
import type { Actor } from '../lifecycle/actor.js';
import type { TransitionRequest } from '../lifecycle/transition-request.schema.js';
import { transition } from '../lifecycle/transition.js';
import { DEFAULT_SLA_POLICY } from '../sla/sla-policy.schema.js';
import type { LifecycleContext } from '../work-order/lifecycle-context.js';
import { openWorkOrder, OpenWorkOrderInputSchema, type OpenWorkOrderInput } from '../work-order/open-work-order.js';
import type { WorkOrder } from '../work-order/work-order.schema.js';
import type { WorkOrderStatus } from '../work-order/work-order-vocabulary.js';

export const ID = {
  workOrder: '00000000-0000-4000-8000-0000000000a1',
  asset: '00000000-0000-4000-8000-0000000000b1',
  customer: '00000000-0000-4000-8000-0000000000c1',
  otherCustomer: '00000000-0000-4000-8000-0000000000c2',
  technicianA: '00000000-0000-4000-8000-0000000000d1',
  technicianB: '00000000-0000-4000-8000-0000000000d2',
} as const;

export const H = 3_600_000;
export const M = 60_000;

/** Monday 2026-03-02 09:00 UTC. */
export const T0 = Date.parse('2026-03-02T09:00:00Z');

export const OFFICE: BusinessCalendar = { ...DEFAULT_BUSINESS_CALENDAR, holidays: ['2026-12-25'] };
export const CONTEXT: LifecycleContext = { slaPolicy: DEFAULT_SLA_POLICY, calendar: OFFICE };

export const ACTOR = {
  admin: { role: 'admin', id: 'token-admin' },
  planner: { role: 'planner', id: 'token-planner' },
  system: { role: 'system', id: 'sla-scheduler' },
  technicianA: { role: 'technician', id: 'token-tech-a', technicianId: ID.technicianA },
  technicianB: { role: 'technician', id: 'token-tech-b', technicianId: ID.technicianB },
  customer: { role: 'customer', id: 'token-customer', customerId: ID.customer },
  otherCustomer: { role: 'customer', id: 'token-other', customerId: ID.otherCustomer },
} as const satisfies Record<string, Actor>;

export function openInput(overrides: Partial<OpenWorkOrderInput> = {}): OpenWorkOrderInput {
  return {
    ...OpenWorkOrderInputSchema.parse({
      source: 'customer_report',
      assetId: ID.asset,
      customerId: ID.customer,
      title: 'Coating blistering on tank T-3',
      priority: 'P3',
    }),
    ...overrides,
  };
}

/** A fresh work order (status new, version 1) opened at `at`. */
export function openedWorkOrder(
  overrides: Partial<OpenWorkOrderInput> = {},
  at = T0,
  context: LifecycleContext = CONTEXT,
): WorkOrder {
  const result = openWorkOrder(
    openInput(overrides),
    { id: ID.workOrder, number: 'WO-2026-000123' },
    ACTOR.planner,
    at,
    context,
  );
  if (!result.ok) throw new Error(result.error.message);
  return result.workOrder;
}

const HAS_TECHNICIAN: readonly WorkOrderStatus[] = [
  'assigned',
  'en_route',
  'on_site',
  'resolved',
  'accepted',
  'rejected',
  'closed',
];
const HAS_RESOLUTION: readonly WorkOrderStatus[] = ['resolved', 'accepted', 'closed'];

/**
 * A work order placed directly in `status` with the fields that status implies (technician A from assigned on,
 * a resolution once resolved, an open hold when on_hold), at version 5. For state-machine tests that need every
 * starting status without walking there.
 */
export function workOrderIn(status: WorkOrderStatus, heldFrom: WorkOrderStatus | null = null): WorkOrder {
  const base = openedWorkOrder();
  const effective = status === 'on_hold' ? (heldFrom ?? 'new') : status;
  return {
    ...base,
    version: 5,
    status,
    technicianId: HAS_TECHNICIAN.includes(effective) ? ID.technicianA : null,
    resolution: HAS_RESOLUTION.includes(effective)
      ? { summary: 'recoated 2 m2', diagnosis: null, rootCause: null, remote: false }
      : null,
    holds:
      status === 'on_hold'
        ? [{ reason: 'waiting_on_parts', from: effective, startedAt: T0 + H, endedAt: null, note: null }]
        : [],
  };
}

/** A request to move `wo` to `to` that passes every guard (for an admin). */
export function validRequest(to: WorkOrderStatus, wo: WorkOrder): TransitionRequest {
  const version = wo.version;
  switch (to) {
    case 'new':
    case 'en_route':
    case 'on_site':
    case 'closed':
      return { to, version };
    case 'triaged':
      return { to, version };
    case 'assigned':
      if (wo.status === 'on_hold') return { to, version };
      return { to, version, technicianId: wo.technicianId === ID.technicianA ? ID.technicianB : ID.technicianA };
    case 'resolved':
      return { to, version, resolution: { summary: 'recoated the blistered area' } };
    case 'accepted':
      return { to, version, acceptance: { signedBy: 'Ingrid Berg', signatureRef: 'sig-001' } };
    case 'rejected':
      return { to, version, reason: 'blisters still visible' };
    case 'on_hold':
      return { to, version, reason: 'waiting_on_customer' };
    case 'cancelled':
      return { to, version, reason: 'customer_withdrew' };
  }
}

/** A transition request without its version (distributes over the union, unlike Omit). */
export type Move = TransitionRequest extends infer R
  ? R extends TransitionRequest
    ? Omit<R, 'version'>
    : never
  : never;

/** Applies a move as admin at the work order's current version; throws on refusal. */
export function move(wo: WorkOrder, request: Move, when: number, context: LifecycleContext = CONTEXT): WorkOrder {
  const result = transition(wo, { ...request, version: wo.version }, ACTOR.admin, when, context);
  if (!result.ok) throw new Error(result.error.message);
  return result.workOrder;
}

const SHANGHAI_DAY = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '18:00' },
];
/**
 * Shanghai, UTC+8 all year (no DST): 09:00-12:00 and 13:00-18:00, National Day 2026-10-01..07 off, Saturday
 * 2026-10-10 worked in the morning in exchange.
 */
export const SHANGHAI: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  workingHours: {
    mon: SHANGHAI_DAY,
    tue: SHANGHAI_DAY,
    wed: SHANGHAI_DAY,
    thu: SHANGHAI_DAY,
    fri: SHANGHAI_DAY,
    sat: [],
    sun: [],
  },
  holidays: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'],
  specialDays: [{ date: '2026-10-10', hours: [{ start: '09:00', end: '12:00' }] }],
};
