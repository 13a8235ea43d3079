import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MqttClient } from 'mqtt';
import { sql } from 'drizzle-orm';
import { DatabaseConnection } from '#database';
import {
  closeClient,
  connectDevice,
  provisionDevice,
  publish,
  removeDataDir,
  startTestGateway,
  type ProvisionedDevice,
  type TestGateway,
} from '../support/test-gateway.js';

/** The whole gateway in-process: real aedes on ephemeral ports, real mqtt.js client, real database. */
describe('MQTT ingestion through the whole gateway', () => {
  let gw: TestGateway;
  let dev: ProvisionedDevice;
  let other: ProvisionedDevice;
  let client: MqttClient;
  const errors: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    gw = await startTestGateway({ env: { INGEST_BATCH_MAX_WAIT_MS: '150', MQTT_MAX_PACKET_BYTES: '262144' } });
    dev = await provisionDevice(gw, 'dft-001');
    other = await provisionDevice(gw, 'dft-002');
    client = await connectDevice(gw.mqttUrl, dev.deviceId, dev.token);
    await client.subscribeAsync(`devices/${dev.deviceId}/errors`, { qos: 1 });
    client.on('message', (topic, payload) => {
      if (topic.endsWith('/errors')) errors.push(JSON.parse(payload.toString()) as Record<string, unknown>);
    });
  });

  afterAll(async () => {
    await closeClient(client);
    await gw.stop();
    await removeDataDir(gw.dataDir);
  });

  const db = () => gw.gateway.app.get(DatabaseConnection);
  const count = async (deviceId: string, metric?: string) => {
    const rows = await db().rows<{ n: number }>(
      metric
        ? sql`select count(*)::int as n from readings where device_id = ${deviceId} and metric = ${metric}`
        : sql`select count(*)::int as n from readings where device_id = ${deviceId}`,
    );
    return rows[0]!.n;
  };
  const topic = (id: string) => `devices/${id}/telemetry`;
  const waitFor = async (predicate: () => boolean, what: string) => {
    for (let i = 0; i < 200 && !predicate(); i++) await new Promise((r) => setTimeout(r, 25));
    if (!predicate()) throw new Error(`timed out waiting for ${what}`);
  };

  it('a reading acked at QoS1 is in the database at the moment of the ack', async () => {
    // The batch writer waits up to 150 ms to fill a batch: an ack sent before the commit would be
    // observed here as a missing row.
    await publish(
      client,
      topic(dev.deviceId),
      JSON.stringify({ ts: '2026-11-01T00:00:00Z', metrics: { coating_thickness_um: 251.3 } }),
    );
    expect(await count(dev.deviceId, 'coating_thickness_um')).toBe(1);
  });

  it('accepts the native shape, the ThingsBoard shape and a bare object', async () => {
    await publish(
      client,
      topic(dev.deviceId),
      JSON.stringify({ ts: 1793491200000, seq: 1, metrics: { temperature_c: 21.5 } }),
    );
    await publish(client, topic(dev.deviceId), JSON.stringify([{ ts: 1793494800000, values: { temperature_c: 22 } }]));
    await publish(client, topic(dev.deviceId), JSON.stringify({ humidity_pct: 55 }));
    expect(await count(dev.deviceId, 'temperature_c')).toBe(2);
    expect(await count(dev.deviceId, 'humidity_pct')).toBe(1);
    const res = await gw.api<{ deviceId: string; metric: string; points: Array<{ ts: string; value: number }> }>(
      'GET',
      `/api/devices/${dev.deviceId}/readings?metric=temperature_c&from=2026-10-01T00:00:00Z&to=2026-12-01T00:00:00Z`,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      deviceId: dev.deviceId,
      metric: 'temperature_c',
      points: [
        { ts: '2026-11-01T00:00:00.000Z', value: 21.5 },
        { ts: '2026-11-01T01:00:00.000Z', value: 22 },
      ],
    });
  });

  it('stores a batch of 1000 readings from one message', async () => {
    const start = Date.parse('2025-01-01T00:00:00Z');
    const batch = Array.from({ length: 1000 }, (_, i) => ({
      ts: start + i * 3_600_000,
      metrics: { corrosion_rate_mm_y: 0.01 + i / 1e5, cp_potential_mv: -900, battery_v: 3.6 },
    }));
    await publish(client, topic(dev.deviceId), JSON.stringify(batch));
    expect(await count(dev.deviceId, 'corrosion_rate_mm_y')).toBe(1000);
    expect(await count(dev.deviceId, 'cp_potential_mv')).toBe(1000);
  });

  it('stores a QoS1 redelivery (DUP) only once', async () => {
    const payload = JSON.stringify({ ts: '2026-11-02T00:00:00Z', metrics: { metal_loss_um: 12.5 } });
    await publish(client, topic(dev.deviceId), payload);
    await new Promise<void>((resolve, reject) =>
      client.publish(topic(dev.deviceId), payload, { qos: 1, dup: true }, (e) => (e ? reject(e) : resolve())),
    );
    expect(await count(dev.deviceId, 'metal_loss_um')).toBe(1);
  });

  it.each([
    ['invalid JSON', '{"ts": 1, "metrics": {', 'invalid_json'],
    ['wrong types', JSON.stringify({ ts: true, metrics: { temperature_c: 20 } }), 'invalid_timestamp'],
    [
      'a number as a string',
      JSON.stringify({ ts: '2026-11-03T00:00:00Z', metrics: { temperature_c: '20.5' } }),
      'invalid_value',
    ],
    ['NaN', JSON.stringify({ ts: '2026-11-03T00:00:00Z', metrics: { temperature_c: 'NaN' } }), 'invalid_value'],
    ['out of range', JSON.stringify({ ts: '2026-11-03T00:00:00Z', metrics: { humidity_pct: 140 } }), 'out_of_range'],
    [
      'a bad metric name',
      JSON.stringify({ ts: '2026-11-03T00:00:00Z', metrics: { 'Bad-Name': 1 } }),
      'invalid_metric_name',
    ],
    [
      'too many readings',
      JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ ts: i + 1, metrics: { battery_v: 3 } }))),
      'too_many_readings',
    ],
    [
      'a future timestamp',
      JSON.stringify({ ts: Date.now() + 3_600_000, metrics: { temperature_c: 20 } }),
      'future_timestamp',
    ],
  ])(
    'answers %s on the errors topic, keeps a dead letter, and the connection carries on',
    async (_name, payload, reason) => {
      const before = errors.length;
      await publish(client, topic(dev.deviceId), payload);
      await waitFor(() => errors.length > before, `an error message for ${reason}`);
      const error = errors[errors.length - 1]!;
      expect(error).toMatchObject({ error: reason, topic: topic(dev.deviceId) });
      expect(typeof error['field']).toBe('string');
      expect(String(error['message']).length).toBeGreaterThan(0);
      const dead = await db().rows<{ n: number }>(
        sql`select count(*)::int as n from dead_letters where device_id = ${dev.deviceId} and reason = ${reason}`,
      );
      expect(dead[0]!.n).toBeGreaterThanOrEqual(1);
      expect(client.connected).toBe(true);
    },
  );

  it('stores the valid readings of a message that also holds bad ones', async () => {
    const before = errors.length;
    await publish(
      client,
      topic(dev.deviceId),
      JSON.stringify([
        { ts: '2026-11-04T00:00:00Z', metrics: { coating_thickness_um: 240, humidity_pct: 400 } },
        { ts: '2026-11-04T01:00:00Z', metrics: { coating_thickness_um: 239 } },
      ]),
    );
    await waitFor(() => errors.length > before, 'the error for humidity_pct');
    expect(errors[errors.length - 1]).toMatchObject({ error: 'out_of_range', field: '[0].metrics.humidity_pct' });
    const rows = await db().rows<{ value: number }>(
      sql`select value from readings where device_id = ${dev.deviceId} and metric = 'coating_thickness_um' and ts >= '2026-11-04' order by ts`,
    );
    expect(rows.map((r) => r.value)).toEqual([240, 239]);
  });

  it('counts rejections by reason and accepted readings in /metrics', async () => {
    const res = await fetch(`${gw.baseUrl}/metrics`);
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toMatch(/telemetry_readings_rejected_total\{[^}]*reason="out_of_range"[^}]*\} [1-9]/);
    expect(text).toMatch(/telemetry_readings_accepted_total(\{[^}]*\})? [1-9]/);
    expect(text).toMatch(/telemetry_batch_write_seconds_bucket/);
    expect(text).toMatch(/mqtt_connected_devices\s+[1-9]/);
  });

  it('ACL: a device publishing into another device topic stores nothing', async () => {
    const before = await count(other.deviceId);
    await new Promise<void>((resolve) => {
      client.publish(topic(other.deviceId), JSON.stringify({ temperature_c: 20 }), { qos: 0 }, () => resolve());
    });
    // Prove the broker processed it: a later message of the same connection is stored.
    await publish(
      client,
      topic(dev.deviceId),
      JSON.stringify({ ts: '2026-11-05T00:00:00Z', metrics: { battery_v: 3.3 } }),
    );
    expect(await count(other.deviceId)).toBe(before);
  });

  it('ACL: subscribing to another device topics is refused', async () => {
    const c = await connectDevice(gw.mqttUrl, other.deviceId, other.token);
    try {
      // mqtt.js rejects subscribeAsync when a SUBACK code is 0x80; the codes travel on the error.
      const granted = await c
        .subscribeAsync([`devices/${dev.deviceId}/errors`, `devices/${dev.deviceId}/commands`, 'devices/#'])
        .catch((error: { packet?: { granted?: number[] } }) => (error.packet?.granted ?? []).map((qos) => ({ qos })));
      expect(granted.map((g) => g.qos)).toEqual([128, 128, 128]);
      const own = await c.subscribeAsync(`devices/${other.deviceId}/commands`, { qos: 1 });
      expect(own[0]!.qos).toBe(1);
      expect(c.connected).toBe(true);
    } finally {
      await closeClient(c);
    }
  });

  it('refuses CONNECT for an unknown device, a wrong token and a disabled device', async () => {
    await expect(connectDevice(gw.mqttUrl, 'no-such-device', 'dev_whatever')).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(connectDevice(gw.mqttUrl, other.deviceId, 'dev_wrong-token')).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    const third = await provisionDevice(gw, 'dft-003');
    const live = await connectDevice(gw.mqttUrl, third.deviceId, third.token);
    const closed = new Promise<void>((resolve) => live.once('close', () => resolve()));
    const patch = await gw.api('PATCH', `/api/devices/${third.deviceId}`, { enabled: false });
    expect(patch.status).toBe(200);
    await closed; // disabling disconnects the live session
    await expect(connectDevice(gw.mqttUrl, third.deviceId, third.token)).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await closeClient(live);
  });

  it('a packet above the maximum size closes that connection only; the broker carries on', async () => {
    const big = await connectDevice(gw.mqttUrl, other.deviceId, other.token);
    const closed = new Promise<void>((resolve) => big.once('close', () => resolve()));
    big.publish(topic(other.deviceId), Buffer.alloc(300_000, 0x20), { qos: 1 });
    await closed;
    await closeClient(big);
    await publish(
      client,
      topic(dev.deviceId),
      JSON.stringify({ ts: '2026-11-06T00:00:00Z', metrics: { battery_v: 3.2 } }),
    );
    expect(await count(dev.deviceId, 'battery_v')).toBeGreaterThanOrEqual(1002);
    expect(client.connected).toBe(true);
  });

  it('keeps each device online state and last-seen time, shown by GET /api/devices/{id}', async () => {
    const res = await gw.api<{ online: boolean; lastSeenAt: string | null; lastConnectedAt: string | null }>(
      'GET',
      `/api/devices/${dev.deviceId}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.online).toBe(true);
    expect(res.body.lastConnectedAt).not.toBeNull();
    const c = await connectDevice(gw.mqttUrl, other.deviceId, other.token, {
      will: { topic: `devices/${other.deviceId}/status`, payload: Buffer.from('offline'), qos: 1, retain: false },
    });
    await waitForDevice(gw, other.deviceId, true);
    c.stream.destroy(); // unclean: the broker publishes the last will
    await waitForDevice(gw, other.deviceId, false);
    await closeClient(c);
  });
});

async function waitForDevice(gw: TestGateway, id: string, online: boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await gw.api<{ online: boolean }>('GET', `/api/devices/${id}`);
    if (res.body.online === online) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`device ${id} never became ${online ? 'online' : 'offline'}`);
}
