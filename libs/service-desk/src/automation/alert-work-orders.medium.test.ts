import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { alertRequest } from '../testing/alert-requests.js';
import { startServiceDeskApp, TEST_T0, type ServiceDeskTestApp } from '../testing/service-desk-test-app.js';
import { WorkOrderRepository } from '../work-orders/work-order.repository.js';
import { AlertWorkOrders } from './alert-work-orders.js';
import type { AlertWorkOrderRequest } from './alert-work-order.schema.js';

/**
 * An alert is looked up once per request (before the asset lock). Two deliveries of one alert at once both
 * find it unhandled; the later one's link then hits the alert id's primary key and is answered as a
 * re-delivery. With PGlite transactions never interleave, so the race is staged: the second request's lookup
 * answers as if the first had not committed yet.
 */
describe('alert work orders: the same alert twice at once', () => {
  let t: ServiceDeskTestApp;
  let alerts: AlertWorkOrders;
  let workOrders: WorkOrderRepository;
  const request = (alertId: string): AlertWorkOrderRequest =>
    alertRequest(t.fleet.devices.tankGauge, { alertId, severity: 'high' });

  beforeAll(async () => {
    t = await startServiceDeskApp();
    t.clock.set(TEST_T0);
    alerts = t.app.get(AlertWorkOrders);
    workOrders = t.app.get(WorkOrderRepository);
  });
  afterAll(async () => t?.close());

  it('answers the later of two racing deliveries already_linked, and changes nothing', async () => {
    const first = await alerts.openWorkOrderFromAlert(request('race-1'));
    expect(first.outcome).toBe('opened');
    // The second delivery looked before the first committed.
    const lookup = vi.spyOn(workOrders, 'workOrderOfAlert').mockResolvedValueOnce(undefined);
    const second = await alerts.openWorkOrderFromAlert(request('race-1'));
    expect(lookup).toHaveBeenCalledTimes(2);
    lookup.mockRestore();
    expect(second).toMatchObject({ outcome: 'already_linked', workOrder: { id: first.workOrder.id, version: 1 } });
  });

  it('opens one work order for two deliveries of one alert sent together', async () => {
    const outcomes = await Promise.all([
      alerts.openWorkOrderFromAlert(request('together-1')),
      alerts.openWorkOrderFromAlert(request('together-1')),
    ]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['already_linked', 'linked']);
    expect(new Set(outcomes.map((o) => o.workOrder.id)).size).toBe(1);
  });
});
