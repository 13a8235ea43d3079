import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, testDatabaseUrl, type TestDatabase } from '../../../../test/support/test-database.js';
import { sampleEvent } from '../testing/fixtures.js';
import { type EventsTestApp, startEventsTestApp, TEST_ADMIN_TOKEN } from '../testing/events-test-app.js';
import { openSse, type SseClient } from '../testing/sse-client.js';

/**
 * Concurrent transactions: only a server has them (embedded PGlite runs one transaction at a time,
 * so there the order of commits is the order of inserts and nothing can be overtaken). Services tier only.
 */
describe('live events under concurrent transactions (PostgreSQL)', () => {
  let db: TestDatabase;
  let t: EventsTestApp;
  let client: SseClient;
  beforeAll(async () => {
    if (!testDatabaseUrl()) throw new Error('this suite needs PostgreSQL: set TEST_DATABASE_URL');
    db = await createTestDatabase();
    // A long timer: whatever arrives quickly came from a commit signal or the held-back recheck.
    t = await startEventsTestApp({ connection: db.connection, options: { feedPollMs: 60_000 } });
    client = await openSse(`${t.baseUrl}/api/events`, { token: TEST_ADMIN_TOKEN });
    await client.waitForComment((c) => c === 'connected');
  });
  afterAll(async () => {
    client?.close();
    await t?.close();
    await db?.dispose();
  });

  it('does not skip an event inserted first but committed after a later one', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const insertedFirst = new Promise<void>((resolve) => (inserted = resolve));
    let first: string | undefined;
    const slow = db.connection.db.transaction(async (tx) => {
      first = (await t.publisher.publish(sampleEvent({ type: 'order.first' }), tx)).id;
      inserted();
      await gate;
    });
    await insertedFirst;
    const second = await t.publisher.publish(sampleEvent({ type: 'order.second' }));
    await new Promise((r) => setTimeout(r, 300));
    // The later event is committed but waits: the older transaction may still add events before it.
    expect(client.messages).toEqual([]);
    release();
    await slow;
    expect((await client.next()).id).toBe(first);
    expect((await client.next()).id).toBe(second.id);
  });

  it('releases an event held back by an unrelated older transaction as soon as that one ends', async () => {
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select pg_current_xact_id()'); // takes a transaction id, older than the next publish
      const held = await t.publisher.publish(sampleEvent({ type: 'order.held' }));
      await new Promise((r) => setTimeout(r, 300));
      expect(client.messages.map((m) => m.id)).not.toContain(held.id);
      await other.query('rollback');
      // No commit signal comes from the other transaction: the feed's quick recheck finds the event.
      expect((await client.next(2000)).id).toBe(held.id);
    } finally {
      await other.end();
    }
  });
});
