import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AssetDetectionSettings } from '#contracts';
import { tables } from '#database';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** One change of an asset's detection settings, as recorded (time in epoch ms). */
export interface DetectionSettingsChangeRecord {
  readonly version: number;
  readonly at: number;
  readonly by: string;
  readonly settings: AssetDetectionSettings;
}

/**
 * A planner's tuning of the detectors of one asset (absent: every detector on its defaults). `version` is the
 * optimistic-concurrency token of the API; `history` keeps the latest changes, like `device_sensitivity`.
 */
export const assetDetectionSettings = pgTable('asset_detection_settings', {
  assetId: uuid('asset_id')
    .primaryKey()
    .references(() => tables.assets.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').$type<AssetDetectionSettings>().notNull(),
  version: integer('version').notNull(),
  updatedAt: tstz('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
  history: jsonb('history').$type<DetectionSettingsChangeRecord[]>().notNull(),
});
