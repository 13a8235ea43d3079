import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { type WebhookCreated, type WebhookDelivery, PublicEventSchema } from '#contracts';
import { MetricsRegistry } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { DEFAULT_RETRY_POLICY, maxDelayAfter } from '../domain/retry-policy.js';
import { verifySignature } from '../domain/signature.js';
import { sampleEvent } from '../testing/fixtures.js';
import { type EventsTestApp, startEventsTestApp } from '../testing/events-test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

describe('webhook outbox', () => {
  let db: TestDatabase;
  let t: EventsTestApp;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // No jitter draw: the retry times are exactly the nominal schedule.
    t = await startEventsTestApp({ connection: db.connection, options: { random: () => 0.5 } });
  });
  afterAll(async () => {
    await t?.close();
    for (const r of receivers) await r.stop();
    await db?.dispose();
  });

  /** A receiver and a webhook of its own, taking only `types` (each test uses its own event types). */
  async function hook(types: string[]): Promise<{ receiver: WebhookReceiver; webhook: WebhookCreated }> {
    const receiver = await startWebhookReceiver();
    receivers.push(receiver);
    const res = await t.request<WebhookCreated>('POST', '/api/webhooks', { body: { url: receiver.url, types } });
    if (res.status !== 201) throw new Error(`create webhook: ${res.status}`);
    return { receiver, webhook: res.body };
  }

  const deliveriesOf = async (webhookId: string) =>
    (await t.request<WebhookDelivery[]>('GET', `/api/webhooks/${webhookId}/deliveries`)).body;

  it('POSTs a published event to the receiver, signed, and records the delivery', async () => {
    const { receiver, webhook } = await hook(['signed.*']);
    const event = await t.publisher.publish(sampleEvent({ type: 'signed.event', data: { note: 'grüße, 100 µm' } }));

    // No flush: the background dispatcher, woken by the publish, sends it.
    await receiver.waitFor(1);
    const [request] = receiver.received;
    expect(request).toMatchObject({ method: 'POST', path: '/hooks/coatwatch' });
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-coatwatch-event']).toBe('signed.event');
    expect(request!.headers['x-coatwatch-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(webhook.secret, request!.body, request!.headers['x-coatwatch-signature'] as string)).toBe(
      true,
    );
    expect(
      verifySignature('some-other-secret-value', request!.body, request!.headers['x-coatwatch-signature'] as string),
    ).toBe(false);
    expect(PublicEventSchema.parse(JSON.parse(request!.body))).toEqual(event);

    await expect.poll(async () => (await deliveriesOf(webhook.id))[0]?.status).toBe('delivered');
    const [delivery] = await deliveriesOf(webhook.id);
    expect(delivery).toMatchObject({
      id: request!.headers['x-coatwatch-delivery'],
      eventId: event.id,
      attempts: 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
      deliveredAt: new Date(t.clock.now()).toISOString(),
    });
  });

  it('delivers nothing for an event whose transaction rolled back', async () => {
    const { receiver, webhook } = await hook(['rollback.*']);
    await db.connection.db
      .transaction(async (tx) => {
        await t.publisher.publish(sampleEvent({ type: 'rollback.lost' }), tx);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    const kept = await db.connection.db.transaction((tx) =>
      t.publisher.publish(sampleEvent({ type: 'rollback.kept' }), tx),
    );
    await receiver.waitFor(1);
    await t.dispatcher.flush();
    expect(receiver.eventIds()).toEqual([kept.id]);
    expect((await deliveriesOf(webhook.id)).map((d) => d.eventId)).toEqual([kept.id]);
  });

  it('retries a failing receiver with backoff (10 s, then 30 s) and then delivers the same bytes', async () => {
    const { receiver, webhook } = await hook(['retry.*']);
    receiver.respond = (n) => (n <= 2 ? 500 : 200);
    const start = t.clock.now();
    await t.publisher.publish(sampleEvent({ type: 'retry.event' }));

    await receiver.waitFor(1);
    await expect.poll(async () => (await deliveriesOf(webhook.id))[0]?.lastStatusCode).toBe(500);
    expect((await deliveriesOf(webhook.id))[0]).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastError: 'HTTP 500: receiver says no',
      nextAttemptAt: new Date(start + 10_000).toISOString(),
    });

    t.clock.advance(9_999);
    await t.dispatcher.flush();
    expect(receiver.received).toHaveLength(1);

    t.clock.advance(1);
    await t.dispatcher.flush();
    expect(receiver.received).toHaveLength(2);
    expect((await deliveriesOf(webhook.id))[0]).toMatchObject({
      attempts: 2,
      nextAttemptAt: new Date(start + 10_000 + 30_000).toISOString(),
    });

    t.clock.advance(29_999);
    await t.dispatcher.flush();
    expect(receiver.received).toHaveLength(2);
    t.clock.advance(1);
    await t.dispatcher.flush();
    expect(receiver.received).toHaveLength(3);
    expect((await deliveriesOf(webhook.id))[0]).toMatchObject({
      status: 'delivered',
      attempts: 3,
      lastStatusCode: 200,
    });

    const [first, ...rest] = receiver.received;
    for (const r of rest) {
      expect(r.body).toBe(first!.body);
      expect(r.headers['x-coatwatch-delivery']).toBe(first!.headers['x-coatwatch-delivery']);
      expect(r.headers['x-coatwatch-signature']).toBe(first!.headers['x-coatwatch-signature']);
    }
  });

  it('gives up after the last retry (about a day): the delivery is dead', async () => {
    const { receiver, webhook } = await hook(['doomed.*']);
    receiver.respond = () => 503;
    await t.publisher.publish(sampleEvent({ type: 'doomed.event' }));
    await t.dispatcher.flush();
    for (let attempt = 1; attempt <= DEFAULT_RETRY_POLICY.delaysMs.length; attempt++) {
      t.clock.advance(maxDelayAfter(attempt, DEFAULT_RETRY_POLICY));
      await t.dispatcher.flush();
    }
    expect(receiver.received).toHaveLength(DEFAULT_RETRY_POLICY.delaysMs.length + 1);
    expect((await deliveriesOf(webhook.id))[0]).toMatchObject({
      status: 'dead',
      attempts: 11,
      lastStatusCode: 503,
      nextAttemptAt: null,
    });
    t.clock.advance(7 * 24 * 3600_000);
    await t.dispatcher.flush();
    expect(receiver.received).toHaveLength(11);

    const metrics = await t.app.get(MetricsRegistry).render();
    expect(metrics.body).toMatch(/^events_webhook_deliveries_total\{outcome="dead"\} 1$/m);
    expect(metrics.body).toMatch(/^events_webhook_deliveries_total\{outcome="retry"\} \d+$/m);
    expect(metrics.body).toMatch(/^events_webhook_outbox_pending \d+$/m);
  });

  it('holds queued deliveries of a paused webhook, queues none while paused, and resumes', async () => {
    const { receiver, webhook } = await hook(['paused.*']);
    // Queued, and the webhook paused, in the same commit: the delivery exists but must wait.
    const queued = await db.connection.db.transaction(async (tx) => {
      const e = await t.publisher.publish(sampleEvent({ type: 'paused.queued' }), tx);
      await tx.execute(sql`update webhooks set active = false where id = ${webhook.id}`);
      return e;
    });
    const whilePaused = await t.publisher.publish(sampleEvent({ type: 'paused.skipped' }));
    await t.dispatcher.flush();
    expect(receiver.received).toHaveLength(0);
    expect(await deliveriesOf(webhook.id)).toMatchObject([{ eventId: queued.id, status: 'pending', attempts: 0 }]);

    await t.request('PATCH', `/api/webhooks/${webhook.id}`, { body: { active: true } });
    await t.dispatcher.flush();
    expect(receiver.eventIds()).toEqual([queued.id]);
    expect(receiver.eventIds()).not.toContain(whilePaused.id);
  });

  it('gives up on a receiver that does not answer within the timeout, and retries later', async () => {
    const hanging: Server = createServer(() => {
      // never answers
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const port = (hanging.address() as AddressInfo).port;
      const res = await t.request<WebhookCreated>('POST', '/api/webhooks', {
        body: { url: `http://127.0.0.1:${port}/slow`, types: ['slow.*'] },
      });
      await t.publisher.publish(sampleEvent({ type: 'slow.event' }));
      await t.dispatcher.flush();
      await expect
        .poll(async () => (await deliveriesOf(res.body.id))[0]?.lastError, { timeout: 5000 })
        .toBe('no answer within 2000 ms');
      expect((await deliveriesOf(res.body.id))[0]).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastStatusCode: null,
      });
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
