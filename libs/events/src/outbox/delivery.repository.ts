import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, desc, eq, inArray, isNotNull, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { WebhookDeliveryStatus } from '#contracts';
import { DATABASE, type Database, type DbExecutor } from '#database';
import { webhookDeliveries as deliveries, webhooks } from '../events.tables.js';

export type DeliveryRow = typeof deliveries.$inferSelect;
export type DeliveryInsert = typeof deliveries.$inferInsert;

/** What every delivery of one event shares. */
export type QueuedDelivery = Pick<DeliveryInsert, 'eventId' | 'eventType' | 'body' | 'nextAttemptAt' | 'createdAt'>;

/** A delivery taken by this process for one attempt, with where and how to send it. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly body: string;
  /** Attempts so far, this one included. */
  readonly attempts: number;
  readonly url: string;
  readonly secret: string;
}

const pending = and(isNull(deliveries.deliveredAt), isNull(deliveries.deadAt));

function statusCondition(status: WebhookDeliveryStatus): SQL | undefined {
  switch (status) {
    case 'pending':
      return pending;
    case 'delivered':
      return isNotNull(deliveries.deliveredAt);
    case 'dead':
      return isNotNull(deliveries.deadAt);
  }
}

/** The `webhook_deliveries` table: the outbox of webhook POSTs. */
@Injectable()
export class DeliveryRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * Queues one delivery of an event per webhook, in the publisher's executor, so they commit (or roll back)
   * with its change. Only to the webhooks of `webhookIds` that still exist and are active: the publisher's
   * list is cached (WebhookTargets), and another gateway process may have deleted or paused one meanwhile.
   */
  async queue(executor: DbExecutor, webhookIds: readonly string[], delivery: QueuedDelivery): Promise<void> {
    if (webhookIds.length === 0) return;
    const { eventId, eventType, body, nextAttemptAt, createdAt } = delivery;
    await executor.execute(sql`
      insert into ${deliveries} (id, webhook_id, event_id, event_type, body, next_attempt_at, created_at)
      select gen_random_uuid(), ${webhooks.id}, ${eventId}::uuid, ${eventType}::text, ${body}::text,
        ${nextAttemptAt.toISOString()}::timestamptz, ${createdAt.toISOString()}::timestamptz
      from ${webhooks}
      where ${and(inArray(webhooks.id, [...webhookIds]), eq(webhooks.active, true))}`);
  }

  /**
   * Takes up to `limit` due deliveries of active webhooks for one attempt: counts the attempt and
   * leases the row until `leaseUntil`. SKIP LOCKED lets several gateway processes share the outbox
   * without waiting on (or taking) each other's rows.
   */
  async claimDue(now: Date, leaseUntil: Date, limit: number): Promise<ClaimedDelivery[]> {
    return this.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: deliveries.id })
        .from(deliveries)
        .innerJoin(webhooks, eq(webhooks.id, deliveries.webhookId))
        .where(and(pending, lte(deliveries.nextAttemptAt, now), eq(webhooks.active, true)))
        .orderBy(asc(deliveries.nextAttemptAt), asc(deliveries.createdAt))
        .limit(limit)
        .for('update', { of: deliveries, skipLocked: true });
      if (due.length === 0) return [];
      const claimed = await tx
        .update(deliveries)
        .set({ attempts: sql`${deliveries.attempts} + 1`, nextAttemptAt: leaseUntil })
        .where(
          inArray(
            deliveries.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
      const targets = await tx
        .select({ id: webhooks.id, url: webhooks.url, secret: webhooks.secret })
        .from(webhooks)
        .where(inArray(webhooks.id, [...new Set(claimed.map((c) => c.webhookId))]));
      const byId = new Map(targets.map((t) => [t.id, t]));
      return claimed.flatMap((row) => {
        const target = byId.get(row.webhookId);
        if (!target) return [];
        const { id, eventId, eventType, body, attempts } = row;
        return [{ id, eventId, eventType, body, attempts, url: target.url, secret: target.secret }];
      });
    });
  }

  async markDelivered(id: string, at: Date, statusCode: number): Promise<void> {
    await this.db
      .update(deliveries)
      .set({ deliveredAt: at, lastStatusCode: statusCode, lastError: null })
      .where(and(eq(deliveries.id, id), pending));
  }

  async markRetry(id: string, nextAttemptAt: Date, statusCode: number | null, error: string): Promise<void> {
    await this.db
      .update(deliveries)
      .set({ nextAttemptAt, lastStatusCode: statusCode, lastError: error })
      .where(and(eq(deliveries.id, id), pending));
  }

  async markDead(id: string, at: Date, statusCode: number | null, error: string): Promise<void> {
    await this.db
      .update(deliveries)
      .set({ deadAt: at, lastStatusCode: statusCode, lastError: error })
      .where(and(eq(deliveries.id, id), pending));
  }

  /** A webhook's deliveries, newest first. */
  async listForWebhook(
    webhookId: string,
    status: WebhookDeliveryStatus | undefined,
    limit: number,
  ): Promise<DeliveryRow[]> {
    return this.db
      .select()
      .from(deliveries)
      .where(and(eq(deliveries.webhookId, webhookId), status === undefined ? undefined : statusCondition(status)))
      .orderBy(desc(deliveries.createdAt), desc(deliveries.id))
      .limit(limit);
  }

  async countPending(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(deliveries).where(pending);
    return row?.n ?? 0;
  }

  /** Drops delivered and dead deliveries created before `olderThan`; pending ones stay until settled. */
  async pruneSettled(olderThan: Date): Promise<number> {
    const rows = await this.db
      .delete(deliveries)
      .where(
        and(lt(deliveries.createdAt, olderThan), or(isNotNull(deliveries.deliveredAt), isNotNull(deliveries.deadAt))),
      )
      .returning({ id: deliveries.id });
    return rows.length;
  }
}
