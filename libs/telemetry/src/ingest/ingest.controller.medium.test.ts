import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestingModule } from '@nestjs/testing';
import { sql } from 'drizzle-orm';
import type { DevicePublishMessage, DomainEventOf, Reading } from '#contracts';
import { DATABASE, type Database } from '#database';
import { DomainEventBus, MetricsRegistry } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { SqlTelemetryStore } from '../store/sql-telemetry-store.js';
import { TELEMETRY_STORE, type TelemetryStore } from '../store/telemetry-store.js';
import { StubDeviceAccessPolicy, telemetryTestingModule } from '../testing/telemetry-test-module.js';
import { BatchWriter } from './batch-writer.js';
import { IngestController } from './ingest.controller.js';
import { ReadingStream } from './reading-stream.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const T = Date.parse('2026-11-04T00:00:00Z');
const H = 3_600_000;

const message = (payload: unknown, deviceId = 'dft-001'): DevicePublishMessage => ({
  deviceId,
  topic: `devices/${deviceId}/telemetry`,
  payload: Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)),
  qos: 1,
  receivedAt: NOW - 3,
});

/** Delegates to the SQL store, failing on demand. */
class SwitchableStore implements TelemetryStore {
  failInsert = false;
  failDeadLetters = false;
  constructor(private readonly inner: TelemetryStore) {}
  insert(readings: readonly Reading[]) {
    return this.failInsert ? Promise.reject(new Error('storage is down')) : this.inner.insert(readings);
  }
  query(...a: Parameters<TelemetryStore['query']>) {
    return this.inner.query(...a);
  }
  queryMany(...a: Parameters<TelemetryStore['queryMany']>) {
    return this.inner.queryMany(...a);
  }
  queryBuckets(...a: Parameters<TelemetryStore['queryBuckets']>) {
    return this.inner.queryBuckets(...a);
  }
  latest(deviceId: string) {
    return this.inner.latest(deviceId);
  }
  insertDeadLetters(...a: Parameters<TelemetryStore['insertDeadLetters']>) {
    return this.failDeadLetters ? Promise.reject(new Error('dead letters down')) : this.inner.insertDeadLetters(...a);
  }
  countDeadLetters(deviceId?: string) {
    return this.inner.countDeadLetters(deviceId);
  }
}

