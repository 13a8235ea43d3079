import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** PostgreSQL's 64-bit transaction id (PostgreSQL 13+); both drivers hand it over as text. */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

/**
 * The bounded log of public events: what an SSE client resumes from (`Last-Event-ID`).
 *
 * Rows are read in (tx_id, seq) order and only once `tx_id` is below the oldest running transaction
 * (`pg_snapshot_xmin(pg_current_snapshot())`): a sequence number alone is taken at INSERT, not at
 * COMMIT, so a reader following `seq` could pass a row whose transaction commits later and never see
 * it. Below xmin every transaction has ended, so no row can still appear before that position.
 */
export const events = pgTable(
  'events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    txId: xid8('tx_id')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    id: uuid('id').notNull().unique(),
    type: text('type').notNull(),
    // No foreign keys: the log outlives what it describes (a deleted customer's history stays readable).
    customerId: uuid('customer_id'),
    technicianId: uuid('technician_id'),
    payload: jsonb('payload').notNull(),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [index('events_position_idx').on(t.txId, t.seq), index('events_created_idx').on(t.createdAt)],
);

/** Where public events are sent (HTTP POST, signed with the webhook's secret). */
export const webhooks = pgTable('webhooks', {
  id: uuid('id')
    .primaryKey()
    .default(sql`gen_random_uuid()`),
  url: text('url').notNull(),
  // Stored in clear: it signs every delivery (an HMAC key cannot be kept as a digest).
  secret: text('secret').notNull(),
  types: text('types').array().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: tstz('created_at').notNull(),
  updatedAt: tstz('updated_at').notNull(),
});

/**
 * The outbox: one row per (event, matching webhook), inserted in the publisher's transaction and
 * kept until delivered or dead. `body` holds the exact bytes sent, so every retry carries the same
 * body and signature. A row being sent is leased by pushing `next_attempt_at` ahead: a gateway that
 * dies mid-send leaves it due again once the lease runs out.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    body: text('body').notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: tstz('next_attempt_at').notNull(),
    deliveredAt: tstz('delivered_at'),
    deadAt: tstz('dead_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [
    index('webhook_deliveries_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`delivered_at is null and dead_at is null`),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
    index('webhook_deliveries_created_idx').on(t.createdAt),
  ],
);
