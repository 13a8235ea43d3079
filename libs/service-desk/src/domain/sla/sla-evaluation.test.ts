import { describe, expect, it } from 'vitest';
import { ACTOR, H, ID, M, openedWorkOrder, T0, move } from '../test/fixtures.js';
import type { WorkOrder } from '../work-order/work-order.schema.js';
import { escalate, planEscalations } from './escalation.js';
import { evaluateSla, nextSlaDeadline } from './sla-evaluation.js';

/** P1 opened Monday 09:00 UTC: answer by 09:30, on site by 11:00, resolved by Tuesday 09:00. */
function p1Assigned(): WorkOrder {
  let wo = openedWorkOrder({ priority: 'P1' });
  wo = move(wo, { to: 'triaged' }, T0 + 20 * M);
  return move(wo, { to: 'assigned', technicianId: ID.technicianA }, T0 + 25 * M);
}

describe('evaluateSla: breach detection at a given instant', () => {
  it('reports met, breached (outstanding, by how much) and pending targets', () => {
    const evaluation = evaluateSla(p1Assigned(), T0 + 2 * H + 45 * M);
    expect(evaluation.firstResponse).toEqual({
      target: 'firstResponse',
      state: 'met',
      dueAt: T0 + 30 * M,
      metAt: T0 + 20 * M,
      marginMs: 10 * M,
    });
    expect(evaluation.onSite).toEqual({
      target: 'onSite',
      state: 'breached',
      dueAt: T0 + 2 * H,
      metAt: null,
      overdueMs: 45 * M,
    });
    expect(evaluation.resolution).toEqual({
      target: 'resolution',
      state: 'pending',
      dueAt: T0 + 24 * H,
      remainingMs: 21 * H + 15 * M,
    });
    expect(evaluation.breaches.map((b) => b.target)).toEqual(['onSite']);
  });

  it('reports a target met late as breached with the time it was met', () => {
    const wo = move(p1Assigned(), { to: 'on_site' }, T0 + 2 * H + 30 * M);
    expect(evaluateSla(wo, T0 + 5 * H).onSite).toEqual({
      target: 'onSite',
      state: 'breached',
      dueAt: T0 + 2 * H,
      metAt: T0 + 2 * H + 30 * M,
      overdueMs: 30 * M,
    });
  });

  it('marks a priority without an on-site promise as not applicable', () => {
    expect(evaluateSla(openedWorkOrder({ priority: 'P3' }), T0).onSite).toEqual({
      target: 'onSite',
      state: 'not_applicable',
    });
  });

  it('counts a standing remote resolution as meeting the on-site clock; a rejection reopens both clocks', () => {
    const resolved = move(
      p1Assigned(),
      { to: 'resolved', resolution: { summary: 'reset the logger remotely' } },
      T0 + H,
    );
    const evaluation = evaluateSla(resolved, T0 + 3 * H);
    expect(evaluation.onSite).toMatchObject({ state: 'met', metAt: T0 + H });
    expect(evaluation.resolution).toMatchObject({ state: 'met', metAt: T0 + H });
    const rejected = move(resolved, { to: 'rejected', reason: 'readings still wrong' }, T0 + 90 * M);
    const after = evaluateSla(rejected, T0 + 3 * H);
    expect(after.onSite).toMatchObject({ state: 'breached', metAt: null, overdueMs: H });
    expect(after.resolution).toMatchObject({ state: 'pending' });
  });

  it('stops the clock during a hold waiting on the customer: no breach accrues', () => {
    const held = move(p1Assigned(), { to: 'on_hold', reason: 'waiting_on_customer' }, T0 + H);
    const evaluation = evaluateSla(held, T0 + 10 * H);
    expect(evaluation.clockStoppedAt).toBe(T0 + H);
    expect(evaluation.onSite).toEqual({ target: 'onSite', state: 'pending', dueAt: T0 + 2 * H, remainingMs: H });
    expect(nextSlaDeadline(held, T0 + 10 * H)).toBeNull();
  });

  it('keeps a breach that happened before the hold, frozen at the hold start', () => {
    const held = move(p1Assigned(), { to: 'on_hold', reason: 'waiting_on_customer' }, T0 + 3 * H);
    expect(evaluateSla(held, T0 + 10 * H).onSite).toMatchObject({ state: 'breached', overdueMs: H });
  });

  it('lets the clock run during a hold that is our own delay', () => {
    const held = move(p1Assigned(), { to: 'on_hold', reason: 'waiting_on_parts' }, T0 + H);
    expect(evaluateSla(held, T0 + 3 * H).onSite).toMatchObject({ state: 'breached', overdueMs: H });
  });

  it('voids the outstanding targets of a cancelled work order', () => {
    const cancelled = move(p1Assigned(), { to: 'cancelled', reason: 'duplicate' }, T0 + H);
    const evaluation = evaluateSla(cancelled, T0 + 30 * H);
    expect(evaluation.onSite).toEqual({ target: 'onSite', state: 'void', dueAt: T0 + 2 * H });
    expect(evaluation.firstResponse.state).toBe('met');
    expect(evaluation.breaches).toEqual([]);
  });

  it('tells the scheduler the next running deadline', () => {
    expect(nextSlaDeadline(p1Assigned(), T0 + H)).toBe(T0 + 2 * H);
    expect(nextSlaDeadline(p1Assigned(), T0 + 3 * H)).toBe(T0 + 24 * H);
  });
});

