import { describe, expect, it } from 'vitest';
import { ACTOR, CONTEXT, H, ID, M, openedWorkOrder, T0, validRequest, workOrderIn } from '../test/fixtures.js';
import { httpStatusOf } from '../shared/domain-error.js';
import type { WorkOrder } from '../work-order/work-order.schema.js';
import { WorkOrderSchema } from '../work-order/work-order.schema.js';
import { WorkOrderLogEntrySchema } from '../work-order/work-order-log.schema.js';
import type { Actor } from './actor.js';
import type { TransitionRequest } from './transition-request.schema.js';
import { TransitionRequestSchema } from './transition-request.schema.js';
import { transition } from './transition.js';

function step(wo: WorkOrder, request: TransitionRequest, actor: Actor, at: number): WorkOrder {
  const result = transition(wo, request, actor, at, CONTEXT);
  if (!result.ok) throw new Error(result.error.message);
  expect(WorkOrderLogEntrySchema.parse(result.entry)).toEqual(result.entry);
  return result.workOrder;
}

describe('transition: a whole flow', () => {
  it('walks new -> closed recording every milestone, version and log entry', () => {
    let wo = openedWorkOrder({ priority: 'P1' });
    wo = step(wo, { to: 'triaged', version: 1 }, ACTOR.planner, T0 + 10 * M);
    wo = step(wo, { to: 'assigned', version: 2, technicianId: ID.technicianA }, ACTOR.planner, T0 + 15 * M);
    wo = step(wo, { to: 'en_route', version: 3 }, ACTOR.technicianA, T0 + 20 * M);
    wo = step(wo, { to: 'on_site', version: 4 }, ACTOR.technicianA, T0 + 80 * M);
    wo = step(
      wo,
      { to: 'resolved', version: 5, resolution: { summary: 'patched', diagnosis: 'impact damage' } },
      ACTOR.technicianA,
      T0 + 3 * H,
    );
    wo = step(
      wo,
      { to: 'accepted', version: 6, acceptance: { signedBy: 'I. Berg', signatureRef: 'sig-9' } },
      ACTOR.customer,
      T0 + 4 * H,
    );
    wo = step(wo, { to: 'closed', version: 7 }, ACTOR.system, T0 + 5 * H);

    expect(wo.status).toBe('closed');
    expect(wo.version).toBe(8);
    expect(wo.milestones).toEqual({
      firstResponseAt: T0 + 10 * M,
      triagedAt: T0 + 10 * M,
      assignedAt: T0 + 15 * M,
      enRouteAt: T0 + 20 * M,
      onSiteAt: T0 + 80 * M,
      resolvedAt: T0 + 3 * H,
      acceptedAt: T0 + 4 * H,
      closedAt: T0 + 5 * H,
      cancelledAt: null,
    });
    expect(wo.resolution).toEqual({ summary: 'patched', diagnosis: 'impact damage', rootCause: null, remote: false });
    expect(wo.acceptance).toEqual({ signedBy: 'I. Berg', signatureRef: 'sig-9', at: T0 + 4 * H });
    expect(wo.onSiteArrivals).toBe(1);
    expect(wo.rejectionCount).toBe(0);
    expect(WorkOrderSchema.parse(wo)).toEqual(wo);
  });

  it('sends a rejected repair to rework, counting the rejection and the second arrival', () => {
    let wo = workOrderIn('resolved');
    wo = step(wo, { to: 'rejected', version: 5, reason: 'still leaking' }, ACTOR.customer, T0 + 2 * H);
    expect(wo.rejectionCount).toBe(1);
    expect(wo.lastRejection).toEqual({ reason: 'still leaking', at: T0 + 2 * H });
    wo = step(wo, { to: 'en_route', version: 6 }, ACTOR.technicianA, T0 + 3 * H);
    wo = step(wo, { to: 'on_site', version: 7 }, ACTOR.technicianA, T0 + 4 * H);
    expect(wo.onSiteArrivals).toBe(1); // the fixture starts at 0 arrivals
    wo = step(wo, { to: 'resolved', version: 8, resolution: { summary: 'resealed' } }, ACTOR.technicianA, T0 + 5 * H);
    expect(wo.milestones.resolvedAt).toBe(T0 + 5 * H);
    expect(wo.resolution?.summary).toBe('resealed');
  });

  it('records a remote resolution when resolved straight from assigned', () => {
    const wo = step(
      workOrderIn('assigned'),
      validRequest('resolved', workOrderIn('assigned')),
      ACTOR.technicianA,
      T0 + H,
    );
    expect(wo.resolution?.remote).toBe(true);
    expect(wo.milestones.onSiteAt).toBeNull();
  });

  it('sets the first response on the first move out of new, whatever it is, and only once', () => {
    const held = step(
      openedWorkOrder(),
      { to: 'on_hold', version: 1, reason: 'waiting_on_customer' },
      ACTOR.planner,
      T0 + 30 * M,
    );
    expect(held.milestones.firstResponseAt).toBe(T0 + 30 * M);
    const resumed = step(held, { to: 'new', version: 2 }, ACTOR.planner, T0 + 2 * H);
    const triaged = step(resumed, { to: 'triaged', version: 3 }, ACTOR.planner, T0 + 3 * H);
    expect(triaged.milestones.firstResponseAt).toBe(T0 + 30 * M);
    expect(triaged.milestones.triagedAt).toBe(T0 + 3 * H);
  });
});

