import { Injectable } from '@nestjs/common';
import { and, eq, inArray } from 'drizzle-orm';
import type { AssetDetectionSettings } from '#contracts';
import type { DbExecutor } from '#database';
import { assetDetectionSettings, type DetectionSettingsChangeRecord } from './detection-settings.tables.js';

export interface StoredDetectionSettings {
  readonly settings: AssetDetectionSettings;
  readonly version: number;
  readonly updatedAt: number;
  readonly updatedBy: string;
  readonly history: readonly DetectionSettingsChangeRecord[];
}

/** Changes kept per asset (the oldest are dropped beyond it). */
export const DETECTION_SETTINGS_HISTORY_LIMIT = 20;

type Row = typeof assetDetectionSettings.$inferSelect;

function stored(row: Row): StoredDetectionSettings {
  return {
    settings: row.settings,
    version: row.version,
    updatedAt: row.updatedAt.getTime(),
    updatedBy: row.updatedBy,
    history: row.history,
  };
}

/** The `asset_detection_settings` table. */
@Injectable()
export class DetectionSettingsRepository {
  async get(db: DbExecutor, assetId: string, lock = false): Promise<StoredDetectionSettings | undefined> {
    const query = db.select().from(assetDetectionSettings).where(eq(assetDetectionSettings.assetId, assetId)).limit(1);
    const rows = lock ? await query.for('update') : await query;
    return rows[0] && stored(rows[0]);
  }

  /** Several assets in one query (assets without settings are absent). */
  async getMany(db: DbExecutor, assetIds: readonly string[]): Promise<Map<string, StoredDetectionSettings>> {
    if (assetIds.length === 0) return new Map();
    const rows = await db
      .select()
      .from(assetDetectionSettings)
      .where(inArray(assetDetectionSettings.assetId, [...assetIds]));
    return new Map(rows.map((r) => [r.assetId, stored(r)]));
  }

  /**
   * Writes version `change.version` over `previous` (undefined: the asset had none). False when another writer
   * got there first (the row changed, or a first version was inserted meanwhile).
   */
  async write(
    db: DbExecutor,
    assetId: string,
    previous: StoredDetectionSettings | undefined,
    change: DetectionSettingsChangeRecord,
  ): Promise<boolean> {
    const history = [...(previous?.history ?? []), change].slice(-DETECTION_SETTINGS_HISTORY_LIMIT);
    const values = {
      settings: change.settings,
      version: change.version,
      updatedAt: new Date(change.at),
      updatedBy: change.by,
      history,
    };
    const written = previous
      ? await db
          .update(assetDetectionSettings)
          .set(values)
          .where(and(eq(assetDetectionSettings.assetId, assetId), eq(assetDetectionSettings.version, previous.version)))
          .returning({ assetId: assetDetectionSettings.assetId })
      : await db
          .insert(assetDetectionSettings)
          .values({ assetId, ...values })
          .onConflictDoNothing()
          .returning({ assetId: assetDetectionSettings.assetId });
    return written.length === 1;
  }
}