describe('escalation', () => {
  it('raises the priority one step per breach, once per breach', () => {
    // P3 Monday 09:00 never answered: response due Tue 09:00.
    const wo = openedWorkOrder({ priority: 'P3' });
    expect(planEscalations(wo, T0 + 24 * H)).toEqual([]); // due, not yet overdue
    const first = escalate(wo, T0 + 25 * H, ACTOR.system);
    expect(first.escalations).toEqual([
      { target: 'firstResponse', fromPriority: 'P3', toPriority: 'P2', overdueMs: H },
    ]);
    expect(first.workOrder.priority).toBe('P2');
    expect(first.workOrder.sla.priority).toBe('P3'); // the promise does not move
    expect(first.workOrder.sla.due).toEqual(wo.sla.due);
    expect(first.workOrder.sla.escalated).toEqual(['firstResponse']);
    expect(first.workOrder.version).toBe(2);
    expect(first.entries).toEqual([
      {
        workOrderId: ID.workOrder,
        sequence: 2,
        at: T0 + 25 * H,
        actor: ACTOR.system,
        note: 'firstResponse overdue by 60 min',
        kind: 'escalation',
        target: 'firstResponse',
        fromPriority: 'P3',
        toPriority: 'P2',
        overdueMs: H,
      },
    ]);

    // Still overdue an hour later: nothing new.
    const again = escalate(first.workOrder, T0 + 26 * H, ACTOR.system);
    expect(again.escalations).toEqual([]);
    expect(again.workOrder).toBe(first.workOrder);

    // The resolution clock (Wed 09:00) breaches next: one more step.
    const second = escalate(first.workOrder, T0 + 49 * H, ACTOR.system);
    expect(second.escalations).toEqual([{ target: 'resolution', fromPriority: 'P2', toPriority: 'P1', overdueMs: H }]);
    expect(second.entries[0]?.sequence).toBe(3);
  });

  it('raises two steps when two targets are found breached at once, and never beyond P1', () => {
    const p2 = openedWorkOrder({ priority: 'P2' }); // response 13:00, on site Tue 09:00, resolution Wed 09:00
    const both = escalate(p2, T0 + 30 * H, ACTOR.system);
    expect(both.escalations.map((e) => [e.target, e.fromPriority, e.toPriority])).toEqual([
      ['firstResponse', 'P2', 'P1'],
      ['onSite', 'P1', 'P1'],
    ]);
    expect(both.workOrder.priority).toBe('P1');
    expect(both.entries.map((e) => e.sequence)).toEqual([2, 3]);
    expect(both.workOrder.version).toBe(3);
  });

  it('does not escalate a target met late, nor a closed or cancelled work order', () => {
    const late = move(p1Assigned(), { to: 'on_site' }, T0 + 3 * H);
    expect(planEscalations(late, T0 + 4 * H)).toEqual([]);
    const cancelled = move(openedWorkOrder({ priority: 'P3' }), { to: 'cancelled', reason: 'duplicate' }, T0 + H);
    expect(
      planEscalations({ ...cancelled, milestones: { ...cancelled.milestones, firstResponseAt: null } }, T0 + 30 * H),
    ).toEqual([]);
  });
});
