import type { WorkOrderDetail, WorkOrderView } from '../work-orders/work-order.api.js';
import type { ServiceDeskTestApp } from './service-desk-test-app.js';

/** HTTP steps shared by the medium tests; each throws with the answer when the status is not the expected one. */
export async function expectStatus<T>(promise: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const res = await promise;
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export function openWorkOrder(
  t: ServiceDeskTestApp,
  body: Record<string, unknown> = {},
  token = t.fleet.tokens.planner,
): Promise<WorkOrderView> {
  return expectStatus(
    t.request<WorkOrderView>('POST', '/api/work-orders', {
      token,
      body: {
        assetId: t.fleet.assets.tank,
        title: 'Coating blistering on the roof',
        faultCategory: 'coating_damage',
        priority: 'P2',
        ...body,
      },
    }),
    201,
  );
}

export function move(
  t: ServiceDeskTestApp,
  wo: { id: string; version: number },
  body: Record<string, unknown>,
  token = t.fleet.tokens.planner,
): Promise<WorkOrderView> {
  return expectStatus(
    t.request<WorkOrderView>('POST', `/api/work-orders/${wo.id}/transitions`, {
      token,
      body: { version: wo.version, ...body },
    }),
    200,
  );
}

export function detail(t: ServiceDeskTestApp, ref: string, token = t.fleet.tokens.planner): Promise<WorkOrderDetail> {
  return expectStatus(t.request<WorkOrderDetail>('GET', `/api/work-orders/${ref}`, { token }), 200);
}

/** Planner triages and assigns to `technicianId`; the technician drives there and arrives. */
export async function dispatchedOnSite(
  t: ServiceDeskTestApp,
  wo: WorkOrderView,
  technicianId: string,
  technicianToken: string,
): Promise<WorkOrderView> {
  let current = await move(t, wo, { to: 'triaged' });
  current = await move(t, current, { to: 'assigned', technicianId });
  current = await move(t, current, { to: 'en_route' }, technicianToken);
  return move(t, current, { to: 'on_site' }, technicianToken);
}
