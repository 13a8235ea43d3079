import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookCreated, WebhookDelivery } from '#contracts';
import { FrozenClock } from '#platform';
import { DEFAULT_RETRY_POLICY, maxDelayAfter } from '../domain/retry-policy.js';
import { verifySignature } from '../domain/signature.js';
import { DEFAULT_EVENTS_OPTIONS } from '../events-options.js';
import { sampleEvent } from '../testing/fixtures.js';
import { type EventsTestApp, startEventsTestApp, T0 } from '../testing/events-test-app.js';
import { createReopenableDatabase, type ReopenableDatabase } from '../testing/reopenable-database.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';
import { DeliveryRepository } from './delivery.repository.js';

describe('the outbox across restarts', () => {
  let store: ReopenableDatabase;
  let receiver: WebhookReceiver;
  let clock: FrozenClock;
  const apps: EventsTestApp[] = [];
  /** One gateway process on the shared database: a fresh Nest app, as a restart would build. */
  const start = async (options: Parameters<typeof startEventsTestApp>[0]['options'] = {}) => {
    const app = await startEventsTestApp({ connection: await store.open(), clock, options });
    apps.push(app);
    return app;
  };
  const stop = async (app: EventsTestApp) => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  };
  const deliveries = async (app: EventsTestApp, webhookId: string) =>
    (await app.request<WebhookDelivery[]>('GET', `/api/webhooks/${webhookId}/deliveries`)).body;

  beforeEach(async () => {
    store = await createReopenableDatabase();
    receiver = await startWebhookReceiver();
    clock = new FrozenClock(T0);
  });
  afterEach(async () => {
    for (const app of apps.splice(0).reverse()) await app.close();
    await receiver.stop();
    await store.dispose();
  });

  it('delivers, exactly once, an event published while the receiver was down, after a restart', async () => {
    await receiver.stop();
    const first = await start();
    const webhook = (await first.request<WebhookCreated>('POST', '/api/webhooks', { body: { url: receiver.url } }))
      .body;
    const event = await first.publisher.publish(sampleEvent({ type: 'work_order.opened' }));
    await first.dispatcher.flush();
    const [failed] = await deliveries(first, webhook.id);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, lastStatusCode: null });
    expect(failed?.lastError).toMatch(/ECONNREFUSED/);
    await stop(first);

    await receiver.restart();
    clock.advance(maxDelayAfter(1, DEFAULT_RETRY_POLICY));
    const second = await start();
    // Sent by the dispatcher the new process starts on bootstrap, without any help from the test.
    await receiver.waitFor(1);
    await second.dispatcher.flush();
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    expect(JSON.parse(request!.body)).toEqual(event);
    expect(request!.headers['x-coatwatch-delivery']).toBe(failed?.id);
    expect(verifySignature(webhook.secret, request!.body, request!.headers['x-coatwatch-signature'] as string)).toBe(
      true,
    );
    expect(await deliveries(second, webhook.id)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
    await stop(second);

    // A later start has nothing left to send.
    clock.advance(24 * 3600_000);
    const third = await start();
    await third.dispatcher.flush();
    expect(receiver.received).toHaveLength(1);
  });

  it('sends again a delivery whose sender died mid-attempt, once its lease has run out', async () => {
    const first = await start({ dispatcher: { enabled: false } });
    const webhook = (await first.request<WebhookCreated>('POST', '/api/webhooks', { body: { url: receiver.url } }))
      .body;
    const event = await first.publisher.publish(sampleEvent({ type: 'work_order.opened' }));
    // The process takes the delivery for an attempt... and dies before any outcome is recorded.
    const now = clock.now();
    const leaseMs = DEFAULT_EVENTS_OPTIONS.dispatcher.leaseMs;
    const claimed = await first.app.get(DeliveryRepository).claimDue(new Date(now), new Date(now + leaseMs), 10);
    expect(claimed.map((c) => c.eventId)).toEqual([event.id]);
    await stop(first);

    const second = await start();
    await second.dispatcher.flush();
    expect(receiver.received).toHaveLength(0);

    clock.advance(leaseMs);
    await second.dispatcher.flush();
    expect(receiver.eventIds()).toEqual([event.id]);
    expect(await deliveries(second, webhook.id)).toMatchObject([{ status: 'delivered', attempts: 2 }]);
  });
});
