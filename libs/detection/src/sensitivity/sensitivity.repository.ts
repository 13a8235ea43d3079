import { Injectable } from '@nestjs/common';
import { eq, inArray } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import { type SensitivityChangeRecord, deviceSensitivity } from './sensitivity.tables.js';

export interface StoredSensitivity {
  readonly value: number;
  readonly history: readonly SensitivityChangeRecord[];
}

/** Changes kept per device (the oldest are dropped beyond it). */
export const SENSITIVITY_HISTORY_LIMIT = 100;

/** The `device_sensitivity` table. */
@Injectable()
export class SensitivityRepository {
  async get(db: DbExecutor, deviceId: string): Promise<StoredSensitivity | undefined> {
    const rows = await db.select().from(deviceSensitivity).where(eq(deviceSensitivity.deviceId, deviceId)).limit(1);
    const row = rows[0];
    return row && { value: row.value, history: row.history };
  }

  /** Several devices in one query (devices without a row are absent). */
  async getMany(db: DbExecutor, deviceIds: readonly string[]): Promise<Map<string, StoredSensitivity>> {
    if (deviceIds.length === 0) return new Map();
    const rows = await db
      .select()
      .from(deviceSensitivity)
      .where(inArray(deviceSensitivity.deviceId, [...deviceIds]));
    return new Map(rows.map((r) => [r.deviceId, { value: r.value, history: r.history }]));
  }

  /** Records a change: the new value and one more history entry. */
  async record(db: DbExecutor, deviceId: string, change: SensitivityChangeRecord): Promise<void> {
    // Locks the row: two false positives on one device at once must both count.
    const rows = await db
      .select()
      .from(deviceSensitivity)
      .where(eq(deviceSensitivity.deviceId, deviceId))
      .for('update');
    const current = rows[0];
    const history = [...(current?.history ?? []), change].slice(-SENSITIVITY_HISTORY_LIMIT);
    const values = { value: change.to, history, updatedAt: new Date(change.at) };
    await db
      .insert(deviceSensitivity)
      .values({ deviceId, ...values })
      .onConflictDoUpdate({ target: deviceSensitivity.deviceId, set: values });
  }
}
