import { sql } from 'drizzle-orm';
import {
  bigserial,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { Evidence, Finding, Prediction } from '../core/index.js';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Alerts. Device, asset and customer are plain ids, not foreign keys: the history of what was detected on
 * a device outlives the device. The partial unique index is the "one open alert per (device, metric, kind)"
 * rule, enforced by the database as well as by the lifecycle.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey(),
    deviceId: text('device_id').notNull(),
    assetId: uuid('asset_id'),
    customerId: uuid('customer_id'),
    metric: text('metric').notNull(),
    kind: text('kind').notNull(),
    fault: text('fault').notNull(),
    detector: text('detector').notNull(),
    lifecycle: text('lifecycle').notNull(),
    severity: text('severity').notNull(),
    score: doublePrecision('score').notNull(),
    status: text('status').notNull(),
    explanation: text('explanation').notNull(),
    standard: text('standard'),
    evidence: jsonb('evidence').$type<Evidence>().notNull(),
    prediction: jsonb('prediction').$type<Prediction>(),
    details: jsonb('details').$type<NonNullable<Finding['details']>>(),
    /** Event time of the reading that triggered the alert. */
    eventTime: tstz('event_time').notNull(),
    onsetTime: tstz('onset_time').notNull(),
    /** Wall-clock time the alert was opened. */
    openedAt: tstz('opened_at').notNull(),
    lastEventTime: tstz('last_event_time').notNull(),
    occurrences: integer('occurrences').notNull(),
    clearedAt: tstz('cleared_at'),
    clearedEventTime: tstz('cleared_event_time'),
    clearReason: text('clear_reason'),
    acknowledgedBy: text('acknowledged_by'),
    acknowledgedAt: tstz('acknowledged_at'),
    closedBy: text('closed_by'),
    closedAt: tstz('closed_at'),
    note: text('note'),
    version: integer('version').notNull(),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('alerts_one_open_per_key')
      .on(t.deviceId, t.metric, t.kind)
      .where(sql`status in ('active', 'acknowledged')`),
    index('alerts_key_idx').on(t.deviceId, t.metric, t.kind, t.eventTime),
    index('alerts_event_time_idx').on(t.eventTime),
    index('alerts_customer_idx').on(t.customerId, t.eventTime),
    index('alerts_asset_idx').on(t.assetId, t.eventTime),
    index('alerts_status_idx').on(t.status, t.eventTime),
  ],
);

/** What happened to each alert, by whom (the detectors are "system"), oldest first. */
export const alertActions = pgTable(
  'alert_actions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    alertId: uuid('alert_id')
      .notNull()
      .references(() => alerts.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    at: tstz('at').notNull(),
    eventTime: tstz('event_time'),
    actor: text('actor').notNull(),
    note: text('note'),
    details: jsonb('details').$type<Record<string, unknown>>(),
  },
  (t) => [index('alert_actions_alert_idx').on(t.alertId, t.id)],
);
