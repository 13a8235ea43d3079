import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { loadConfig, startGateway, type RunningGateway } from '#gateway';
import { testDatabaseUrl } from './test-database.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestGateway {
  readonly gateway: RunningGateway;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly baseUrl: string;
  readonly mqttUrl: string;
  api<T = unknown>(method: string, route: string, body?: unknown, token?: string): Promise<ApiResponse<T>>;
  stop(): Promise<void>;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
}

export interface GatewaySetup {
  /** Reuse a data dir (restart tests); a new temporary one otherwise. */
  readonly dataDir?: string;
  /** Reuse a database URL (restart tests on the services tier). */
  readonly databaseUrl?: string;
  readonly env?: Record<string, string>;
}

/**
 * The whole gateway in-process, exactly as main.ts wires it, on ephemeral ports. Embedded PGlite in a
 * temporary DATA_DIR, or a fresh database on the real PostgreSQL when TEST_DATABASE_URL is set.
 */
export async function startTestGateway(setup: GatewaySetup = {}): Promise<TestGateway> {
  const dataDir = setup.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'coatwatch-test-')));
  const databaseUrl = setup.databaseUrl ?? (await freshPostgresDatabase());
  const config = loadConfig({
    MQTT_PORT: '0',
    MQTT_WS_PORT: '0',
    HTTP_PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    ...setup.env,
  });
  const gateway = await startGateway(config);
  const baseUrl = `http://127.0.0.1:${gateway.httpPort}`;
  return {
    gateway,
    dataDir,
    databaseUrl,
    baseUrl,
    mqttUrl: `mqtt://127.0.0.1:${gateway.mqttPort}`,
    async api<T>(method: string, route: string, body?: unknown, token = TEST_ADMIN_TOKEN): Promise<ApiResponse<T>> {
      const res = await fetch(baseUrl + route, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON (e.g. /metrics)
      }
      return { status: res.status, body: parsed as T };
    },
    async stop() {
      await gateway.close();
    },
  };
}

/** Removes a temporary data dir made by startTestGateway. */
export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

let pgCounter = 0;
async function freshPostgresDatabase(): Promise<string | undefined> {
  const serverUrl = testDatabaseUrl();
  if (!serverUrl) return undefined;
  const pg = (await import('pg')).default;
  const name = `gw_${process.pid}_${Date.now().toString(36)}_${pgCounter++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface ProvisionedDevice {
  readonly customerId: string;
  readonly assetId: string;
  readonly deviceId: string;
  readonly token: string;
}

/** Creates a customer, an asset and a device through the REST API. */
export async function provisionDevice(gw: TestGateway, deviceId?: string): Promise<ProvisionedDevice> {
  const customer = await gw.api<{ id: string }>('POST', '/api/customers', { name: 'Acme Pipelines' });
  if (customer.status !== 201) throw new Error(`create customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const asset = await gw.api<{ id: string }>('POST', '/api/assets', {
    customerId: customer.body.id,
    name: 'Line 7 riser',
    kind: 'pipeline',
    coating: { nominalDftUm: 250, corrosivityCategory: 'C4', durability: 'H', installedAt: '2024-05-01' },
  });
  if (asset.status !== 201) throw new Error(`create asset: ${asset.status} ${JSON.stringify(asset.body)}`);
  const device = await gw.api<{ id: string; token: string }>('POST', '/api/devices', {
    assetId: asset.body.id,
    ...(deviceId ? { id: deviceId } : {}),
  });
  if (device.status !== 201) throw new Error(`create device: ${device.status} ${JSON.stringify(device.body)}`);
  return { customerId: customer.body.id, assetId: asset.body.id, deviceId: device.body.id, token: device.body.token };
}

/** Connects a real mqtt.js client (MQTT 3.1.1); rejects with the CONNACK error when refused. */
export function connectDevice(
  url: string,
  deviceId: string,
  token: string,
  options: IClientOptions = {},
): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      protocolVersion: 4,
      clientId: `${deviceId}-${Math.random().toString(36).slice(2, 8)}`,
      username: deviceId,
      password: token,
      reconnectPeriod: 0,
      connectTimeout: 5000,
      ...options,
    });
    client.once('connect', () => resolve(client));
    client.once('error', (error) => {
      client.end(true);
      reject(error);
    });
    client.once('close', () => reject(new Error('connection closed before CONNACK')));
  });
}

export function publish(client: MqttClient, topic: string, payload: string | Buffer, qos: 0 | 1 = 1): Promise<void> {
  return new Promise((resolve, reject) => {
    client.publish(topic, payload, { qos }, (error) => (error ? reject(error) : resolve()));
  });
}

export async function closeClient(client: MqttClient): Promise<void> {
  await client.endAsync(true).catch(() => undefined);
}