describe('transition: guards', () => {
  it('refuses a stale version with 409 before anything else', () => {
    const wo = workOrderIn('closed');
    const result = transition(wo, { to: 'triaged', version: 4 }, ACTOR.customer, T0, CONTEXT);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'stale_version',
        message: 'work order WO-2026-000123 is at version 5, not 4: reload and retry',
        expectedVersion: 4,
        currentVersion: 5,
      },
    });
    if (!result.ok) expect(httpStatusOf(result.error)).toBe(409);
  });

  it('answers an illegal move with 409 and a forbidden actor with 403', () => {
    const illegal = transition(workOrderIn('new'), { to: 'closed', version: 5 }, ACTOR.admin, T0, CONTEXT);
    expect(!illegal.ok && httpStatusOf(illegal.error)).toBe(409);
    const forbidden = transition(workOrderIn('new'), { to: 'triaged', version: 5 }, ACTOR.customer, T0, CONTEXT);
    expect(!forbidden.ok && httpStatusOf(forbidden.error)).toBe(403);
  });

  it.each<[string, WorkOrder, TransitionRequest, Actor, string]>([
    [
      'assigning needs a technician',
      workOrderIn('triaged'),
      { to: 'assigned', version: 5 },
      ACTOR.planner,
      'technicianId',
    ],
    [
      'reassigning needs another technician',
      workOrderIn('assigned'),
      { to: 'assigned', version: 5, technicianId: ID.technicianA },
      ACTOR.planner,
      'technicianId',
    ],
    [
      'reason "other" on hold needs a note',
      workOrderIn('on_site'),
      { to: 'on_hold', version: 5, reason: 'other' },
      ACTOR.technicianA,
      'note',
    ],
    [
      'reason "other" to cancel needs a note',
      workOrderIn('new'),
      { to: 'cancelled', version: 5, reason: 'other' },
      ACTOR.planner,
      'note',
    ],
    [
      'a customer only withdraws',
      workOrderIn('new'),
      { to: 'cancelled', version: 5, reason: 'false_alarm' },
      ACTOR.customer,
      'reason',
    ],
    [
      'a resume keeps the technician',
      workOrderIn('on_hold', 'assigned'),
      { to: 'assigned', version: 5, technicianId: ID.technicianB },
      ACTOR.planner,
      'technicianId',
    ],
    [
      'a resume does not re-triage',
      workOrderIn('on_hold', 'triaged'),
      { to: 'triaged', version: 5, priority: 'P1' },
      ACTOR.planner,
      'priority',
    ],
    [
      'resolved needs a resolution',
      workOrderIn('on_site'),
      { to: 'resolved', version: 5, resolution: { summary: '  ' } },
      ACTOR.technicianA,
      'resolution.summary',
    ],
    [
      'rejected needs a reason',
      workOrderIn('resolved'),
      { to: 'rejected', version: 5, reason: '' },
      ACTOR.customer,
      'reason',
    ],
    [
      'accepted needs who signed',
      workOrderIn('resolved'),
      { to: 'accepted', version: 5, acceptance: { signedBy: '', signatureRef: 'sig-1' } },
      ACTOR.customer,
      'acceptance.signedBy',
    ],
    [
      'accepted needs the signature reference',
      workOrderIn('resolved'),
      { to: 'accepted', version: 5, acceptance: { signedBy: 'I. Berg', signatureRef: ' ' } },
      ACTOR.customer,
      'acceptance.signatureRef',
    ],
    [
      'en route needs a technician (data missing one)',
      { ...workOrderIn('rejected'), technicianId: null },
      { to: 'en_route', version: 5 },
      ACTOR.planner,
      'technicianId',
    ],
    [
      'on site needs a technician (data missing one)',
      { ...workOrderIn('rejected'), technicianId: null },
      { to: 'on_site', version: 5 },
      ACTOR.planner,
      'technicianId',
    ],
  ])('%s (400, field named)', (_case, wo, request, actor, field) => {
    const result = transition(wo, request, actor, T0 + H, CONTEXT);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'invalid_request', field });
    expect(httpStatusOf(result.error)).toBe(400);
  });

  it('accepts a note for reason "other"', () => {
    const result = transition(
      workOrderIn('new'),
      { to: 'cancelled', version: 5, reason: 'other', note: 'asset sold' },
      ACTOR.planner,
      T0,
      CONTEXT,
    );
    expect(result.ok && result.workOrder.cancellation).toEqual({ reason: 'other', note: 'asset sold', at: T0 });
  });

  it('lets the assigned technician hand a work order back, but not re-prioritise it', () => {
    const handedBack = transition(
      workOrderIn('assigned'),
      { to: 'triaged', version: 5 },
      ACTOR.technicianA,
      T0,
      CONTEXT,
    );
    expect(handedBack.ok && handedBack.workOrder.technicianId).toBeNull();
    expect(handedBack.ok && handedBack.entry.details).toEqual({
      technicianId: null,
      previousTechnicianId: ID.technicianA,
    });
    const reprioritised = transition(
      workOrderIn('assigned'),
      { to: 'triaged', version: 5, priority: 'P4' },
      ACTOR.technicianA,
      T0,
      CONTEXT,
    );
    expect(reprioritised).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('lets a resume repeat the same technician id', () => {
    const result = transition(
      workOrderIn('on_hold', 'assigned'),
      { to: 'assigned', version: 5, technicianId: ID.technicianA },
      ACTOR.planner,
      T0 + 2 * H,
      CONTEXT,
    );
    expect(result.ok && result.entry.details).toEqual({ resumed: true });
  });
});

