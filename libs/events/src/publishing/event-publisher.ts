import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { PgDatabase, PgTransaction } from 'drizzle-orm/pg-core';
import { type PublicEvent, type PublicEventPublisher, PublicEventSchema } from '#contracts';
import { DATABASE, type Database, type DbExecutor } from '#database';
import { Clock, describeZodError } from '#platform';
import { EventsMetrics } from '../events-metrics.js';
import { DeliveryRepository } from '../outbox/delivery.repository.js';
import { WebhookTargets } from '../webhooks/webhook-targets.js';
import { CommitSignal } from './commit-signal.js';
import { EventLogRepository } from './event-log.repository.js';

export type PublicEventInput = Parameters<PublicEventPublisher['publish']>[0];

/**
 * Publishes public events (the `PUBLIC_EVENT_PUBLISHER` port). Everything is written in the executor
 * the caller passes, usually the transaction of the change the event describes:
 *  - the event, in the event log (what SSE clients see and resume from);
 *  - one outbox row per active webhook whose type filters match (the list is cached: WebhookTargets);
 *  - a NOTIFY, which PostgreSQL delivers only if that transaction commits.
 * So a rolled-back change leaves no event, no delivery and no signal, and a committed one survives a
 * restart. Live SSE clients get the event once it has committed (EventFeed reads only settled rows).
 */
@Injectable()
export class EventPublisher implements PublicEventPublisher {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: EventLogRepository,
    private readonly webhooks: WebhookTargets,
    private readonly deliveries: DeliveryRepository,
    private readonly signal: CommitSignal,
    private readonly metrics: EventsMetrics,
  ) {}

  /**
   * @param tx the caller's Drizzle transaction (or the database itself: the event then commits on its own).
   * @returns the event as published, with its id and time.
   */
  async publish(input: PublicEventInput, tx?: unknown): Promise<PublicEvent> {
    const executor = tx === undefined ? this.db : asExecutor(tx);
    const now = this.clock.date();
    const event = toPublicEvent(input, now);
    await this.log.insert(executor, event, now);
    const targets = await this.webhooks.matching(executor, event.type);
    if (targets.length > 0) {
      // Serialised once: every attempt sends (and signs) these exact bytes.
      const body = JSON.stringify(event);
      await this.deliveries.queue(executor, targets, {
        eventId: event.id,
        eventType: event.type,
        body,
        nextAttemptAt: now,
        createdAt: now,
      });
    }
    await this.signal.notifyOnCommit(executor);
    this.metrics.published.inc();
    // Outside a transaction the rows are already committed: wake this process's readers at once.
    if (!(executor instanceof PgTransaction)) this.signal.fire();
    return event;
  }
}

function asExecutor(tx: unknown): DbExecutor {
  // PgTransaction extends PgDatabase: both the database and its transactions pass.
  if (tx instanceof PgDatabase) return tx as DbExecutor;
  throw new TypeError('publish(event, tx): tx must be the Drizzle database or one of its transactions');
}

/** Completes and checks an event: a malformed one is a bug of the publishing lib, named here. */
export function toPublicEvent(input: PublicEventInput, now: Date): PublicEvent {
  const result = PublicEventSchema.safeParse({
    id: randomUUID(),
    type: input.type,
    at: input.at ?? now.toISOString(),
    subject: input.subject,
    customerId: input.customerId,
    technicianId: input.technicianId,
    // Through JSON once, so the event returned equals the one stored and sent (Dates become strings).
    data: JSON.parse(JSON.stringify(input.data ?? null)) as unknown,
  });
  if (!result.success) throw new TypeError(`invalid public event: ${describeZodError(result.error).message}`);
  return result.data;
}
