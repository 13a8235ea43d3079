import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { WebhookCreated } from '#contracts';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { sampleEvent } from '../testing/fixtures.js';
import { type EventsTestApp, startEventsTestApp } from '../testing/events-test-app.js';

const DAY = 24 * 3600_000;

describe('retention of the event log and the delivery history', () => {
  let db: TestDatabase;
  let t: EventsTestApp;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startEventsTestApp({
      connection: db.connection,
      options: {
        dispatcher: { enabled: false },
        retention: { maxEvents: 3, eventMaxAgeMs: 2 * DAY, deliveryMaxAgeMs: 2 * DAY },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await db?.dispose();
  });

  const count = async (table: 'events' | 'webhook_deliveries') =>
    Number((await db.connection.rows<{ n: string }>(sql`select count(*) as n from ${sql.identifier(table)}`))[0]?.n);

  it('keeps the newest events within count and age, and every pending delivery however old', async () => {
    const hook = (
      await t.request<WebhookCreated>('POST', '/api/webhooks', { body: { url: 'http://127.0.0.1:9/never' } })
    ).body;
    const published = [];
    for (let i = 0; i < 5; i++) published.push(await t.publisher.publish(sampleEvent()));
    // One delivery settled (delivered), four still pending.
    await db.connection.db.execute(
      sql`update webhook_deliveries set delivered_at = ${new Date(t.clock.now())} where event_id = ${published[0]!.id}`,
    );

    expect(await t.sweeper.sweep()).toEqual({ events: 2, deliveries: 0 });
    const kept = await db.connection.rows<{ id: string }>(sql`select id from events order by seq`);
    expect(kept.map((r) => r.id)).toEqual(published.slice(2).map((e) => e.id));

    t.clock.advance(3 * DAY);
    expect(await t.sweeper.sweep()).toEqual({ events: 3, deliveries: 1 });
    expect(await count('events')).toBe(0);
    // Pending deliveries stay until delivered or dead: that is the outbox's promise.
    expect(await count('webhook_deliveries')).toBe(4);
    expect((await t.request<unknown[]>('GET', `/api/webhooks/${hook.id}/deliveries`)).body).toHaveLength(4);
  });
});
