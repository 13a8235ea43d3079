import type { PublicEventInput } from '../publishing/event-publisher.js';
import type { EventsTestApp } from './events-test-app.js';

export async function createCustomer(t: EventsTestApp, name: string): Promise<string> {
  const res = await t.request<{ id: string }>('POST', '/api/customers', { body: { name } });
  if (res.status !== 201) throw new Error(`create customer: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

export async function createTechnician(t: EventsTestApp, name: string): Promise<string> {
  const res = await t.request<{ id: string }>('POST', '/api/technicians', { body: { name, level: 'senior' } });
  if (res.status !== 201) throw new Error(`create technician: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** Issues an API token for a role (admin call). */
export async function issueToken(t: EventsTestApp, body: Record<string, unknown>): Promise<string> {
  const res = await t.request<{ token: string }>('POST', '/api/tokens', { body });
  if (res.status !== 201) throw new Error(`issue token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

let counter = 0;

/** A work-order-like event; override what the test is about. */
export function sampleEvent(overrides: Partial<PublicEventInput> = {}): PublicEventInput {
  counter++;
  return {
    type: 'work_order.opened',
    subject: { kind: 'work_order', id: `wo-${counter}` },
    customerId: null,
    technicianId: null,
    data: { number: `WO-2026-${String(counter).padStart(6, '0')}`, priority: 'P2' },
    ...overrides,
  };
}
