import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiErrorSchema,
  WebhookCreatedSchema,
  type Webhook,
  type WebhookCreated,
  WebhookDeliverySchema,
  WebhookSchema,
} from '#contracts';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { createCustomer, issueToken, sampleEvent } from '../testing/fixtures.js';
import { type EventsTestApp, startEventsTestApp } from '../testing/events-test-app.js';

describe('webhooks API', () => {
  let db: TestDatabase;
  let t: EventsTestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    // No background dispatcher: these tests look at registrations and queued deliveries only.
    t = await startEventsTestApp({ connection: db.connection, options: { dispatcher: { enabled: false } } });
  });
  afterAll(async () => {
    await t?.close();
    await db?.dispose();
  });

  it('creates a webhook with a generated secret shown once, then reads, patches and deletes it', async () => {
    const created = await t.request<WebhookCreated>('POST', '/api/webhooks', {
      body: { url: 'https://hooks.example.com/coatwatch' },
    });
    expect(created.status).toBe(201);
    const hook = WebhookCreatedSchema.parse(created.body);
    expect(hook).toMatchObject({ url: 'https://hooks.example.com/coatwatch', types: ['*'], active: true });
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);

    const { secret: _secret, ...visible } = hook;
    const read = await t.request<Webhook>('GET', `/api/webhooks/${hook.id}`);
    expect(read).toEqual({ status: 200, body: visible });
    expect(JSON.stringify(read.body)).not.toContain(hook.secret);
    const list = await t.request<Webhook[]>('GET', '/api/webhooks');
    expect(list.body.map((w) => WebhookSchema.parse(w).id)).toContain(hook.id);
    expect(JSON.stringify(list.body)).not.toContain(hook.secret);

    const patched = await t.request<Webhook>('PATCH', `/api/webhooks/${hook.id}`, {
      body: { active: false, types: ['work_order.*', 'alert.raised'] },
    });
    expect(patched).toMatchObject({ status: 200, body: { active: false, types: ['work_order.*', 'alert.raised'] } });
    expect(patched.body.url).toBe(hook.url);

    expect((await t.request('DELETE', `/api/webhooks/${hook.id}`)).status).toBe(204);
    expect((await t.request('GET', `/api/webhooks/${hook.id}`)).status).toBe(404);
    expect((await t.request('DELETE', `/api/webhooks/${hook.id}`)).status).toBe(404);
    expect((await t.request('GET', '/api/webhooks/not-a-uuid')).status).toBe(404);
  });

  it('keeps a secret given by the caller', async () => {
    const created = await t.request<WebhookCreated>('POST', '/api/webhooks', {
      body: { url: 'http://127.0.0.1:9/h', secret: 'a-secret-of-my-own-choosing', types: ['alert.*'] },
    });
    expect(created.body).toMatchObject({ secret: 'a-secret-of-my-own-choosing', types: ['alert.*'] });
  });

  it.each([
    [{ url: 'ftp://files.example.com/x' }, 'url'],
    [{ url: 'javascript:alert(1)' }, 'url'],
    [{ url: 'not a url' }, 'url'],
    [{ url: 'https://user:pass@hooks.example.com/x' }, 'url'],
    [{}, 'url'],
    [{ url: 'https://x.example.com', types: ['work_order.(opened)'] }, 'types.0'],
    [{ url: 'https://x.example.com', types: [] }, 'types'],
    [{ url: 'https://x.example.com', secret: 'short' }, 'secret'],
    [{ url: 'https://x.example.com', extra: 1 }, 'extra'],
  ])('refuses an invalid body, naming the field (%#)', async (body, field) => {
    const res = await t.request('POST', '/api/webhooks', { body });
    expect(res.status).toBe(400);
    expect(ApiErrorSchema.parse(res.body)).toMatchObject({ field });
  });

  it('is for planners and admins only', async () => {
    const customer = await createCustomer(t, 'Webhook Customer');
    const customerToken = await issueToken(t, { role: 'customer', customerId: customer });
    const plannerToken = await issueToken(t, { role: 'planner' });
    expect((await t.request('GET', '/api/webhooks', { token: customerToken })).status).toBe(403);
    expect(
      (await t.request('POST', '/api/webhooks', { token: customerToken, body: { url: 'https://x.example.com' } }))
        .status,
    ).toBe(403);
    expect((await t.request('GET', '/api/webhooks', { token: plannerToken })).status).toBe(200);
    expect((await t.request('GET', '/api/webhooks', { token: null })).status).toBe(401);
  });

  it('queues one delivery per active webhook whose filters match, listed newest first', async () => {
    const all = (await t.request<WebhookCreated>('POST', '/api/webhooks', { body: { url: 'https://all.example.com' } }))
      .body;
    const alerts = (
      await t.request<WebhookCreated>('POST', '/api/webhooks', {
        body: { url: 'https://alerts.example.com', types: ['alert.*'] },
      })
    ).body;
    const paused = (
      await t.request<WebhookCreated>('POST', '/api/webhooks', {
        body: { url: 'https://paused.example.com', active: false },
      })
    ).body;

    const opened = await t.publisher.publish(sampleEvent({ type: 'work_order.opened' }));
    t.clock.advance(1000);
    const raised = await t.publisher.publish(sampleEvent({ type: 'alert.raised' }));

    const ofAll = await t.request<unknown[]>('GET', `/api/webhooks/${all.id}/deliveries`);
    expect(ofAll.status).toBe(200);
    const deliveries = ofAll.body.map((d) => WebhookDeliverySchema.parse(d));
    expect(deliveries.map((d) => d.eventId)).toEqual([raised.id, opened.id]);
    expect(deliveries[0]).toMatchObject({
      webhookId: all.id,
      eventType: 'alert.raised',
      status: 'pending',
      attempts: 0,
      lastStatusCode: null,
      lastError: null,
      nextAttemptAt: '2026-11-22T08:00:01.000Z',
      deliveredAt: null,
    });
    const ofAlerts = await t.request<{ eventId: string }[]>('GET', `/api/webhooks/${alerts.id}/deliveries`);
    expect(ofAlerts.body.map((d) => d.eventId)).toEqual([raised.id]);
    const ofPaused = await t.request<unknown[]>('GET', `/api/webhooks/${paused.id}/deliveries`);
    expect(ofPaused.body).toEqual([]);

    const limited = await t.request<unknown[]>('GET', `/api/webhooks/${all.id}/deliveries?limit=1&status=pending`);
    expect(limited.body).toHaveLength(1);
    const none = await t.request<unknown[]>('GET', `/api/webhooks/${all.id}/deliveries?status=delivered`);
    expect(none.body).toEqual([]);
    const bad = await t.request('GET', `/api/webhooks/${all.id}/deliveries?status=lost`);
    expect(bad).toMatchObject({ status: 400, body: { field: 'status' } });
  });
});
