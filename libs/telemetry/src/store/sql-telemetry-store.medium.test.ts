import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Reading } from '#contracts';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { SqlTelemetryStore } from './sql-telemetry-store.js';

const H = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');
const r = (deviceId: string, metric: string, ts: number, value: number): Reading => ({ deviceId, metric, ts, value });

describe('SqlTelemetryStore', () => {
  let t: TestDatabase;
  let store: SqlTelemetryStore;

  beforeAll(async () => {
    t = await createTestDatabase();
    store = new SqlTelemetryStore(t.connection.db);
  });
  afterAll(async () => t.dispose());
  beforeEach(async () => {
    await t.connection.db.execute(sql`TRUNCATE telemetry_points, telemetry_streams, dead_letters`);
    // The store caches stream ids; the tables were emptied behind its back.
    store.forgetStreams();
  });

  const stored = () =>
    t.connection.rows<{ device_id: string; metric: string; ts: number; value: number }>(
      sql`SELECT device_id, metric, (extract(epoch from ts) * 1000)::float8 AS ts, value FROM readings
          ORDER BY device_id, metric, ts`,
    );

  it('answers only the new readings and stores a duplicate once', async () => {
    const first = [r('d1', 'humidity_pct', T0, 50), r('d1', 'humidity_pct', T0 + H, 51)];
    expect(await store.insert(first)).toEqual(first);
    // A QoS1 redelivery of the first plus one new reading, and a repeat inside the same call.
    const again = [
      r('d1', 'humidity_pct', T0, 99),
      r('d1', 'humidity_pct', T0 + 2 * H, 52),
      r('d1', 'humidity_pct', T0 + 2 * H, 77),
      r('d2', 'humidity_pct', T0, 10),
    ];
    expect(await store.insert(again)).toEqual([again[1], again[3]]);
    expect(await stored()).toEqual([
      { device_id: 'd1', metric: 'humidity_pct', ts: T0, value: 50 },
      { device_id: 'd1', metric: 'humidity_pct', ts: T0 + H, value: 51 },
      { device_id: 'd1', metric: 'humidity_pct', ts: T0 + 2 * H, value: 52 },
      { device_id: 'd2', metric: 'humidity_pct', ts: T0, value: 10 },
    ]);
    expect(await store.insert(again)).toEqual([]);
    expect(await store.insert([])).toEqual([]);
  });

  it('round-trips millisecond timestamps exactly, from 1970 to 2100', async () => {
    const stamps = [0, 1, 999, 1_795_333_100_122, 1_795_333_100_999, 4_102_444_800_001];
    for (let i = 0; i < 200; i++) stamps.push(Math.floor(Math.random() * 4_102_444_800_000));
    const readings = stamps.map((ts, i) => r('d1', 'battery_v', ts, i));
    expect(await store.insert(readings)).toHaveLength(new Set(stamps).size);
    const rows = await stored();
    expect(new Set(rows.map((x) => x.ts))).toEqual(new Set(stamps));
  });

  it('stores a batch of 1000 readings x 3 metrics in one call', async () => {
    const batch: Reading[] = [];
    for (let i = 0; i < 1000; i++) {
      const ts = T0 + i * H;
      batch.push(
        r('d1', 'corrosion_rate_mm_y', ts, 0.01 + i / 1e5),
        r('d1', 'cp_potential_mv', ts, -900),
        r('d1', 'battery_v', ts, 3.6),
      );
    }
    const fresh = await store.insert(batch);
    expect(fresh).toHaveLength(3000);
    expect(fresh[0]).toBe(batch[0]);
    const counts = await t.connection.rows<{ metric: string; n: number }>(
      sql`SELECT metric, count(*)::int AS n FROM readings GROUP BY metric ORDER BY metric`,
    );
    expect(counts).toEqual([
      { metric: 'battery_v', n: 1000 },
      { metric: 'corrosion_rate_mm_y', n: 1000 },
      { metric: 'cp_potential_mv', n: 1000 },
    ]);
    // Half of it again plus 10 new ones: only the 10 are new.
    const extra = Array.from({ length: 10 }, (_, i) => r('d1', 'battery_v', T0 - (i + 1) * H, 3.5));
    expect(await store.insert([...batch.slice(0, 1500), ...extra])).toEqual(extra);
  });

  describe('queries', () => {
    beforeEach(async () => {
      // Hourly humidity over 6 h, another metric and another device that must not leak in.
      await store.insert([
        r('d1', 'humidity_pct', T0, 10),
        r('d1', 'humidity_pct', T0 + 0.5 * H, 20),
        r('d1', 'humidity_pct', T0 + H, 30),
        r('d1', 'humidity_pct', T0 + 1.75 * H, 60),
        r('d1', 'humidity_pct', T0 + 3 * H, 5),
        r('d1', 'humidity_pct', T0 + 5 * H + 1, 7.5),
        r('d1', 'temperature_c', T0, -5),
        r('d1', 'temperature_c', T0 + 2 * H, -4),
        r('d2', 'humidity_pct', T0, 99),
      ]);
    });

    it('raw: the range, both ends inclusive, ascending', async () => {
      expect(await store.query('d1', 'humidity_pct', T0 + 0.5 * H, T0 + 3 * H, 100)).toEqual([
        { ts: T0 + 0.5 * H, value: 20 },
        { ts: T0 + H, value: 30 },
        { ts: T0 + 1.75 * H, value: 60 },
        { ts: T0 + 3 * H, value: 5 },
      ]);
      expect(await store.query('d1', 'humidity_pct', T0 + 6 * H, T0 + 7 * H, 100)).toEqual([]);
      expect(await store.query('nope', 'humidity_pct', 0, T0 + 7 * H, 100)).toEqual([]);
    });

    it('raw with a limit: the newest points of the range, still ascending', async () => {
      expect(await store.query('d1', 'humidity_pct', 0, T0 + 10 * H, 2)).toEqual([
        { ts: T0 + 3 * H, value: 5 },
        { ts: T0 + 5 * H + 1, value: 7.5 },
      ]);
    });

    it('several streams in one read: each range as `query` answers it, in the order asked', async () => {
      const ranges = [
        { deviceId: 'd1', metric: 'humidity_pct', from: T0 + 0.5 * H, to: T0 + 3 * H },
        { deviceId: 'nope', metric: 'humidity_pct', from: 0, to: T0 + 7 * H },
        { deviceId: 'd2', metric: 'humidity_pct', from: 0, to: T0 + 7 * H },
        { deviceId: 'd1', metric: 'temperature_c', from: T0, to: T0 + 2 * H - 1 },
        // The same stream twice, another range: answered on its own.
        { deviceId: 'd1', metric: 'humidity_pct', from: 0, to: T0 + 10 * H },
        { deviceId: 'd1', metric: 'humidity_pct', from: T0 + 6 * H, to: T0 + 7 * H },
      ];
      for (const limit of [100, 2, 1]) {
        const expected = await Promise.all(ranges.map((q) => store.query(q.deviceId, q.metric, q.from, q.to, limit)));
        expect(await store.queryMany(ranges, limit)).toEqual(expected);
      }
      expect((await store.queryMany(ranges, 2))[4]).toEqual([
        { ts: T0 + 3 * H, value: 5 },
        { ts: T0 + 5 * H + 1, value: 7.5 },
      ]);
      expect(await store.queryMany([], 10)).toEqual([]);
    });

    it('bucketed hourly: min / max / avg / count computed by hand, empty buckets omitted', async () => {
      expect(await store.queryBuckets('d1', 'humidity_pct', T0, T0 + 6 * H, H)).toEqual([
        { ts: T0, min: 10, max: 20, avg: 15, count: 2 },
        { ts: T0 + H, min: 30, max: 60, avg: 45, count: 2 },
        { ts: T0 + 3 * H, min: 5, max: 5, avg: 5, count: 1 },
        { ts: T0 + 5 * H, min: 7.5, max: 7.5, avg: 7.5, count: 1 },
      ]);
    });

    it('bucket starts are aligned to the epoch, not to the range start', async () => {
      // T0 = 1_793_491_200_000 = 332_128 x 90 min: the 90-minute buckets start at T0 even though the
      // range starts at T0 + 15 min.
      expect(await store.queryBuckets('d1', 'humidity_pct', T0 + 0.25 * H, T0 + 6 * H, 1.5 * H)).toEqual([
        { ts: T0, min: 20, max: 30, avg: 25, count: 2 },
        { ts: T0 + 1.5 * H, min: 60, max: 60, avg: 60, count: 1 },
        { ts: T0 + 3 * H, min: 5, max: 5, avg: 5, count: 1 },
        { ts: T0 + 4.5 * H, min: 7.5, max: 7.5, avg: 7.5, count: 1 },
      ]);
      // T0 = 71_170 x 7 h + 2 h: the 7-hour bucket holding T0 starts 2 h before it.
      expect(await store.queryBuckets('d1', 'humidity_pct', T0, T0 + 6 * H, 7 * H)).toEqual([
        { ts: T0 - 2 * H, min: 5, max: 60, avg: 25, count: 5 },
        { ts: T0 + 5 * H, min: 7.5, max: 7.5, avg: 7.5, count: 1 },
      ]);
      expect(await store.queryBuckets('d1', 'humidity_pct', T0, T0 + 6 * H, 24 * H)).toEqual([
        { ts: T0, min: 5, max: 60, avg: (10 + 20 + 30 + 60 + 5 + 7.5) / 6, count: 6 },
      ]);
    });

    it('latest value per metric', async () => {
      const latest = await store.latest('d1');
      expect(Object.fromEntries(latest)).toEqual({
        humidity_pct: { ts: T0 + 5 * H + 1, value: 7.5 },
        temperature_c: { ts: T0 + 2 * H, value: -4 },
      });
      expect((await store.latest('nope')).size).toBe(0);
    });
  });

  it('dead letters: one statement for several rows, counted per device, payload kept raw', async () => {
    const payload = Buffer.from([0x7b, 0x00, 0xff, 0x22]);
    await store.insertDeadLetters([
      {
        deviceId: 'd1',
        topic: 'devices/d1/telemetry',
        payload,
        reason: 'invalid_json',
        field: '$',
        message: 'bad',
        receivedAt: T0,
      },
      {
        deviceId: 'd1',
        topic: 'devices/d1/telemetry',
        payload,
        reason: 'out_of_range',
        field: 'metrics.humidity_pct',
        message: 'm',
        receivedAt: T0,
      },
      {
        deviceId: 'd2',
        topic: 'devices/d2/telemetry',
        payload,
        reason: 'empty_metrics',
        field: '$',
        message: 'm',
        receivedAt: T0 + 1,
      },
    ]);
    await store.insertDeadLetters([]);
    expect(await store.countDeadLetters()).toBe(3);
    expect(await store.countDeadLetters('d1')).toBe(2);
    expect(await store.countDeadLetters('zz')).toBe(0);
    const rows = await t.connection.rows<{ payload: Uint8Array; received_ms: number; field: string }>(
      sql`SELECT payload, (extract(epoch from received_at) * 1000)::float8 AS received_ms, field
          FROM dead_letters WHERE device_id = 'd2'`,
    );
    expect(Buffer.from(rows[0]!.payload)).toEqual(payload);
    expect(rows[0]!.received_ms).toBe(T0 + 1);
  });
});

describe('SqlTelemetryStore after a restart (empty stream cache)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.dispose());

  it('learns each stream high-water mark from the database: redeliveries are not new, backfill is', async () => {
    const before = new SqlTelemetryStore(t.connection.db);
    await before.insert([r('d9', 'battery_v', T0, 3.6), r('d9', 'battery_v', T0 + 2 * H, 3.5)]);
    const after = new SqlTelemetryStore(t.connection.db);
    const redelivered = r('d9', 'battery_v', T0 + 2 * H, 3.5);
    const backfill = r('d9', 'battery_v', T0 + H, 3.55);
    const live = r('d9', 'battery_v', T0 + 3 * H, 3.4);
    expect(await after.insert([redelivered, backfill, live])).toEqual([backfill, live]);
    const rows = await t.connection.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM readings WHERE device_id = 'd9' AND metric = 'battery_v'`,
    );
    expect(rows[0]!.n).toBe(4);
  });
});
