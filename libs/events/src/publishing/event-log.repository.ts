import { Inject, Injectable } from '@nestjs/common';
import { and, asc, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { type PublicEvent, PublicEventSchema } from '#contracts';
import { DATABASE, type Database, type DbExecutor } from '#database';
import type { EventScope } from '../domain/visibility.js';
import { events } from '../events.tables.js';
import { type EventPosition, START_POSITION } from './event-position.js';

/** An event read back from the log, with its position. */
export interface StoredEvent {
  readonly position: EventPosition;
  readonly event: PublicEvent;
}

/**
 * Only rows of transactions that have all ended: below the oldest transaction still running, no
 * row can appear any more (PostgreSQL 13+, `pg_snapshot_xmin`). Rolled-back rows never exist.
 */
const settled = sql`${events.txId} < pg_snapshot_xmin(pg_current_snapshot())`;

const after = (p: EventPosition): SQL => sql`(${events.txId}, ${events.seq}) > (${p.txId}::xid8, ${p.seq}::bigint)`;
const atOrBefore = (p: EventPosition): SQL =>
  sql`(${events.txId}, ${events.seq}) <= (${p.txId}::xid8, ${p.seq}::bigint)`;

const columns = { txId: events.txId, seq: events.seq, payload: events.payload };

function toStored(row: { txId: string; seq: number; payload: unknown }): StoredEvent {
  // Parsing restores the schema's key order (jsonb does not keep it) and checks the row.
  return { position: { txId: row.txId, seq: row.seq }, event: PublicEventSchema.parse(row.payload) };
}

function scopeCondition(scope: EventScope): SQL | undefined {
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'customer':
      return eq(events.customerId, scope.customerId);
    case 'technician':
      return eq(events.technicianId, scope.technicianId);
  }
}

/** The `events` table: the bounded, commit-ordered log of public events. */
@Injectable()
export class EventLogRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Appends an event in the caller's executor (its transaction, when it has one). */
  async insert(executor: DbExecutor, event: PublicEvent, createdAt: Date): Promise<void> {
    await executor.insert(events).values({
      id: event.id,
      type: event.type,
      customerId: event.customerId,
      technicianId: event.technicianId,
      payload: event,
      createdAt,
    });
  }

  /** The position of the newest settled event (START when the log is empty). */
  async head(): Promise<EventPosition> {
    const rows = await this.db
      .select({ txId: events.txId, seq: events.seq })
      .from(events)
      .where(settled)
      .orderBy(desc(events.txId), desc(events.seq))
      .limit(1);
    return rows[0] ?? START_POSITION;
  }

  /**
   * Settled events after a position, in commit-safe order. `heldBack`: committed events exist past
   * them whose transaction id is not yet below xmin (an older transaction is still running): look
   * again soon.
   */
  async tail(from: EventPosition, limit: number): Promise<{ events: StoredEvent[]; heldBack: boolean }> {
    const rows = await this.db
      .select({ ...columns, settled: sql<boolean>`${settled}` })
      .from(events)
      .where(after(from))
      .orderBy(asc(events.txId), asc(events.seq))
      .limit(limit);
    // Settled rows form a prefix: their transaction ids are all below xmin, the others all at or above it.
    const cut = rows.findIndex((r) => !r.settled);
    const ready = cut < 0 ? rows : rows.slice(0, cut);
    return { events: ready.map(toStored), heldBack: cut >= 0 };
  }

  /** Events in (from, upTo] a scope may see: the backlog of a resuming SSE client. */
  async page(from: EventPosition, upTo: EventPosition, scope: EventScope, limit: number): Promise<StoredEvent[]> {
    const rows = await this.db
      .select(columns)
      .from(events)
      .where(and(after(from), atOrBefore(upTo), scopeCondition(scope)))
      .orderBy(asc(events.txId), asc(events.seq))
      .limit(limit);
    return rows.map(toStored);
  }

  async positionOf(id: string): Promise<EventPosition | undefined> {
    const rows = await this.db
      .select({ txId: events.txId, seq: events.seq })
      .from(events)
      .where(eq(events.id, id))
      .limit(1);
    return rows[0];
  }

  /** Keeps the newest `maxEvents` events, none created before `olderThan`. Answers how many went. */
  async prune(maxEvents: number, olderThan: Date): Promise<number> {
    const cutoff = this.db
      .select({ seq: events.seq })
      .from(events)
      .orderBy(desc(events.seq))
      .offset(maxEvents)
      .limit(1);
    const rows = await this.db
      .delete(events)
      .where(or(lt(events.createdAt, olderThan), sql`${events.seq} <= (${cutoff})`))
      .returning({ seq: events.seq });
    return rows.length;
  }
}
