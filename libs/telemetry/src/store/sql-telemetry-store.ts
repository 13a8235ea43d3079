import { Inject, Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import type { Reading } from '#contracts';
import { DATABASE, type Database, tables } from '#database';
import {
  type DeadLetter,
  type ReadingBucket,
  type ReadingPoint,
  readingKey,
  type StreamRange,
  type TelemetryStore,
} from './telemetry-store.js';
import { type StreamEntry, StreamRegistry, streamKey } from './stream-registry.js';

/**
 * Epoch ms <-> timestamptz on the SQL side, so no driver ever converts a Date (node-postgres would
 * format it in the process's local time zone; PGlite has serializers of its own). to_timestamp() takes
 * float seconds and rounds to microseconds: for millisecond inputs below 2^53 us (year 2255; the decoder
 * refuses the future) the float error stays under half a microsecond, so the round trip is exact.
 * `extract(epoch ...)` answers an exact numeric.
 */
const toTimestamptz = (ms: number): SQL => sql`to_timestamp(${ms}::float8 / 1000.0)`;
const EPOCH_MS = (column: SQL): SQL => sql`(extract(epoch from ${column}) * 1000)::float8`;

interface InsertedRow extends Record<string, unknown> {
  stream_id: number;
  ts_ms: number;
}

interface StreamRow extends Record<string, unknown> {
  id: number;
  device_id: string;
  metric: string;
  max_ts: number | null;
}

/** TelemetryStore on the Drizzle database (PostgreSQL dialect: embedded PGlite or PostgreSQL). */
@Injectable()
export class SqlTelemetryStore implements TelemetryStore {
  private readonly streams = new StreamRegistry();

  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /**
   * The ingest hot path. Arrays are bound as parameters and expanded by unnest(): on PGlite ~1.7x
   * faster than a multi-row VALUES (which also hits the 65535-parameter limit at 16k rows), on
   * PostgreSQL ~2x; they must be bound with sql.param(), since a plain array in drizzle's sql template
   * expands to a `($1, $2, ...)` list. Readings newer than their stream's high-water mark are inserted
   * without RETURNING (measured ~1.35x faster on PGlite); the rest ask which rows were new.
   * Not re-entrant for the same stream: the BatchWriter runs one insert at a time.
   */
  async insert(readings: readonly Reading[]): Promise<Reading[]> {
    if (readings.length === 0) return [];
    const unique = new Map<string, Reading>();
    for (const r of readings) {
      const key = readingKey(r.deviceId, r.metric, r.ts);
      // ON CONFLICT DO NOTHING would also skip a repeat inside the statement, but which copy wins
      // would then be the executor's business; keep the first explicitly.
      if (!unique.has(key)) unique.set(key, r);
    }
    await this.resolveStreams(unique.values());

    const fresh: Columns = { ids: [], stamps: [], values: [] };
    const suspect: Columns = { ids: [], stamps: [], values: [] };
    const suspectReadings = new Set<Reading>();
    const newest = new Map<StreamEntry, number>();
    for (const r of unique.values()) {
      const entry = this.streams.get(r.deviceId, r.metric)!;
      const target = r.ts > entry.maxTs ? fresh : suspect;
      if (target === suspect) suspectReadings.add(r);
      target.ids.push(entry.id);
      target.stamps.push(r.ts);
      target.values.push(r.value);
      newest.set(entry, Math.max(newest.get(entry) ?? -Infinity, r.ts));
    }

    let insertedSuspects: InsertedRow[] = [];
    if (suspect.ids.length === 0) {
      await this.db.execute(insertPoints(fresh, false));
    } else {
      // Both statements in one transaction, so the high-water marks below are right either way.
      insertedSuspects = await this.db.transaction(async (tx) => {
        if (fresh.ids.length > 0) await tx.execute(insertPoints(fresh, false));
        const result: unknown = await tx.execute(insertPoints(suspect, true));
        return (result as { rows: InsertedRow[] }).rows;
      });
    }
    for (const [entry, ts] of newest) entry.maxTs = Math.max(entry.maxTs, ts);

    if (suspectReadings.size === 0) return [...unique.values()];
    const newSuspects = new Set(insertedSuspects.map((row) => `${row.stream_id}\u0000${row.ts_ms}`));
    const out: Reading[] = [];
    for (const r of unique.values()) {
      const entry = this.streams.get(r.deviceId, r.metric);
      if (!suspectReadings.has(r) || (entry && newSuspects.has(`${entry.id}\u0000${r.ts}`))) out.push(r);
    }
    return out;
  }

  /** Makes sure every (device, metric) of the batch has a stream id and a known high-water mark. */
  private async resolveStreams(readings: Iterable<Reading>): Promise<void> {
    const missingDevices: string[] = [];
    const missingMetrics: string[] = [];
    const seen = new Set<string>();
    for (const r of readings) {
      if (this.streams.get(r.deviceId, r.metric)) continue;
      const key = streamKey(r.deviceId, r.metric);
      if (seen.has(key)) continue;
      seen.add(key);
      missingDevices.push(r.deviceId);
      missingMetrics.push(r.metric);
    }
    if (missingDevices.length === 0) return;
    const devices = sql.param(missingDevices);
    const metrics = sql.param(missingMetrics);
    await this.db.execute(sql`
      INSERT INTO telemetry_streams (device_id, metric)
      SELECT d, m FROM unnest(${devices}::text[], ${metrics}::text[]) AS u(d, m)
      ON CONFLICT (device_id, metric) DO NOTHING`);
    // max(ts) per stream walks the primary key backwards: one index probe per new stream.
    const rows = await this.rows<StreamRow>(sql`
      SELECT s.id, s.device_id, s.metric,
             (SELECT ${EPOCH_MS(sql`max(p.ts)`)} FROM telemetry_points p WHERE p.stream_id = s.id) AS max_ts
      FROM telemetry_streams s
      JOIN unnest(${devices}::text[], ${metrics}::text[]) AS u(d, m) ON s.device_id = u.d AND s.metric = u.m`);
    for (const row of rows) {
      this.streams.set(row.device_id, row.metric, { id: row.id, maxTs: row.max_ts ?? -Infinity });
    }
  }

  async query(deviceId: string, metric: string, from: number, to: number, limit: number): Promise<ReadingPoint[]> {
    // Newest `limit` first through the primary key (backward index scan), then re-sorted ascending.
    const rows = await this.rows<{ ts_ms: number; value: number }>(sql`
      SELECT ts_ms, value FROM (
        SELECT ${EPOCH_MS(sql`p.ts`)} AS ts_ms, p.value
        FROM telemetry_points p JOIN telemetry_streams s ON s.id = p.stream_id
        WHERE s.device_id = ${deviceId} AND s.metric = ${metric}
          AND p.ts >= ${toTimestamptz(from)} AND p.ts <= ${toTimestamptz(to)}
        ORDER BY p.ts DESC LIMIT ${limit}
      ) newest ORDER BY ts_ms`);
    return rows.map((r) => ({ ts: r.ts_ms, value: r.value }));
  }

  async queryMany(ranges: readonly StreamRange[], limit: number): Promise<ReadingPoint[][]> {
    const out: ReadingPoint[][] = ranges.map(() => []);
    if (ranges.length === 0) return out;
    // One statement: the ranges as unnest()ed arrays, each stream's newest `limit` points by a LATERAL
    // backward scan of the primary key (the same plan as `query`, once per range).
    const rows = await this.rows<{ i: number; ts_ms: number; value: number }>(sql`
      SELECT newest.i, newest.ts_ms, newest.value FROM (
        SELECT (u.i - 1)::int AS i, p.ts_ms, p.value
        FROM unnest(${sql.param(ranges.map((r) => r.deviceId))}::text[],
                    ${sql.param(ranges.map((r) => r.metric))}::text[],
                    ${sql.param(ranges.map((r) => r.from))}::float8[],
                    ${sql.param(ranges.map((r) => r.to))}::float8[]) WITH ORDINALITY AS u(d, m, f, t, i)
        JOIN telemetry_streams s ON s.device_id = u.d AND s.metric = u.m
        CROSS JOIN LATERAL (
          SELECT ${EPOCH_MS(sql`q.ts`)} AS ts_ms, q.value FROM telemetry_points q
          WHERE q.stream_id = s.id AND q.ts >= to_timestamp(u.f / 1000.0) AND q.ts <= to_timestamp(u.t / 1000.0)
          ORDER BY q.ts DESC LIMIT ${limit}
        ) p
      ) newest ORDER BY newest.i, newest.ts_ms`);
    for (const r of rows) out[r.i]?.push({ ts: r.ts_ms, value: r.value });
    return out;
  }

  async queryBuckets(
    deviceId: string,
    metric: string,
    from: number,
    to: number,
    stepMs: number,
  ): Promise<ReadingBucket[]> {
    // date_bin (PostgreSQL 14+; PGlite is 17) aligned to the epoch, so a bucket's start does not
    // depend on the requested range and the same chart is stable while it scrolls.
    const rows = await this.rows<{ ts_ms: number; min: number; max: number; avg: number; count: number }>(sql`
      SELECT ${EPOCH_MS(sql`bucket`)} AS ts_ms, min(value) AS min, max(value) AS max, avg(value) AS avg,
             count(*)::int AS count
      FROM (
        SELECT date_bin(make_interval(secs => ${stepMs}::float8 / 1000.0), p.ts, TIMESTAMPTZ '1970-01-01 00:00:00+00')
                 AS bucket, p.value
        FROM telemetry_points p JOIN telemetry_streams s ON s.id = p.stream_id
        WHERE s.device_id = ${deviceId} AND s.metric = ${metric}
          AND p.ts >= ${toTimestamptz(from)} AND p.ts <= ${toTimestamptz(to)}
      ) binned
      GROUP BY bucket ORDER BY bucket`);
    return rows.map((r) => ({ ts: r.ts_ms, min: r.min, max: r.max, avg: r.avg, count: r.count }));
  }

  async latest(deviceId: string): Promise<Map<string, ReadingPoint>> {
    // One probe per stream of the device: its newest point through the primary key.
    const rows = await this.rows<{ metric: string; ts_ms: number; value: number }>(sql`
      SELECT s.metric, newest.ts_ms, newest.value
      FROM telemetry_streams s
      CROSS JOIN LATERAL (
        SELECT ${EPOCH_MS(sql`p.ts`)} AS ts_ms, p.value FROM telemetry_points p
        WHERE p.stream_id = s.id ORDER BY p.ts DESC LIMIT 1
      ) newest
      WHERE s.device_id = ${deviceId}
      ORDER BY s.metric`);
    return new Map(rows.map((r) => [r.metric, { ts: r.ts_ms, value: r.value }]));
  }

  /** Forgets cached stream ids and high-water marks (after the tables were changed behind the store's back). */
  forgetStreams(): void {
    this.streams.clear();
  }

  async insertDeadLetters(rows: readonly DeadLetter[]): Promise<void> {
    if (rows.length === 0) return;
    // One multi-row INSERT; dead letters are rare, so the query builder's VALUES form is fine here.
    await this.db.insert(tables.deadLetters).values(
      rows.map((r) => ({
        deviceId: r.deviceId,
        topic: r.topic,
        payload: r.payload,
        reason: r.reason,
        field: r.field,
        message: r.message,
        receivedAt: new Date(r.receivedAt),
      })),
    );
  }

  async countDeadLetters(deviceId?: string): Promise<number> {
    const where = deviceId === undefined ? sql`` : sql`WHERE device_id = ${deviceId}`;
    const rows = await this.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM dead_letters ${where}`);
    return rows[0]?.n ?? 0;
  }

  /** Both drivers put the rows of a raw statement under `rows`. */
  private async rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]> {
    const result = (await this.db.execute<T>(query)) as { rows: T[] };
    return result.rows;
  }
}

interface Columns {
  ids: number[];
  stamps: number[];
  values: number[];
}

function insertPoints(c: Columns, returning: boolean): SQL {
  return sql`
    INSERT INTO telemetry_points (stream_id, ts, value)
    SELECT s, to_timestamp(t / 1000.0), v
    FROM unnest(${sql.param(c.ids)}::int[], ${sql.param(c.stamps)}::float8[], ${sql.param(c.values)}::float8[]) AS u(s, t, v)
    ON CONFLICT (stream_id, ts) DO NOTHING
    ${returning ? sql`RETURNING stream_id, ${EPOCH_MS(sql`ts`)} AS ts_ms` : sql``}`;
}
