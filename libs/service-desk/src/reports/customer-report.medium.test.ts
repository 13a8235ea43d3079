import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertWorkOrders } from '../automation/alert-work-orders.js';
import type { AlertWorkOrderRequest } from '../automation/alert-work-order.schema.js';
import { MS_PER_HOUR, MS_PER_MINUTE } from '../domain/index.js';
import { alertRequest } from '../testing/alert-requests.js';
import { startServiceDeskApp, TEST_T0, type ServiceDeskTestApp } from '../testing/service-desk-test-app.js';
import { detail, expectStatus, move } from '../testing/work-order-steps.js';
import type { WorkOrderView } from '../work-orders/work-order.api.js';
import type { CustomerReportResult, CustomerReportView } from './customer-report.api.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('detector work orders and customer self-service', () => {
  let t: ServiceDeskTestApp;
  let alerts: AlertWorkOrders;
  const alert = (overrides: Partial<AlertWorkOrderRequest> & { alertId?: string } = {}): AlertWorkOrderRequest =>
    alertRequest(t.fleet.devices.tankGauge, overrides);

  beforeAll(async () => {
    t = await startServiceDeskApp();
    alerts = t.app.get(AlertWorkOrders);
  });
  afterAll(async () => t?.close());

  it('opens one detector work order per asset and fault kind, with its evidence, priority from severity', async () => {
    t.clock.set(TEST_T0);
    const first = await alerts.openWorkOrderFromAlert(alert());
    expect(first.outcome).toBe('opened');
    expect(first.workOrder).toMatchObject({
      source: 'detector',
      priority: 'P1',
      assetId: t.fleet.assets.tank,
      customerId: t.fleet.customers.north,
      deviceId: t.fleet.devices.tankGauge,
      detectedAt: iso(TEST_T0 - 2 * MS_PER_HOUR),
      customerReportedAt: null,
      evidence: {
        alertId: 'alert-1',
        eventTime: iso(TEST_T0 - 2 * MS_PER_HOUR),
        finding: 'DFT 182 um below 80 % of nominal 250 um',
      },
    });

    // The same alert delivered again changes nothing.
    const again = await alerts.openWorkOrderFromAlert(alert());
    expect(again).toMatchObject({ outcome: 'already_linked', workOrder: { id: first.workOrder.id, version: 1 } });

    // Another alert on the same asset and fault joins the open work order.
    t.clock.advance(30 * MS_PER_MINUTE);
    const second = await alerts.openWorkOrderFromAlert(alert({ alertId: 'alert-2', severity: 'medium' }));
    expect(second).toMatchObject({
      outcome: 'linked',
      workOrder: { id: first.workOrder.id, version: 2, priority: 'P1' },
    });
    const log = (await detail(t, first.workOrder.id)).log;
    expect(log.at(-1)).toMatchObject({ kind: 'alert_linked', data: { alertId: 'alert-2', severity: 'medium' } });

    // A different fault on the same asset is a work order of its own.
    const other = await alerts.openWorkOrderFromAlert(
      alert({ alertId: 'alert-3', faultCategory: 'sensor_fault', severity: 'low' }),
    );
    expect(other).toMatchObject({ outcome: 'opened', workOrder: { priority: 'P4', faultCategory: 'sensor_fault' } });
    expect(other.workOrder.id).not.toBe(first.workOrder.id);
    expect(t.events.ofType('work_order.opened').filter((e) => e.data['source'] === 'detector')).toHaveLength(2);
  });

  it('links a customer report to the already open detector work order and records that the platform was first', async () => {
    const { tokens, assets } = t.fleet;
    t.clock.set(TEST_T0 + 5 * MS_PER_HOUR);
    const open = await expectStatus(
      t.request<WorkOrderView[]>('GET', `/api/work-orders?assetId=${assets.tank}&source=detector&status=new`),
      200,
    );
    const detectorWo = open.find((w) => w.faultCategory === 'coating_damage')!;
    const report = await expectStatus(
      t.request<CustomerReportResult>('POST', '/api/reports', {
        token: tokens.north,
        body: { assetId: assets.tank, title: 'Paint peeling on the tank roof', faultCategory: 'coating_damage' },
      }),
      201,
    );
    expect(report).toMatchObject({
      outcome: 'linked',
      platformWasFirst: true,
      workOrder: {
        id: detectorWo.id,
        customerReportedAt: iso(TEST_T0 + 5 * MS_PER_HOUR),
        version: detectorWo.version + 1,
      },
    });
    const log = (await detail(t, detectorWo.id, tokens.north)).log;
    expect(log.at(-1)).toMatchObject({ kind: 'customer_report_linked', data: { detectionWasFirst: true } });
    expect(t.events.ofType('work_order.customer_report_linked').at(-1)).toMatchObject({
      subject: { id: detectorWo.id },
      data: { detectionWasFirst: true },
    });

    // A second report of the same fault lands on the same work order and changes nothing more.
    const second = await expectStatus(
      t.request<CustomerReportResult>('POST', '/api/reports', {
        token: tokens.north,
        body: { assetId: assets.tank, title: 'Still peeling' },
      }),
      201,
    );
    expect(second).toMatchObject({
      outcome: 'linked',
      platformWasFirst: true,
      workOrder: { id: detectorWo.id, version: report.workOrder.version },
    });

    const mine = await expectStatus(
      t.request<CustomerReportView[]>('GET', '/api/reports', { token: tokens.north }),
      200,
    );
    expect(mine.map((r) => [r.outcome, r.platformWasFirst, r.workOrderId])).toEqual([
      ['linked', true, detectorWo.id],
      ['linked', true, detectorWo.id],
    ]);
    expect(await expectStatus(t.request('GET', '/api/reports', { token: tokens.south }), 200)).toEqual([]);

    // The proactive-rate KPI counts it: detected before the customer reported.
    const kpis = await expectStatus(
      t.request<{ overall: { detectionLeadTime: { count: number; meanMs: number } } }>(
        'GET',
        '/api/kpis?from=2026-03-01&to=2026-03-03',
      ),
      200,
    );
    // Detected 2 h before T0, reported 5 h after T0: 7 h of lead.
    expect(kpis.overall.detectionLeadTime).toMatchObject({ count: 1, meanMs: 7 * MS_PER_HOUR });
  });

  it('opens a customer_report work order when no work order is open for that fault', async () => {
    const { tokens, assets } = t.fleet;
    const report = await expectStatus(
      t.request<CustomerReportResult>('POST', '/api/reports', {
        token: tokens.south,
        body: {
          assetId: assets.bridge,
          title: 'Rust streaks under the deck',
          faultCategory: 'corrosion',
          priority: 'P2',
        },
      }),
      201,
    );
    expect(report).toMatchObject({
      outcome: 'opened',
      platformWasFirst: false,
      workOrder: {
        source: 'customer_report',
        customerId: t.fleet.customers.south,
        priority: 'P2',
        customerReportedAt: iso(t.clock.now()),
      },
    });
    // Not one of the caller's assets: as unknown as a missing one.
    const foreign = await t.request('POST', '/api/reports', {
      token: tokens.south,
      body: { assetId: assets.tank, title: 'Not mine' },
    });
    expect(foreign).toMatchObject({ status: 400, body: { field: 'assetId' } });
    expect(
      (await t.request('POST', '/api/reports', { token: tokens.ana, body: { assetId: assets.tank, title: 'x' } }))
        .status,
    ).toBe(403);
  });

  it('reports a work order cancelled as a false alarm back to detection with the alert id', async () => {
    const opened = await alerts.openWorkOrderFromAlert(
      alert({ alertId: 'alert-9', faultCategory: 'cathodic_protection', severity: 'high' }),
    );
    const cancelled = await move(t, opened.workOrder, {
      to: 'cancelled',
      reason: 'false_alarm',
      note: 'probe cable was loose',
    });
    expect(cancelled).toMatchObject({ status: 'cancelled', cancellation: { reason: 'false_alarm' } });
    expect(t.events.ofType('work_order.false_alarm').at(-1)).toMatchObject({
      subject: { kind: 'work_order', id: opened.workOrder.id },
      data: { alertId: 'alert-9', deviceId: t.fleet.devices.tankGauge, note: 'probe cable was loose' },
    });
    // A new alert of that kind afterwards opens a fresh work order.
    const next = await alerts.openWorkOrderFromAlert(
      alert({ alertId: 'alert-10', faultCategory: 'cathodic_protection' }),
    );
    expect(next.outcome).toBe('opened');
  });
});
