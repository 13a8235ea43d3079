import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PublicEventSchema } from '#contracts';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { createCustomer, createTechnician, issueToken, sampleEvent } from '../testing/fixtures.js';
import { type EventsTestApp, startEventsTestApp, TEST_ADMIN_TOKEN } from '../testing/events-test-app.js';
import { openSse, type SseClient } from '../testing/sse-client.js';

describe('GET /api/events (Server-Sent Events)', () => {
  let db: TestDatabase;
  let t: EventsTestApp;
  let url: string;
  const clients: SseClient[] = [];
  const open = async (token: string, options: { query?: string; lastEventId?: string } = {}) => {
    const client = await openSse(`${url}${options.query ?? ''}`, { token, lastEventId: options.lastEventId });
    clients.push(client);
    return client;
  };
  let customerA: string;
  let customerB: string;
  let tech1: string;
  let tokens: { planner: string; customerA: string; customerB: string; tech1: string };

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startEventsTestApp({ connection: db.connection, options: { heartbeatMs: 300 } });
    url = `${t.baseUrl}/api/events`;
    customerA = await createCustomer(t, 'Customer A');
    customerB = await createCustomer(t, 'Customer B');
    tech1 = await createTechnician(t, 'Tech One');
    tokens = {
      planner: await issueToken(t, { role: 'planner' }),
      customerA: await issueToken(t, { role: 'customer', customerId: customerA }),
      customerB: await issueToken(t, { role: 'customer', customerId: customerB }),
      tech1: await issueToken(t, { role: 'technician', technicianId: tech1 }),
    };
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
    await db?.dispose();
  });

  it('streams a published event as id / event / data, with retry and a connected comment', async () => {
    const client = await open(tokens.planner);
    expect(client.status).toBe(200);
    expect(client.contentType).toBe('text/event-stream; charset=utf-8');
    await client.waitForComment((c) => c === 'connected');
    expect(client.retry).toBe(3000);

    const published = await t.publisher.publish(
      sampleEvent({ customerId: customerA, data: { number: 'WO-2026-000123', priority: 'P1' } }),
    );
    const message = await client.next();
    expect(message.id).toBe(published.id);
    expect(message.event).toBe('work_order.opened');
    const data = PublicEventSchema.parse(JSON.parse(message.data));
    expect(data).toEqual(published);
    expect(data).toMatchObject({ at: '2026-11-22T08:00:00.000Z', data: { number: 'WO-2026-000123' } });
  });

  it('shows a customer only its own events, a technician only events naming it, a planner all', async () => {
    const a = await open(tokens.customerA);
    const b = await open(tokens.customerB);
    const tech = await open(tokens.tech1);
    const planner = await open(tokens.planner);
    await Promise.all([a, b, tech, planner].map((c) => c.waitForComment((x) => x === 'connected')));

    const ofB = await t.publisher.publish(sampleEvent({ customerId: customerB }));
    const internal = await t.publisher.publish(sampleEvent({ type: 'technician.rota_changed' }));
    const ofAWithTech = await t.publisher.publish(sampleEvent({ customerId: customerA, technicianId: tech1 }));
    const ofA = await t.publisher.publish(sampleEvent({ customerId: customerA }));

    // Each stream is ordered: the first event a stream shows proves the earlier ones were filtered out.
    expect((await a.next()).id).toBe(ofAWithTech.id);
    expect((await a.next()).id).toBe(ofA.id);
    expect((await b.next()).id).toBe(ofB.id);
    expect((await tech.next()).id).toBe(ofAWithTech.id);
    expect((await planner.next()).id).toBe(ofB.id);
    expect((await planner.next()).id).toBe(internal.id);
    expect((await planner.next()).id).toBe(ofAWithTech.id);
    expect((await planner.next()).id).toBe(ofA.id);

    // Nothing else arrives for the narrower scopes.
    const marker = await t.publisher.publish(sampleEvent({ customerId: customerB, technicianId: tech1 }));
    expect((await b.next()).id).toBe(marker.id);
    expect((await tech.next()).id).toBe(marker.id);
    expect(a.messages.map((m) => m.id)).toEqual([ofAWithTech.id, ofA.id]);
  });

  it('filters by type globs (?types=alert.*,work_order.transitioned)', async () => {
    const client = await open(tokens.planner, { query: '?types=alert.*,work_order.transitioned' });
    await client.waitForComment((c) => c === 'connected');
    await t.publisher.publish(sampleEvent({ type: 'work_order.opened' }));
    const raised = await t.publisher.publish(
      sampleEvent({ type: 'alert.raised', subject: { kind: 'alert', id: 'al-1' } }),
    );
    const moved = await t.publisher.publish(sampleEvent({ type: 'work_order.transitioned' }));
    expect((await client.next()).id).toBe(raised.id);
    expect((await client.next()).id).toBe(moved.id);
  });

  it('refuses a malformed type filter or Last-Event-ID, naming it', async () => {
    const badTypes = await t.request('GET', '/api/events?types=work_order.(opened)', { token: tokens.planner });
    expect(badTypes).toMatchObject({ status: 400, body: { field: 'types' } });
    const res = await fetch(url, { headers: { authorization: `Bearer ${tokens.planner}`, 'last-event-id': 'nope' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'Last-Event-ID' });
  });

  it('needs a token', async () => {
    expect((await fetch(url)).status).toBe(401);
  });

  it('resumes after Last-Event-ID from the log, in scope, then carries on live', async () => {
    const first = await t.publisher.publish(sampleEvent({ customerId: customerA }));
    const missed1 = await t.publisher.publish(sampleEvent({ customerId: customerA }));
    await t.publisher.publish(sampleEvent({ customerId: customerB }));
    const missed2 = await t.publisher.publish(sampleEvent({ customerId: customerA, type: 'work_order.closed' }));
    await t.feed.catchUp();

    const client = await open(tokens.customerA, { lastEventId: first.id });
    expect((await client.next()).id).toBe(missed1.id);
    const second = await client.next();
    expect(second).toMatchObject({ id: missed2.id, event: 'work_order.closed' });
    const live = await t.publisher.publish(sampleEvent({ customerId: customerA }));
    expect((await client.next()).id).toBe(live.id);

    // The same through the query string, for clients that cannot set headers; types apply to the replay.
    const viaQuery = await open(tokens.customerA, { query: `?lastEventId=${first.id}&types=work_order.closed` });
    expect((await viaQuery.next()).id).toBe(missed2.id);
  });

  it('replays the whole retained log for an id it no longer holds', async () => {
    const client = await open(tokens.customerB, { lastEventId: '00000000-0000-4000-8000-000000000000' });
    const replayed = await client.next();
    const [oldest] = await db.connection.rows<{ id: string }>(
      sql`select id from events where customer_id = ${customerB} order by seq limit 1`,
    );
    expect(replayed.id).toBe(oldest?.id);
  });

  it('never shows an event whose transaction rolled back, and shows a committed one only after COMMIT', async () => {
    const client = await open(tokens.planner);
    await client.waitForComment((c) => c === 'connected');

    const rolledBack = await db.connection.db
      .transaction(async (tx) => {
        await t.publisher.publish(sampleEvent({ type: 'work_order.rolled_back' }), tx);
        throw new Error('the change failed');
      })
      .catch((e: Error) => e.message);
    expect(rolledBack).toBe('the change failed');

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let inTx: string | undefined;
    const committing = db.connection.db.transaction(async (tx) => {
      inTx = (await t.publisher.publish(sampleEvent({ type: 'work_order.committed' }), tx)).id;
      await gate;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(client.messages).toEqual([]);
    release();
    await committing;

    const after = await t.publisher.publish(sampleEvent({ type: 'work_order.after' }));
    expect((await client.next()).id).toBe(inTx);
    expect((await client.next()).id).toBe(after.id);
    const logged = await db.connection.rows<{ type: string }>(
      sql`select type from events where type = 'work_order.rolled_back'`,
    );
    expect(logged).toEqual([]);
  });

  it('refuses a tx that is not the Drizzle database or one of its transactions', async () => {
    await expect(t.publisher.publish(sampleEvent(), { query: () => undefined })).rejects.toThrow(/tx must be/);
  });

  it('sends heartbeat comments', async () => {
    const client = await open(tokens.tech1);
    await client.waitForComment((c) => c === 'heartbeat', 3000);
  });

  it('unsubscribes a client that disconnects', async () => {
    const before = t.feed.subscriberCount;
    const client = await openSse(url, { token: TEST_ADMIN_TOKEN });
    await client.waitForComment((c) => c === 'connected');
    expect(t.feed.subscriberCount).toBe(before + 1);
    client.close();
    await expect.poll(() => t.feed.subscriberCount, { timeout: 3000 }).toBe(before);
    expect(t.streams.count).toBe(before);
  });
});
