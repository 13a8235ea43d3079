import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookCreated } from '#contracts';
import { DatabaseConnection } from '#database';
import { FrozenClock } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { sampleEvent } from '../testing/fixtures.js';
import { type EventsTestApp, startEventsTestApp, T0 } from '../testing/events-test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.js';

describe('two gateway processes sharing one outbox', () => {
  let db: TestDatabase;
  let a: EventsTestApp;
  let b: EventsTestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    db = await createTestDatabase();
    const clock = new FrozenClock(T0);
    // Background loops off: both dispatchers are driven at once by the test.
    const options = { dispatcher: { enabled: false, batchSize: 5 } };
    a = await startEventsTestApp({ connection: db.connection, clock, options });
    // On PostgreSQL a second pool, as a second process would have; PGlite has one connection to share.
    const second = db.url
      ? await DatabaseConnection.open({ kind: 'postgres', url: db.url, poolSize: 5 })
      : db.connection;
    b = await startEventsTestApp({ connection: second, clock, options });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await receiver?.stop();
    await db?.dispose();
  });

  it('sends each delivery once although both claim at the same time (FOR UPDATE SKIP LOCKED)', async () => {
    await a.request<WebhookCreated>('POST', '/api/webhooks', { body: { url: receiver.url } });
    const published = [];
    for (let i = 0; i < 30; i++) published.push(await a.publisher.publish(sampleEvent()));
    await Promise.all([a.dispatcher.flush(), b.dispatcher.flush(), a.dispatcher.flush(), b.dispatcher.flush()]);
    const ids = receiver.eventIds();
    expect(ids).toHaveLength(30);
    expect(new Set(ids)).toEqual(new Set(published.map((e) => e.id)));
  });
});
