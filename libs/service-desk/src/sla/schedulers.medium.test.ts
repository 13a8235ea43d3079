import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComplaintOverdueScheduler } from '../complaints/complaint-overdue-scheduler.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../domain/index.js';
import type { PreventivePlanView } from '../preventive/preventive-plan.api.js';
import { PreventiveScheduler } from '../preventive/preventive-scheduler.js';
import { startServiceDeskApp, TEST_T0, type ServiceDeskTestApp } from '../testing/service-desk-test-app.js';
import { detail, dispatchedOnSite, expectStatus, move, openWorkOrder } from '../testing/work-order-steps.js';
import type { WorkOrderView } from '../work-orders/work-order.api.js';
import { SlaScheduler } from './sla-scheduler.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('schedulers driven by a frozen clock', () => {
  let t: ServiceDeskTestApp;
  beforeAll(async () => {
    t = await startServiceDeskApp();
  });
  afterAll(async () => t?.close());

  it('escalates a breached work order once per target, raising its priority but not its SLA promise', async () => {
    const sla = t.app.get(SlaScheduler);
    t.clock.set(TEST_T0);
    // P3: answer within 24 h, solution within 48 h (wall clock).
    const wo = await openWorkOrder(t, {
      priority: 'P3',
      title: 'Slow corrosion rate increase',
      faultCategory: 'corrosion',
    });
    const held = await openWorkOrder(t, {
      priority: 'P3',
      title: 'Waiting on the customer',
      faultCategory: 'corrosion',
    });
    await move(t, held, { to: 'on_hold', reason: 'waiting_on_customer' });

    expect((await sla.tick(TEST_T0 + 23 * MS_PER_HOUR)).escalated).toEqual([]);

    t.clock.set(TEST_T0 + 25 * MS_PER_HOUR);
    const first = await sla.tick(t.clock.now());
    // Only the one whose clock runs: the other waits on the customer, its clock is stopped.
    expect(first.escalated).toEqual([{ number: wo.number, target: 'firstResponse', toPriority: 'P2' }]);
    let after = await detail(t, wo.id);
    expect(after).toMatchObject({
      priority: 'P2',
      version: 2,
      sla: {
        priority: 'P3',
        escalated: ['firstResponse'],
        due: { firstResponse: iso(TEST_T0 + 24 * MS_PER_HOUR) },
        breached: true,
      },
    });
    expect(after.log.at(-1)).toMatchObject({
      kind: 'escalation',
      actor: { role: 'system', id: 'sla-scheduler' },
      data: { target: 'firstResponse', fromPriority: 'P3', toPriority: 'P2', overdueMs: MS_PER_HOUR },
    });
    expect(t.events.ofType('work_order.escalated').at(-1)).toMatchObject({
      subject: { id: wo.id },
      data: { target: 'firstResponse', fromPriority: 'P3', toPriority: 'P2', priority: 'P2' },
    });

    // Once per breach: the next sweep leaves it alone.
    expect((await sla.tick(TEST_T0 + 26 * MS_PER_HOUR)).escalated).toEqual([]);

    // Answered late, then the resolution deadline passes too: one more step.
    t.clock.set(TEST_T0 + 30 * MS_PER_HOUR);
    await move(t, after, { to: 'triaged' });
    const second = await sla.tick(TEST_T0 + 49 * MS_PER_HOUR);
    expect(second.escalated).toEqual([{ number: wo.number, target: 'resolution', toPriority: 'P1' }]);
    after = await detail(t, wo.id);
    expect(after).toMatchObject({
      priority: 'P1',
      sla: { priority: 'P3', escalated: ['firstResponse', 'resolution'] },
    });
    expect(t.events.withoutTransaction).toEqual([]);
  });

  it('reports a complaint not investigated within 24 h, once', async () => {
    const overdue = t.app.get(ComplaintOverdueScheduler);
    t.clock.set(TEST_T0 + 100 * MS_PER_HOUR);
    const filed = await expectStatus(
      t.request<{ id: string }>('POST', '/api/complaints', {
        token: t.fleet.tokens.north,
        body: { subject: 'Nobody called back' },
      }),
      201,
    );
    expect((await overdue.tick(t.clock.now() + 23 * MS_PER_HOUR)).overdue).toEqual([]);
    expect((await overdue.tick(t.clock.now() + 25 * MS_PER_HOUR)).overdue).toEqual([filed.id]);
    expect((await overdue.tick(t.clock.now() + 26 * MS_PER_HOUR)).overdue).toEqual([]);
    expect(t.events.ofType('complaint.overdue')).toEqual([
      expect.objectContaining({
        subject: { kind: 'complaint', id: filed.id },
        data: expect.objectContaining({ overdueMs: MS_PER_HOUR }),
      }),
    ]);
  });

  it('opens a preventive plan’s work order ahead of the due date, once per occurrence', async () => {
    const preventive = t.app.get(PreventiveScheduler);
    t.clock.set(Date.parse('2026-03-02T09:00:00Z'));
    const plan = await expectStatus(
      t.request<PreventivePlanView>('POST', '/api/preventive-plans', {
        body: {
          assetId: t.fleet.assets.bridge,
          title: 'Annual coating survey',
          every: 3,
          unit: 'months',
          anchor: 'schedule',
          startDate: '2026-03-20',
          leadDays: 7,
          faultCategory: 'coating_damage',
        },
      }),
      201,
    );
    expect(plan).toMatchObject({ nextDueDate: '2026-03-20', nextOpensOn: '2026-03-13', priority: 'P4', active: true });

    expect((await preventive.tick(Date.parse('2026-03-12T23:00:00Z'))).opened).toEqual([]);
    t.clock.set(Date.parse('2026-03-13T06:00:00Z'));
    const { opened } = await preventive.tick(t.clock.now());
    expect(opened).toHaveLength(1);
    const wo = await detail(t, opened[0]!);
    expect(wo).toMatchObject({
      source: 'preventive_plan',
      preventivePlanId: plan.id,
      assetId: t.fleet.assets.bridge,
      customerId: t.fleet.customers.south,
      title: 'Annual coating survey (due 2026-03-20)',
      priority: 'P4',
    });
    expect((await preventive.tick(Date.parse('2026-03-14T06:00:00Z'))).opened).toEqual([]);
    const progressed = await expectStatus(
      t.request<PreventivePlanView>('GET', `/api/preventive-plans/${plan.id}`),
      200,
    );
    expect(progressed).toMatchObject({
      progress: { lastDueDate: '2026-03-20', occurrenceOpen: true },
      nextDueDate: '2026-06-20',
      nextOpensOn: '2026-06-13',
      lastWorkOrderId: wo.id,
    });

    // Done and closed: the occurrence is complete; the next opens on its own date.
    let done: WorkOrderView = await dispatchedOnSite(t, wo, t.fleet.technicians.cai, t.fleet.tokens.cai);
    done = await move(
      t,
      done,
      { to: 'resolved', resolution: { summary: 'surveyed: DFT within spec' } },
      t.fleet.tokens.cai,
    );
    done = await move(
      t,
      done,
      { to: 'accepted', acceptance: { signedBy: 'Site lead', signatureRef: 'paper-77' } },
      t.fleet.tokens.cai,
    );
    await move(t, done, { to: 'closed' });
    const completed = await expectStatus(t.request<PreventivePlanView>('GET', `/api/preventive-plans/${plan.id}`), 200);
    expect(completed.progress).toEqual({
      lastDueDate: '2026-03-20',
      lastCompletedDate: '2026-03-13',
      occurrenceOpen: false,
    });
    expect((await preventive.tick(Date.parse('2026-06-12T12:00:00Z'))).opened).toEqual([]);
    expect((await preventive.tick(Date.parse('2026-06-13T00:00:00Z'))).opened).toHaveLength(1);

    // An inactive plan opens nothing.
    await expectStatus(t.request('PATCH', `/api/preventive-plans/${plan.id}`, { body: { active: false } }), 200);
    expect((await preventive.tick(Date.parse('2026-09-20T00:00:00Z'))).opened).toEqual([]);
    const invalid = await t.request('PATCH', `/api/preventive-plans/${plan.id}`, { body: { leadDays: 200 } });
    expect(invalid).toMatchObject({ status: 400, body: { field: 'leadDays' } });
    expect(MS_PER_DAY).toBe(24 * MS_PER_HOUR);
  });
});

describe('scheduler timers', () => {
  it('run on their own once the application has started, and stop on shutdown', async () => {
    const t = await startServiceDeskApp({ config: { schedulers: { enabled: true, slaSweepMs: 1000 } } });
    try {
      t.clock.set(TEST_T0);
      const wo = await openWorkOrder(t, {
        priority: 'P1',
        title: 'Potential lost',
        faultCategory: 'cathodic_protection',
      });
      t.clock.set(TEST_T0 + 3 * MS_PER_HOUR);
      let escalated = false;
      for (let i = 0; i < 50 && !escalated; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        escalated = (await detail(t, wo.id)).sla.escalated.length > 0;
      }
      expect(escalated).toBe(true);
    } finally {
      await t.close();
    }
  });
});
