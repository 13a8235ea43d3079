import { boolean, json, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { tables } from '#database';
import type { PairedMemberSnapshot, StreamSnapshot } from '../core/index.js';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Debounce state of one stream's alert keys: kind -> event times of findings not yet turned into an alert. */
export type PendingDebounce = Readonly<Record<string, readonly number[]>>;

/**
 * Persisted detector state of one (device, metric) stream, written in batches by the pipeline and read at the
 * device's first reading after a start. A device's part in drift against paired sensors is a row of its own
 * under the key `paired:<metric>` (a colon never occurs in a metric name): no column, no migration. `last_event_time` and `live` let the offline check find devices whose
 * state has not been loaded since the restart.
 */
export const detectorState = pgTable(
  'detector_state',
  {
    deviceId: text('device_id')
      .notNull()
      .references(() => tables.devices.id, { onDelete: 'cascade' }),
    metric: text('metric').notNull(),
    // json, not jsonb: a snapshot is only ever written and read back whole (never queried into), and the
    // pipeline writes every changed one each flush; json keeps the text as written, which made a flush of
    // 1 200 snapshots on PGlite about a third cheaper (190 -> 130 ms, all of it on the ingest thread).
    snapshot: json('snapshot').$type<StreamSnapshot | PairedMemberSnapshot>().notNull(),
    pending: jsonb('pending').$type<PendingDebounce>(),
    lastEventTime: tstz('last_event_time'),
    live: boolean('live').notNull().default(false),
    updatedAt: tstz('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.metric] })],
);
