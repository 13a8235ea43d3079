import { Inject, Injectable } from '@nestjs/common';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { DATABASE, type Database, tables } from '#database';

const { devices } = tables;

/** Rows per last-seen UPDATE (two parameters each, far below PostgreSQL's 65535). */
const LAST_SEEN_BATCH = 1000;

/** Presence columns of the `devices` table: online, last_connected_at, last_seen_at. */
@Injectable()
export class DevicePresenceRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * At start the broker holds no session, so nothing is online, except a device whose session
   * began after `before` (this process's start): a connect handled before this reset must stand.
   */
  async markAllOffline(before: Date): Promise<number> {
    const rows = await this.db
      .update(devices)
      .set({ online: false })
      .where(and(eq(devices.online, true), or(isNull(devices.lastConnectedAt), lt(devices.lastConnectedAt, before))))
      .returning({ id: devices.id });
    return rows.length;
  }

  async markConnected(deviceId: string, at: Date): Promise<void> {
    await this.db
      .update(devices)
      .set({
        online: true,
        lastConnectedAt: at,
        lastSeenAt: sql`greatest(${devices.lastSeenAt}, ${at.toISOString()}::timestamptz)`,
      })
      .where(eq(devices.id, deviceId));
  }

  /**
   * Ends the session unless a newer one has begun since `at` (a late event of a session that was
   * taken over, MQTT-3.1.4-2, must not mark its successor offline).
   */
  async markDisconnected(deviceId: string, at: Date): Promise<void> {
    await this.db
      .update(devices)
      .set({ online: false })
      .where(and(eq(devices.id, deviceId), notBeforeLastConnect(at)));
  }

  /** A status message: the device announced its state (or its will did, for `offline`). */
  async applyStatus(deviceId: string, online: boolean, at: Date): Promise<void> {
    await this.db
      .update(devices)
      .set({ online, lastSeenAt: sql`greatest(${devices.lastSeenAt}, ${at.toISOString()}::timestamptz)` })
      .where(online ? eq(devices.id, deviceId) : and(eq(devices.id, deviceId), notBeforeLastConnect(at)));
  }

  /** Moves last_seen_at forward (never back) for many devices, in as few statements as possible. */
  async touchLastSeen(entries: ReadonlyArray<{ readonly deviceId: string; readonly at: number }>): Promise<void> {
    for (let start = 0; start < entries.length; start += LAST_SEEN_BATCH) {
      const batch = entries.slice(start, start + LAST_SEEN_BATCH);
      const values = sql.join(
        batch.map((e) => sql`(${e.deviceId}::text, ${new Date(e.at).toISOString()}::timestamptz)`),
        sql`, `,
      );
      await this.db.execute(sql`
        update ${devices} set last_seen_at = v.at
        from (values ${values}) as v(id, at)
        where ${devices.id} = v.id and (${devices.lastSeenAt} is null or ${devices.lastSeenAt} < v.at)`);
    }
  }
}

function notBeforeLastConnect(at: Date) {
  return or(isNull(devices.lastConnectedAt), sql`${devices.lastConnectedAt} <= ${at.toISOString()}::timestamptz`);
}
