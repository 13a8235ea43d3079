import { doublePrecision, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { tables } from '#database';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One change of a device's sensitivity, as recorded (times in epoch ms). */
export interface SensitivityChangeRecord {
  readonly at: number;
  readonly from: number;
  readonly to: number;
  readonly by: string;
  readonly reason: string;
  readonly alertId: string | null;
  readonly note: string | null;
}

/** A device's detection sensitivity (default 1 when absent) and the history of its changes. */
export const deviceSensitivity = pgTable('device_sensitivity', {
  deviceId: text('device_id')
    .primaryKey()
    .references(() => tables.devices.id, { onDelete: 'cascade' }),
  value: doublePrecision('value').notNull(),
  history: jsonb('history').$type<SensitivityChangeRecord[]>().notNull(),
  updatedAt: tstz('updated_at').notNull(),
});