describe('transition: holds, cancellation and feedback', () => {
  it('records the hold and resumes to the status it came from, closing the hold', () => {
    const onSite = workOrderIn('on_site');
    const held = step(
      onSite,
      { to: 'on_hold', version: 5, reason: 'waiting_on_parts', note: 'flange gasket' },
      ACTOR.technicianA,
      T0 + H,
    );
    expect(held.holds).toEqual([
      { reason: 'waiting_on_parts', from: 'on_site', startedAt: T0 + H, endedAt: null, note: 'flange gasket' },
    ]);
    const resumed = transition(held, { to: 'on_site', version: 6 }, ACTOR.technicianA, T0 + 3 * H, CONTEXT);
    if (!resumed.ok) throw new Error(resumed.error.message);
    expect(resumed.workOrder.status).toBe('on_site');
    expect(resumed.workOrder.holds[0]?.endedAt).toBe(T0 + 3 * H);
    expect(resumed.workOrder.onSiteArrivals).toBe(onSite.onSiteArrivals); // a resume is not a new arrival
    expect(resumed.entry.details).toEqual({ resumed: true });
  });

  it('closes the open hold when a held work order is cancelled', () => {
    const result = transition(
      workOrderIn('on_hold', 'en_route'),
      { to: 'cancelled', version: 5, reason: 'duplicate' },
      ACTOR.planner,
      T0 + 4 * H,
      CONTEXT,
    );
    expect(result.ok && result.workOrder.holds[0]?.endedAt).toBe(T0 + 4 * H);
    expect(result.ok && result.falseAlarm).toBeNull();
  });

  it('flags a false alarm for detection feedback, with the alert it came from', () => {
    const detected = openedWorkOrder({
      source: 'detector',
      customerReportedAt: null,
      deviceId: 'er-probe-7',
      evidence: {
        alertId: 'alert-42',
        deviceId: 'er-probe-7',
        metric: 'metal_loss_um',
        eventTime: T0 - 2 * H,
        window: { from: T0 - 26 * H, to: T0 - 2 * H },
        readings: [{ ts: T0 - 2 * H, value: 412 }],
        finding: 'metal loss rate above band',
        forecast: null,
      },
    });
    const result = transition(
      detected,
      { to: 'cancelled', version: 1, reason: 'false_alarm', note: 'probe cable loose' },
      ACTOR.planner,
      T0 + H,
      CONTEXT,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(result.falseAlarm).toEqual({
      workOrderId: ID.workOrder,
      number: 'WO-2026-000123',
      source: 'detector',
      assetId: ID.asset,
      deviceId: 'er-probe-7',
      alertId: 'alert-42',
      detectedAt: T0 - 2 * H,
      cancelledAt: T0 + H,
      note: 'probe cable loose',
    });
    expect(result.entry.details).toEqual({ cancelReason: 'false_alarm' });
    expect(result.workOrder.milestones.firstResponseAt).toBe(T0 + H);
  });
});

describe('transition: immutability', () => {
  it('leaves the input untouched and returns frozen values', () => {
    const wo = workOrderIn('assigned');
    const before = structuredClone(wo);
    const result = transition(
      wo,
      { to: 'en_route', version: 5, note: 'leaving depot' },
      ACTOR.technicianA,
      T0,
      CONTEXT,
    );
    if (!result.ok) throw new Error(result.error.message);
    expect(wo).toEqual(before);
    expect(Object.isFrozen(result.entry)).toBe(true);
    expect(Object.isFrozen(result.entry.actor)).toBe(true);
    expect(Object.isFrozen(result.workOrder.milestones)).toBe(true);
    expect(() => {
      (result.entry as { note: string | null }).note = 'rewritten';
    }).toThrow(TypeError);
    expect(result.entry.note).toBe('leaving depot');
  });
});

describe('TransitionRequestSchema', () => {
  it('parses a body and names the missing field', () => {
    expect(TransitionRequestSchema.parse({ to: 'on_hold', version: 3, reason: 'waiting_on_customer' })).toEqual({
      to: 'on_hold',
      version: 3,
      reason: 'waiting_on_customer',
    });
    const missing = TransitionRequestSchema.safeParse({ to: 'resolved', version: 3 });
    expect(missing.error?.issues[0]?.path).toEqual(['resolution']);
    const unknown = TransitionRequestSchema.safeParse({ to: 'teleported', version: 3 });
    expect(unknown.error?.issues[0]?.path).toEqual(['to']);
    const extra = TransitionRequestSchema.safeParse({ to: 'closed', version: 3, technicianId: ID.technicianA });
    expect(extra.success).toBe(false);
  });
});