describe('IngestController (Nest module on a real database)', () => {
  let t: TestDatabase;
  let moduleRef: TestingModule;
  let ingest: IngestController;
  let store: SwitchableStore;
  const events: Array<DomainEventOf<'telemetry.rejected'>> = [];
  const streamed: Reading[] = [];

  beforeAll(async () => {
    t = await createTestDatabase();
    const { builder } = telemetryTestingModule({
      connection: t.connection,
      policy: new StubDeviceAccessPolicy({}),
      now: NOW,
      // A long wait: a handler that completed before the commit would be caught by the row counts.
      batch: { maxWaitMs: 50 },
    });
    moduleRef = await builder
      .overrideProvider(TELEMETRY_STORE)
      .useFactory({ factory: (db: Database) => new SwitchableStore(new SqlTelemetryStore(db)), inject: [DATABASE] })
      .compile();
    await moduleRef.init();
    ingest = moduleRef.get(IngestController);
    store = moduleRef.get(TELEMETRY_STORE);
    moduleRef
      .get(DomainEventBus)
      .on('telemetry.rejected')
      .subscribe((e) => events.push(e));
    moduleRef.get(ReadingStream).readings$.subscribe((r) => streamed.push(r));
  });

  afterAll(async () => {
    await moduleRef.close();
    await t.dispose();
  });

  const rows = (deviceId = 'dft-001') =>
    t.connection.rows<{ metric: string; ts: number; value: number }>(
      sql`SELECT metric, (extract(epoch from ts) * 1000)::float8 AS ts, value FROM readings
          WHERE device_id = ${deviceId} ORDER BY ts, metric`,
    );
  const deadLetters = (deviceId = 'dft-001') =>
    t.connection.rows<{ reason: string; field: string; message: string; topic: string; payload: Uint8Array }>(
      sql`SELECT reason, field, message, topic, payload FROM dead_letters WHERE device_id = ${deviceId} ORDER BY id`,
    );
  const metricsText = () => moduleRef.get(MetricsRegistry).registry.metrics();
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

  it('stores the valid readings before completing, dead-letters the bad one, and emits telemetry.rejected', async () => {
    const payload = [
      { ts: '2026-11-04T00:00:00Z', seq: 7, metrics: { coating_thickness_um: 240, humidity_pct: 400 } },
      { ts: '2026-11-04T01:00:00Z', seq: 8, metrics: { coating_thickness_um: 239 } },
    ];
    const msg = message(payload);
    await ingest.onTelemetry(msg);
    // Durable at completion: the broker sends the PUBACK now.
    expect(await rows()).toEqual([
      { metric: 'coating_thickness_um', ts: T, value: 240 },
      { metric: 'coating_thickness_um', ts: T + H, value: 239 },
    ]);
    const dead = await deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({
      reason: 'out_of_range',
      field: '[0].metrics.humidity_pct',
      message: 'humidity_pct 400 is outside 0..100 %',
      topic: 'devices/dft-001/telemetry',
    });
    expect(Buffer.from(dead[0]!.payload)).toEqual(msg.payload);
    expect(events).toEqual([
      {
        type: 'telemetry.rejected',
        deviceId: 'dft-001',
        reason: 'out_of_range',
        count: 1,
        error: {
          error: 'out_of_range',
          field: '[0].metrics.humidity_pct',
          message: 'humidity_pct 400 is outside 0..100 %',
          topic: 'devices/dft-001/telemetry',
          seq: 7,
          rejected: 1,
          accepted: 2,
          at: new Date(NOW).toISOString(),
        },
      },
    ]);
    await settle();
    expect(streamed.map((r) => [r.metric, r.ts, r.value])).toEqual([
      ['coating_thickness_um', T, 240],
      ['coating_thickness_um', T + H, 239],
    ]);
    const text = await metricsText();
    expect(text).toMatch(/telemetry_readings_rejected_total\{reason="out_of_range"\} 1/);
    expect(text).toMatch(/telemetry_readings_accepted_total 2/);
  });

  it('a QoS1 redelivery stores nothing twice and streams nothing again', async () => {
    const before = streamed.length;
    await ingest.onTelemetry(message([{ ts: '2026-11-04T01:00:00Z', metrics: { coating_thickness_um: 239 } }]));
    await settle();
    expect(await rows()).toHaveLength(2);
    expect(streamed).toHaveLength(before);
    expect(await metricsText()).toMatch(/telemetry_readings_duplicate_total 1/);
  });

  it('concurrent messages of several devices are committed together and each completes', async () => {
    await Promise.all(
      ['a', 'b', 'c'].map((d) =>
        ingest.onTelemetry(message({ ts: T, metrics: { battery_v: 3.3, temperature_c: 5 } }, `dev-${d}`)),
      ),
    );
    for (const d of ['a', 'b', 'c']) expect(await rows(`dev-${d}`)).toHaveLength(2);
  });

  it('a wholly bad payload completes (no redelivery), answers once and counts by reason', async () => {
    const before = events.length;
    await expect(ingest.onTelemetry(message('{"ts": 1, "metrics": {', 'dev-bad'))).resolves.toBeUndefined();
    expect(events.slice(before)).toEqual([
      expect.objectContaining({
        reason: 'invalid_json',
        count: 1,
        error: expect.objectContaining({ field: '$', accepted: 0 }),
      }),
    ]);
    expect(await deadLetters('dev-bad')).toEqual([expect.objectContaining({ reason: 'invalid_json', field: '$' })]);
    expect(await rows('dev-bad')).toEqual([]);
  });

  it('one error message per payload, with the totals, and at most 10 dead letters per payload', async () => {
    const before = events.length;
    const payload = Array.from({ length: 25 }, (_, i) => ({ ts: T + i, metrics: { 'Bad-Name': 1, battery_v: 3 } }));
    await ingest.onTelemetry(message(payload, 'dev-many'));
    const answered = events.slice(before);
    expect(answered).toHaveLength(1);
    expect(answered[0]!.error).toMatchObject({
      error: 'invalid_metric_name',
      field: '[0].metrics["Bad-Name"]',
      rejected: 25,
      accepted: 25,
    });
    expect(answered[0]!.error.message).toMatch(/and 24 more problems/);
    const dead = await deadLetters('dev-many');
    expect(dead).toHaveLength(10);
    expect(dead[9]!.message).toMatch(/\+15 more rejections/);
    expect(await rows('dev-many')).toHaveLength(25);
    expect(await metricsText()).toMatch(/telemetry_readings_rejected_total\{reason="invalid_metric_name"\} 25/);
  });

  it('when the dead letters cannot be written, the device is still answered and the handler completes', async () => {
    store.failDeadLetters = true;
    try {
      const before = events.length;
      await expect(
        ingest.onTelemetry(message({ ts: T, metrics: { humidity_pct: -1, battery_v: 3 } }, 'dev-dl')),
      ).resolves.toBeUndefined();
      expect(events.slice(before)).toEqual([expect.objectContaining({ reason: 'out_of_range', deviceId: 'dev-dl' })]);
      expect(await rows('dev-dl')).toHaveLength(1);
    } finally {
      store.failDeadLetters = false;
    }
  });

  it('when storage fails the handler rejects (no PUBACK), and the rejections are still answered', async () => {
    store.failInsert = true;
    try {
      const before = events.length;
      await expect(
        ingest.onTelemetry(message({ ts: T, metrics: { humidity_pct: 101, battery_v: 3 } }, 'dev-down')),
      ).rejects.toThrow(/storage is down/);
      expect(events.slice(before)).toHaveLength(1);
    } finally {
      store.failInsert = false;
    }
    // The redelivery, once storage is back, is stored.
    await ingest.onTelemetry(message({ ts: T, metrics: { humidity_pct: 101, battery_v: 3 } }, 'dev-down'));
    expect(await rows('dev-down')).toHaveLength(1);
  });

  it('with the database closed, the handler rejects', async () => {
    const other = await createTestDatabase();
    const { builder } = telemetryTestingModule({
      connection: other.connection,
      policy: new StubDeviceAccessPolicy({}),
      now: NOW,
    });
    const closedRef = await builder.compile();
    await closedRef.init();
    try {
      await other.connection.close();
      await expect(
        closedRef.get(IngestController).onTelemetry(message({ ts: T, metrics: { battery_v: 3 } })),
      ).rejects.toThrow();
    } finally {
      // The writer has nothing left; closing the module must not hang on the closed database.
      await closedRef.get(BatchWriter).close();
      await closedRef.close();
      await other.dispose();
    }
  });
});
