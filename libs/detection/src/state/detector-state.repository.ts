import { Inject, Injectable, Logger } from '@nestjs/common';
import { and, eq, gte, inArray, max, sql } from 'drizzle-orm';
import { DATABASE, type Database } from '#database';
import type { PairedMemberSnapshot, StreamSnapshot } from '../core/index.js';
import { type PendingDebounce, detectorState } from './detector-state.tables.js';

export interface StoredStreamState {
  readonly deviceId: string;
  readonly metric: string;
  readonly snapshot: StreamSnapshot;
  readonly pending: PendingDebounce | null;
  readonly lastEventTime: number | null;
  readonly live: boolean;
}

/** A device's member state of drift against paired sensors (PairedDriftGroup), for one metric. */
export interface StoredPairedState {
  readonly deviceId: string;
  /** The metric (stored under `pairedStateKey(metric)`). */
  readonly metric: string;
  readonly paired: PairedMemberSnapshot;
}

export type StoredState = StoredStreamState | StoredPairedState;

/** Metric key of a paired-drift state row (a colon never occurs in a metric name, see METRIC_NAME_PATTERN). */
const PAIRED_KEY_PREFIX = 'paired:';

export function pairedStateKey(metric: string): string {
  return PAIRED_KEY_PREFIX + metric;
}

const PG_FOREIGN_KEY_VIOLATION = '23503';

/** The `detector_state` table: one snapshot per (device, metric). */
@Injectable()
export class DetectorStateRepository {
  private readonly logger = new Logger('DetectorStateRepository');

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async loadDevice(deviceId: string): Promise<StoredState[]> {
    const rows = await this.db.select().from(detectorState).where(eq(detectorState.deviceId, deviceId));
    return rows.map(toStored);
  }

  /** The snapshots of several devices in one query: every id asked has an entry (empty when it has none). */
  async loadDevices(deviceIds: readonly string[]): Promise<Map<string, StoredState[]>> {
    const out = new Map<string, StoredState[]>(deviceIds.map((id) => [id, []]));
    if (deviceIds.length === 0) return out;
    const rows = await this.db
      .select()
      .from(detectorState)
      .where(inArray(detectorState.deviceId, [...deviceIds]));
    for (const r of rows) out.get(r.deviceId)?.push(toStored(r));
    return out;
  }

  /** Devices that were live when their state was last written, with their newest event time (paired rows are never live). */
  async liveDevices(since: number): Promise<Array<{ deviceId: string; lastEventTime: number }>> {
    const rows = await this.db
      .select({ deviceId: detectorState.deviceId, last: max(detectorState.lastEventTime) })
      .from(detectorState)
      .where(and(eq(detectorState.live, true), gte(detectorState.lastEventTime, new Date(since))))
      .groupBy(detectorState.deviceId);
    return rows.flatMap((r) => (r.last ? [{ deviceId: r.deviceId, lastEventTime: new Date(r.last).getTime() }] : []));
  }

  /**
   * Upserts snapshots in one statement. A device deleted meanwhile fails the batch on its foreign key: the
   * rows are then written one by one and the deleted device's are dropped. Answers the rows written.
   */
  async saveMany(rows: readonly StoredState[], now: number): Promise<number> {
    if (rows.length === 0) return 0;
    try {
      await this.upsert(rows, now);
      return rows.length;
    } catch (error) {
      if (pgCode(error) !== PG_FOREIGN_KEY_VIOLATION) throw error;
    }
    let written = 0;
    for (const row of rows) {
      try {
        await this.upsert([row], now);
        written += 1;
      } catch (error) {
        if (pgCode(error) !== PG_FOREIGN_KEY_VIOLATION) throw error;
        this.logger.debug(`device ${row.deviceId} is gone: its detector state is not kept`);
      }
    }
    return written;
  }

  async deleteDevice(deviceId: string): Promise<void> {
    await this.db.delete(detectorState).where(eq(detectorState.deviceId, deviceId));
  }

  private async upsert(rows: readonly StoredState[], now: number): Promise<void> {
    const updatedAt = new Date(now);
    await this.db
      .insert(detectorState)
      .values(
        rows.map((r) =>
          'paired' in r
            ? {
                deviceId: r.deviceId,
                metric: pairedStateKey(r.metric),
                snapshot: r.paired,
                pending: null,
                lastEventTime: null,
                live: false,
                updatedAt,
              }
            : {
                deviceId: r.deviceId,
                metric: r.metric,
                snapshot: r.snapshot,
                pending: r.pending,
                lastEventTime: r.lastEventTime === null ? null : new Date(r.lastEventTime),
                live: r.live,
                updatedAt,
              },
        ),
      )
      .onConflictDoUpdate({
        target: [detectorState.deviceId, detectorState.metric],
        set: {
          snapshot: sql`excluded.snapshot`,
          pending: sql`excluded.pending`,
          lastEventTime: sql`excluded.last_event_time`,
          live: sql`excluded.live`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
}

function toStored(r: typeof detectorState.$inferSelect): StoredState {
  if (r.metric.startsWith(PAIRED_KEY_PREFIX)) {
    // The key says which shape the row holds (the column's type is the union of both).
    const paired = r.snapshot as PairedMemberSnapshot;
    return { deviceId: r.deviceId, metric: r.metric.slice(PAIRED_KEY_PREFIX.length), paired };
  }
  return {
    deviceId: r.deviceId,
    metric: r.metric,
    snapshot: r.snapshot as StreamSnapshot,
    pending: r.pending,
    lastEventTime: r.lastEventTime?.getTime() ?? null,
    live: r.live,
  };
}

export function pgCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
