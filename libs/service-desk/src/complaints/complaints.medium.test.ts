import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../domain/index.js';
import { startServiceDeskApp, TEST_T0, type ServiceDeskTestApp } from '../testing/service-desk-test-app.js';
import { detail, expectStatus, openWorkOrder } from '../testing/work-order-steps.js';
import type { ComplaintView } from './complaint.api.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('complaints over HTTP', () => {
  let t: ServiceDeskTestApp;
  beforeAll(async () => {
    t = await startServiceDeskApp();
  });
  afterAll(async () => t?.close());

  it('is filed by the customer, investigated by a planner within 24 h, closed with an outcome and rated', async () => {
    const { tokens, customers } = t.fleet;
    t.clock.set(TEST_T0);
    const wo = await openWorkOrder(t);
    const filed = await expectStatus(
      t.request<ComplaintView>('POST', '/api/complaints', {
        token: tokens.north,
        body: { subject: 'Technician arrived two hours late', workOrderId: wo.id },
      }),
      201,
    );
    expect(filed).toMatchObject({
      customerId: customers.north,
      workOrderId: wo.id,
      openedAt: iso(TEST_T0),
      investigationDueAt: iso(TEST_T0 + 24 * MS_PER_HOUR),
      overdue: false,
      investigatedAt: null,
    });
    // The work order it is about records it in its log.
    expect((await detail(t, wo.id)).log.at(-1)).toMatchObject({
      kind: 'complaint_filed',
      data: { complaintId: filed.id },
    });
    expect(t.events.ofType('complaint.filed').at(-1)).toMatchObject({
      customerId: customers.north,
      subject: { id: filed.id },
    });

    // Rated before it is closed: refused.
    const early = await t.request('POST', `/api/complaints/${filed.id}/rating`, {
      token: tokens.north,
      body: { handlingScore: 4 },
    });
    expect(early.status).toBe(409);
    // Closed before investigation: refused.
    expect((await t.request('POST', `/api/complaints/${filed.id}/close`)).status).toBe(409);

    t.clock.advance(6 * MS_PER_HOUR);
    const investigated = await expectStatus(
      t.request<ComplaintView>('POST', `/api/complaints/${filed.id}/investigation`, {
        body: { findings: 'road closure on the E18; dispatch did not warn the customer', outcome: 'partially_upheld' },
      }),
      200,
    );
    expect(investigated).toMatchObject({ investigatedAt: iso(TEST_T0 + 6 * MS_PER_HOUR), outcome: 'partially_upheld' });
    expect(
      (
        await t.request('POST', `/api/complaints/${filed.id}/investigation`, {
          body: { findings: 'x', outcome: 'upheld' },
        })
      ).status,
    ).toBe(409);
    await expectStatus(t.request('POST', `/api/complaints/${filed.id}/close`), 200);
    const rated = await expectStatus(
      t.request<ComplaintView>('POST', `/api/complaints/${filed.id}/rating`, {
        token: tokens.north,
        body: { handlingScore: 4 },
      }),
      200,
    );
    expect(rated).toMatchObject({ handlingScore: 4, closedAt: iso(TEST_T0 + 6 * MS_PER_HOUR) });
    const bad = await t.request('POST', `/api/complaints/${filed.id}/rating`, {
      token: tokens.north,
      body: { handlingScore: 6 },
    });
    expect(bad).toMatchObject({ status: 400, body: { field: 'handlingScore' } });
    expect(t.events.ofType('complaint.rated')).toHaveLength(1);

    const kpis = await expectStatus(
      t.request<{ overall: { complaintsWithin24h: unknown } }>('GET', '/api/kpis?from=2026-03-01&to=2026-03-03'),
      200,
    );
    expect(kpis.overall.complaintsWithin24h).toEqual({ numerator: 1, denominator: 1, rate: 1 });
  });

  it('shows a customer only its own complaints and lets it complain only about its own work orders', async () => {
    const { tokens, customers, assets } = t.fleet;
    const southWo = await openWorkOrder(t, { assetId: assets.bridge });
    const foreign = await t.request('POST', '/api/complaints', {
      token: tokens.north,
      body: { subject: 'about someone else', workOrderId: southWo.id },
    });
    expect(foreign).toMatchObject({ status: 400, body: { field: 'workOrderId' } });
    const south = await expectStatus(
      t.request<ComplaintView>('POST', '/api/complaints', {
        token: tokens.south,
        body: { subject: 'Invoice unclear' },
      }),
      201,
    );
    expect((await t.request('GET', `/api/complaints/${south.id}`, { token: tokens.north })).status).toBe(404);
    const mine = await expectStatus(t.request<ComplaintView[]>('GET', '/api/complaints', { token: tokens.north }), 200);
    expect(mine.every((c) => c.customerId === customers.north)).toBe(true);
    const all = await expectStatus(t.request<ComplaintView[]>('GET', '/api/complaints?open=true'), 200);
    expect(all.map((c) => c.id)).toContain(south.id);
    // Staff file on a customer's behalf and must say which.
    expect(await t.request('POST', '/api/complaints', { body: { subject: 'phoned in' } })).toMatchObject({
      status: 400,
      body: { field: 'customerId' },
    });
    await expectStatus(
      t.request('POST', '/api/complaints', { body: { subject: 'phoned in', customerId: customers.south } }),
      201,
    );
    expect(
      (
        await t.request('POST', `/api/complaints/${south.id}/investigation`, {
          token: tokens.south,
          body: { findings: 'x', outcome: 'upheld' },
        })
      ).status,
    ).toBe(403);
    expect((await t.request('GET', '/api/complaints', { token: tokens.ana })).status).toBe(403);
  });
});
