import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookCreated } from '#contracts';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { DEFAULT_EVENTS_OPTIONS } from '../events-options.js';
import { sampleEvent } from '../testing/fixtures.js';
import { type EventsTestApp, startEventsTestApp } from '../testing/events-test-app.js';
import { WebhookRepository } from './webhook.repository.js';

const TTL = DEFAULT_EVENTS_OPTIONS.webhookTargetsTtlMs;

/**
 * The publisher keeps the active webhooks for `webhookTargetsTtlMs` instead of reading them for every event.
 * Changes through the API of this process apply to the next event; changes by another gateway process
 * (here: rows written past the WebhookService) within the TTL, and never fail a publish meanwhile.
 */
describe('webhook targets of the publisher (cached list)', () => {
  let db: TestDatabase;
  let t: EventsTestApp;
  let rows: WebhookRepository;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startEventsTestApp({ connection: db.connection, options: { dispatcher: { enabled: false } } });
    rows = t.app.get(WebhookRepository);
  });
  afterAll(async () => {
    await t?.close();
    await db?.dispose();
  });

  /** The events queued for a webhook, in no particular order (the frozen clock gives them one creation time). */
  const eventIdsOf = async (webhookId: string) =>
    (await t.request<Array<{ eventId: string }>>('GET', `/api/webhooks/${webhookId}/deliveries`)).body
      .map((d) => d.eventId)
      .sort();
  const ids = (...events: Array<{ id: string }>) => events.map((e) => e.id).sort();
  const create = async (body: Record<string, unknown>) =>
    (await t.request<WebhookCreated>('POST', '/api/webhooks', { body })).body;

  it('applies a webhook created, patched or deleted in this process to the very next event', async () => {
    // The list is loaded (empty) and cached.
    await t.publisher.publish(sampleEvent());
    const hook = await create({ url: 'https://a.example.com' });
    const first = await t.publisher.publish(sampleEvent());
    expect(await eventIdsOf(hook.id)).toEqual(ids(first));

    expect((await t.request('PATCH', `/api/webhooks/${hook.id}`, { body: { types: ['alert.*'] } })).status).toBe(200);
    await t.publisher.publish(sampleEvent({ type: 'work_order.opened' }));
    const raised = await t.publisher.publish(sampleEvent({ type: 'alert.raised' }));
    expect(await eventIdsOf(hook.id)).toEqual(ids(raised, first));

    expect((await t.request('PATCH', `/api/webhooks/${hook.id}`, { body: { active: false } })).status).toBe(200);
    await t.publisher.publish(sampleEvent({ type: 'alert.raised' }));
    expect(await eventIdsOf(hook.id)).toEqual(ids(raised, first));

    expect((await t.request('DELETE', `/api/webhooks/${hook.id}`)).status).toBe(204);
    await expect(t.publisher.publish(sampleEvent())).resolves.toMatchObject({ type: 'work_order.opened' });
  });

  it('sees a webhook another process created within the TTL; one it deleted or paused gets nothing meanwhile', async () => {
    const kept = await create({ url: 'https://kept.example.com' });
    const doomed = await create({ url: 'https://doomed.example.com' });
    const paused = await create({ url: 'https://paused.example.com' });
    const cached = await t.publisher.publish(sampleEvent());

    // Another process: no invalidation here.
    const now = t.clock.date();
    const late = await rows.insert({
      url: 'https://late.example.com',
      secret: 'a-secret-of-another-process',
      types: ['*'],
      active: true,
      createdAt: now,
      updatedAt: now,
    });
    expect(await rows.delete(doomed.id)).toBe(true);
    expect(await rows.update(paused.id, { active: false, updatedAt: now })).toBeDefined();

    // Still the cached list: the deleted webhook does not fail the publish, the paused one is skipped.
    const within = await t.publisher.publish(sampleEvent());
    expect(await eventIdsOf(kept.id)).toEqual(ids(within, cached));
    expect(await eventIdsOf(paused.id)).toEqual(ids(cached));
    expect(await eventIdsOf(late.id)).toEqual([]);

    t.clock.advance(TTL);
    const after = await t.publisher.publish(sampleEvent());
    expect(await eventIdsOf(late.id)).toEqual(ids(after));
    expect(await eventIdsOf(kept.id)).toEqual(ids(after, within, cached));
  });
});
