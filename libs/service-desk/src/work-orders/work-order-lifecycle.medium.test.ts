import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema } from '#contracts';
import { MS_PER_HOUR, MS_PER_MINUTE } from '../domain/index.js';
import { startServiceDeskApp, TEST_T0, type ServiceDeskTestApp } from '../testing/service-desk-test-app.js';
import { detail, dispatchedOnSite, expectStatus, move, openWorkOrder } from '../testing/work-order-steps.js';
import { WorkOrderDetailSchema, WorkOrderViewSchema, type WorkOrderView } from './work-order.api.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('work-order lifecycle over HTTP', () => {
  let t: ServiceDeskTestApp;
  beforeAll(async () => {
    t = await startServiceDeskApp();
  });
  afterAll(async () => t?.close());

  it('runs the whole flow with each role: open, triage, assign, on site, parts, warranty, resolve, accept, rate, close', async () => {
    const { tokens, technicians, assets, customers } = t.fleet;
    t.clock.set(TEST_T0);
    const opened = await openWorkOrder(t, { title: 'Blistering on tank roof', priority: 'P2' });
    expect(WorkOrderViewSchema.parse(opened)).toEqual(opened);
    expect(opened).toMatchObject({
      number: expect.stringMatching(/^WO-2026-\d{6}$/),
      version: 1,
      status: 'new',
      source: 'manual',
      customerId: customers.north,
      region: 'north',
      priority: 'P2',
      createdAt: iso(TEST_T0),
      // P2 (default policy): answered within 4 h, on site within 24 h, resolved within 48 h, round the clock.
      sla: {
        priority: 'P2',
        due: {
          firstResponse: iso(TEST_T0 + 4 * MS_PER_HOUR),
          onSite: iso(TEST_T0 + 24 * MS_PER_HOUR),
          resolution: iso(TEST_T0 + 48 * MS_PER_HOUR),
        },
        state: { firstResponse: 'pending', onSite: 'pending', resolution: 'pending' },
        breached: false,
      },
      allowedTransitions: ['triaged', 'on_hold', 'cancelled'],
    });

    t.clock.advance(20 * MS_PER_MINUTE);
    let wo = await dispatchedOnSite(t, opened, technicians.ana, tokens.ana);
    expect(wo).toMatchObject({ status: 'on_site', version: 5, technicianId: technicians.ana, onSiteArrivals: 1 });
    expect(wo.milestones.firstResponseAt).toBe(iso(TEST_T0 + 20 * MS_PER_MINUTE));

    const part = await expectStatus(
      t.request<{ line: { totalMinor: number }; workOrderVersion: number }>('POST', `/api/work-orders/${wo.id}/parts`, {
        token: tokens.ana,
        body: {
          partNumber: 'EP-400-20L',
          batch: 'LOT-2026-0211',
          supplier: 'Hempel',
          origin: 'genuine',
          quantity: 2.5,
          unit: 'l',
          unitPriceMinor: 4_990,
        },
      }),
      201,
    );
    expect(part).toMatchObject({ line: { totalMinor: 12_475 }, workOrderVersion: 6 });
    const labour = await expectStatus(
      t.request<{ line: { technicianId: string; totalMinor: number }; workOrderVersion: number }>(
        'POST',
        `/api/work-orders/${wo.id}/labour`,
        { token: tokens.ana, body: { minutes: 90, hourlyRateMinor: 8_000 } },
      ),
      201,
    );
    expect(labour).toMatchObject({ line: { technicianId: technicians.ana, totalMinor: 12_000 }, workOrderVersion: 7 });
    const warranty = await expectStatus(
      t.request('POST', `/api/work-orders/${wo.id}/warranty`, { token: tokens.ana, body: {} }),
      201,
    );
    expect(warranty).toMatchObject({
      coverage: 'covered',
      reason: 'within_warranty',
      faultDate: '2026-03-02',
      workOrderVersion: 8,
    });

    t.clock.advance(3 * MS_PER_HOUR);
    wo = await move(
      t,
      { id: wo.id, version: 8 },
      { to: 'resolved', resolution: { summary: 'sanded and recoated 2 m2' } },
      tokens.ana,
    );
    expect(wo).toMatchObject({ status: 'resolved', version: 9, resolution: { remote: false } });

    // The customer follows its own work order, and signs off.
    expect((await t.request('GET', `/api/work-orders/${wo.number}`, { token: tokens.north })).status).toBe(200);
    wo = await expectStatus(
      t.request<WorkOrderView>('POST', `/api/work-orders/${wo.id}/acceptance`, {
        token: tokens.north,
        body: { verdict: 'accepted', version: 9, signedBy: 'Ingrid Berg', signatureRef: 'esign-4711' },
      }),
      200,
    );
    expect(wo).toMatchObject({
      status: 'accepted',
      acceptance: { signedBy: 'Ingrid Berg', signatureRef: 'esign-4711' },
    });

    const survey = await expectStatus(
      t.request('POST', `/api/work-orders/${wo.id}/survey`, {
        token: tokens.north,
        body: { score: 5, wouldRecommend: true, comment: 'quick and tidy' },
      }),
      201,
    );
    expect(survey).toMatchObject({ score: 5, wouldRecommend: true, workOrderVersion: 11 });
    const again = await t.request('POST', `/api/work-orders/${wo.id}/survey`, {
      token: tokens.north,
      body: { score: 1, wouldRecommend: false },
    });
    expect(again.status).toBe(409);

    t.clock.advance(MS_PER_HOUR);
    const closedAt = t.clock.now();
    wo = await move(t, { id: wo.id, version: 11 }, { to: 'closed' });
    // Closing schedules the policy's follow-up (one call a week later): one more version.
    expect(wo).toMatchObject({ status: 'closed', version: 13, milestones: { closedAt: iso(closedAt) } });
    const followUps = await expectStatus(t.request<unknown[]>('GET', `/api/work-orders/${wo.id}/follow-ups`), 200);
    expect(followUps).toEqual([
      expect.objectContaining({ kind: 'call', dueAt: iso(closedAt + 7 * 24 * MS_PER_HOUR), doneAt: null }),
    ]);

    const full = WorkOrderDetailSchema.parse(await detail(t, wo.number));
    expect(full.log.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(full.log.map((e) => (e.kind === 'transition' ? `${e.kind}:${String(e.data['to'])}` : e.kind))).toEqual([
      'created',
      'transition:triaged',
      'transition:assigned',
      'transition:en_route',
      'transition:on_site',
      'part_added',
      'labour_added',
      'warranty_decided',
      'transition:resolved',
      'transition:accepted',
      'survey_recorded',
      'transition:closed',
      'follow_up_scheduled',
    ]);
    expect(full.log[3]).toMatchObject({ actor: { role: 'technician', technicianId: technicians.ana } });

    const charges = await expectStatus(
      t.request('GET', `/api/work-orders/${wo.id}/charges`, { token: tokens.north }),
      200,
    );
    expect(charges).toMatchObject({
      currency: 'EUR',
      coverage: 'covered',
      partsTotalMinor: 12_475,
      labourTotalMinor: 12_000,
      totalMinor: 24_475,
      coveredMinor: 24_475,
      billableMinor: 0,
    });

    // Every change was published, inside its transaction, visible to the customer and the technician.
    const types = t.events.events.filter((e) => e.subject.id === wo.id).map((e) => e.type);
    expect(types).toEqual([
      'work_order.opened',
      'work_order.transitioned',
      'work_order.transitioned',
      'work_order.transitioned',
      'work_order.transitioned',
      'work_order.part_added',
      'work_order.labour_added',
      'work_order.warranty_decided',
      'work_order.transitioned',
      'work_order.transitioned',
      'work_order.survey_recorded',
      'work_order.transitioned',
      'work_order.follow_up_scheduled',
    ]);
    expect(t.events.withoutTransaction).toEqual([]);
    expect(t.events.ofType('work_order.part_added')[0]).toMatchObject({
      customerId: customers.north,
      technicianId: technicians.ana,
    });
    expect(assets.tank).toBe(full.assetId);
  });

  it('sends a rejected repair to rework, which counts against first-time fix', async () => {
    const { tokens, technicians } = t.fleet;
    let wo = await dispatchedOnSite(t, await openWorkOrder(t), technicians.ana, tokens.ana);
    wo = await move(t, wo, { to: 'resolved', resolution: { summary: 'patched' } }, tokens.ana);
    wo = await expectStatus(
      t.request<WorkOrderView>('POST', `/api/work-orders/${wo.id}/acceptance`, {
        token: tokens.north,
        body: { verdict: 'rejected', version: wo.version, reason: 'blisters still visible at the weld' },
      }),
      200,
    );
    expect(wo).toMatchObject({
      status: 'rejected',
      rejectionCount: 1,
      lastRejection: { reason: 'blisters still visible at the weld' },
    });
    expect(wo.allowedTransitions).toEqual(['assigned', 'en_route', 'on_site', 'cancelled']);
    wo = await move(t, wo, { to: 'on_site' }, tokens.ana);
    wo = await move(t, wo, { to: 'resolved', resolution: { summary: 'weld seam recoated' } }, tokens.ana);
    wo = await move(
      t,
      wo,
      { to: 'accepted', acceptance: { signedBy: 'Ingrid Berg', signatureRef: 'esign-4712' } },
      tokens.north,
    );
    expect(wo).toMatchObject({ status: 'accepted', rejectionCount: 1, onSiteArrivals: 2 });

    const kpis = await expectStatus(
      t.request<{ overall: { firstTimeFix: { numerator: number; denominator: number } } }>(
        'GET',
        `/api/kpis?from=2026-03-01&to=2026-03-03`,
      ),
      200,
    );
    // The first test's work order was fixed first time; this one was not.
    expect(kpis.overall.firstTimeFix).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
  });

  it('lets a technician act only on its own work orders (403)', async () => {
    const { tokens, technicians } = t.fleet;
    let wo = await openWorkOrder(t);
    wo = await move(t, wo, { to: 'triaged' });
    wo = await move(t, wo, { to: 'assigned', technicianId: technicians.ana });
    for (const [method, path, body] of [
      ['POST', `/api/work-orders/${wo.id}/transitions`, { to: 'en_route', version: wo.version }],
      [
        'POST',
        `/api/work-orders/${wo.id}/parts`,
        { partNumber: 'X', batch: 'B', supplier: 'S', origin: 'genuine', quantity: 1, unitPriceMinor: 1 },
      ],
      ['POST', `/api/work-orders/${wo.id}/warranty`, {}],
    ] as const) {
      const res = await t.request(method, path, { token: tokens.ben, body });
      expect(res.status, path).toBe(403);
      expect(ApiErrorSchema.parse(res.body).message).toMatch(/not assigned to this technician/);
    }
    // A technician may not assign itself either (the planner dispatches).
    const self = await t.request('POST', `/api/work-orders/${wo.id}/transitions`, {
      token: tokens.ben,
      body: { to: 'assigned', version: wo.version, technicianId: technicians.ben },
    });
    expect(self.status).toBe(403);
    // But it may read it.
    expect((await t.request('GET', `/api/work-orders/${wo.id}`, { token: tokens.ben })).status).toBe(200);
    expect((await detail(t, wo.id)).version).toBe(wo.version);
  });

  it('shows a customer only its own work orders (404 for the others)', async () => {
    const { tokens, assets } = t.fleet;
    const south = await openWorkOrder(t, { assetId: assets.bridge, title: 'Bridge bearing corrosion' });
    const north = await openWorkOrder(t);
    expect((await t.request('GET', `/api/work-orders/${south.id}`, { token: tokens.north })).status).toBe(404);
    expect((await t.request('GET', `/api/work-orders/${south.number}`, { token: tokens.north })).status).toBe(404);
    const moveOther = await t.request('POST', `/api/work-orders/${south.id}/transitions`, {
      token: tokens.north,
      body: { to: 'cancelled', version: 1, reason: 'customer_withdrew' },
    });
    expect(moveOther.status).toBe(404);
    expect((await t.request('GET', `/api/work-orders/${south.id}/charges`, { token: tokens.north })).status).toBe(404);
    const list = await expectStatus(
      t.request<WorkOrderView[]>('GET', '/api/work-orders?limit=1000', { token: tokens.north }),
      200,
    );
    expect(list.map((w) => w.id)).toContain(north.id);
    expect(list.map((w) => w.id)).not.toContain(south.id);
    expect(new Set(list.map((w) => w.customerId))).toEqual(new Set([t.fleet.customers.north]));
    const asked = await t.request<unknown[]>('GET', `/api/work-orders?customerId=${t.fleet.customers.south}`, {
      token: tokens.north,
    });
    expect(asked.body).toEqual([]);
    // Customers may not open work orders directly (they report faults: POST /api/reports).
    expect(
      (
        await t.request('POST', '/api/work-orders', {
          token: tokens.north,
          body: { assetId: assets.tank, title: 'x', priority: 'P3' },
        })
      ).status,
    ).toBe(403);
  });

  it('answers one 200 and one 409 to two transitions made on the same version', async () => {
    const wo = await openWorkOrder(t);
    const [a, b] = await Promise.all([
      t.request('POST', `/api/work-orders/${wo.id}/transitions`, { body: { to: 'triaged', version: 1 } }),
      t.request('POST', `/api/work-orders/${wo.id}/transitions`, {
        body: { to: 'cancelled', version: 1, reason: 'duplicate' },
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body).toMatchObject({ statusCode: 409, field: 'version', currentVersion: 2 });
    const full = await detail(t, wo.id);
    expect(full.version).toBe(2);
    expect(full.log.map((e) => e.sequence)).toEqual([1, 2]);
  });

  it('answers 409 naming the allowed targets for an illegal move, and 409 for a stale version', async () => {
    const wo = await openWorkOrder(t);
    const illegal = await t.request('POST', `/api/work-orders/${wo.id}/transitions`, {
      body: { to: 'resolved', version: 1, resolution: { summary: 'x' } },
    });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({ from: 'new', to: 'resolved', allowed: ['triaged', 'on_hold', 'cancelled'] });
    expect(ApiErrorSchema.parse(illegal.body).message).toMatch(/allowed: triaged, on_hold, cancelled/);
    const stale = await t.request('POST', `/api/work-orders/${wo.id}/transitions`, {
      body: { to: 'triaged', version: 7 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ field: 'version', currentVersion: 1 });
  });

  it('answers 400 naming the field', async () => {
    const wo = await move(t, await openWorkOrder(t), { to: 'triaged' });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ to: 'assigned', version: wo.version }, 'technicianId'],
      [{ to: 'assigned', version: wo.version, technicianId: '00000000-0000-4000-8000-000000000000' }, 'technicianId'],
      [{ to: 'flying', version: wo.version }, 'to'],
      [{ to: 'on_hold', version: wo.version, reason: 'other' }, 'note'],
      [{ to: 'triaged' }, 'version'],
    ];
    for (const [body, field] of cases) {
      const res = await t.request('POST', `/api/work-orders/${wo.id}/transitions`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body, JSON.stringify(body)).toMatchObject({ statusCode: 400, field });
    }
    const badCreate = await t.request('POST', '/api/work-orders', {
      body: { assetId: '00000000-0000-4000-8000-000000000000', title: 'x', priority: 'P3' },
    });
    expect(badCreate).toMatchObject({ status: 400, body: { field: 'assetId' } });
    const wrongDevice = await t.request('POST', '/api/work-orders', {
      body: { assetId: t.fleet.assets.tank, deviceId: t.fleet.devices.bridgeProbe, title: 'x', priority: 'P3' },
    });
    expect(wrongDevice).toMatchObject({ status: 400, body: { field: 'deviceId' } });
    expect(
      (
        await t.request('POST', '/api/work-orders', {
          body: { assetId: t.fleet.assets.tank, title: 'x', priority: 'P9' },
        })
      ).body,
    ).toMatchObject({ field: 'priority' });
  });

  it('finds work orders by number and filters the list', async () => {
    const { assets, technicians } = t.fleet;
    const p1 = await openWorkOrder(t, {
      assetId: assets.pipeline,
      priority: 'P1',
      title: 'CP potential lost',
      faultCategory: 'cathodic_protection',
    });
    expect((await detail(t, p1.number)).id).toBe(p1.id);
    expect((await t.request('GET', '/api/work-orders/WO-2026-999999')).status).toBe(404);
    expect((await t.request('GET', '/api/work-orders/not-a-ref')).status).toBe(404);

    const byAsset = await expectStatus(
      t.request<WorkOrderView[]>('GET', `/api/work-orders?assetId=${assets.pipeline}`),
      200,
    );
    expect(byAsset.map((w) => w.id)).toEqual([p1.id]);
    const byPriority = await expectStatus(
      t.request<WorkOrderView[]>('GET', '/api/work-orders?priority=P1&status=new,triaged'),
      200,
    );
    expect(byPriority.map((w) => w.id)).toEqual([p1.id]);
    const byTechnician = await expectStatus(
      t.request<WorkOrderView[]>(`GET`, `/api/work-orders?technicianId=${technicians.ana}&limit=1000`),
      200,
    );
    expect(byTechnician.length).toBeGreaterThan(0);
    expect(byTechnician.every((w) => w.technicianId === technicians.ana)).toBe(true);

    // P1 is due on site within 2 h: past that, it is breached.
    t.clock.advance(3 * MS_PER_HOUR);
    const breached = await expectStatus(
      t.request<WorkOrderView[]>('GET', '/api/work-orders?breached=true&limit=1000'),
      200,
    );
    expect(breached.map((w) => w.id)).toContain(p1.id);
    expect(breached.every((w) => w.sla.breached)).toBe(true);
    const fine = await expectStatus(
      t.request<WorkOrderView[]>('GET', '/api/work-orders?breached=false&limit=1000'),
      200,
    );
    expect(fine.every((w) => !w.sla.breached)).toBe(true);
    const created = p1.createdAt;
    const window = await expectStatus(
      t.request<WorkOrderView[]>(
        'GET',
        `/api/work-orders?from=${encodeURIComponent(created)}&to=${encodeURIComponent(new Date(Date.parse(created) + 1).toISOString())}`,
      ),
      200,
    );
    expect(window.map((w) => w.id)).toContain(p1.id);
    const bad = await t.request('GET', '/api/work-orders?status=new,flying');
    expect(bad).toMatchObject({ status: 400, body: { field: 'status.1' } });
  });
});
