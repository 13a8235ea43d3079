/**
 * Helpers of the broker's medium tests: a stub credentials source, a broker on ephemeral ports and a
 * real mqtt.js client speaking MQTT 3.1.1. Not exported from the lib's index.
 */
import mqtt, { type IClientOptions, type IClientPublishOptions, type MqttClient } from 'mqtt';
import type { DeviceCredentials, DeviceCredentialsSource } from '#contracts';
import { Clock, DomainEventBus, MetricsRegistry, digestToken } from '#platform';
import type { BrokerOptions } from '../broker-options.js';
import { EmbeddedBroker } from '../embedded-broker.js';

export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Devices by id with their tokens; counts the look-ups that reach it. */
export class StubCredentialsSource implements DeviceCredentialsSource {
  private readonly devices = new Map<string, DeviceCredentials>();
  lookups = 0;
  readonly lookedUp = new Set<string>();

  add(deviceId: string, token: string, enabled = true): this {
    this.devices.set(deviceId, { deviceId, tokenDigest: digestToken(token), enabled });
    return this;
  }

  setEnabled(deviceId: string, enabled: boolean): void {
    const current = this.devices.get(deviceId);
    if (!current) throw new Error(`no device ${deviceId}`);
    this.devices.set(deviceId, { ...current, enabled });
  }

  async findCredentials(deviceId: string): Promise<DeviceCredentials | undefined> {
    this.lookups += 1;
    this.lookedUp.add(deviceId);
    return this.devices.get(deviceId);
  }
}

export const TEST_BROKER_OPTIONS: BrokerOptions = {
  host: '127.0.0.1',
  mqttPort: 0,
  wsPort: 0,
  maxPacketBytes: 16 * 1024,
  authCacheTtlMs: 60_000,
  seenThrottleMs: 60_000,
};

export interface TestBroker {
  readonly broker: EmbeddedBroker;
  readonly events: DomainEventBus;
  readonly metrics: MetricsRegistry;
  readonly mqttUrl: string;
  readonly wsUrl: string | undefined;
}

/** An EmbeddedBroker built by hand (no Nest), started on ephemeral ports. */
export async function startTestBroker(
  source: DeviceCredentialsSource,
  options: Partial<BrokerOptions> = {},
): Promise<TestBroker> {
  const events = new DomainEventBus();
  const metrics = new MetricsRegistry();
  const broker = new EmbeddedBroker({ ...TEST_BROKER_OPTIONS, ...options }, source, events, metrics, new Clock());
  const ports = await broker.start();
  return {
    broker,
    events,
    metrics,
    mqttUrl: `mqtt://127.0.0.1:${ports.mqttPort}`,
    wsUrl: ports.wsPort === null ? undefined : `ws://127.0.0.1:${ports.wsPort}/mqtt`,
  };
}

let clientCounter = 0;

/** A real mqtt.js client (MQTT 3.1.1); rejects with the CONNACK error (its `code` is the return code). */
export function connectDevice(
  url: string,
  deviceId: string,
  token: string,
  options: IClientOptions = {},
): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      protocolVersion: 4,
      clientId: `${deviceId}-${(clientCounter += 1)}`,
      username: deviceId,
      password: token,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      ...options,
    });
    const onError = (error: Error) => {
      client.removeListener('connect', onConnect);
      client.end(true);
      reject(error);
    };
    const onConnect = () => {
      client.removeListener('error', onError);
      client.removeListener('close', onClose);
      resolve(client);
    };
    const onClose = () => onError(new Error('connection closed before CONNACK'));
    client.once('connect', onConnect);
    client.once('error', onError);
    client.once('close', onClose);
  });
}

/** The CONNACK return code of a refused CONNECT. */
export async function connackRefusal(url: string, deviceId: string, token: string): Promise<number | undefined> {
  try {
    const client = await connectDevice(url, deviceId, token);
    await closeClient(client);
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

export function publish(
  client: MqttClient,
  topic: string,
  payload: string | Buffer,
  options: IClientPublishOptions = { qos: 1 },
): Promise<void> {
  return new Promise((resolve, reject) => {
    client.publish(topic, payload, options, (error) => (error ? reject(error) : resolve()));
  });
}

/** The SUBACK return codes of a SUBSCRIBE: the granted QoS, or 128 (0x80) for a failure (MQTT-3.9.3). */
export function subscribe(client: MqttClient, topic: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    client.subscribe(topic, { qos: 1 }, (error, granted) => {
      // mqtt.js reports a failure code as an error that carries the SUBACK packet.
      const suback = (error as { packet?: { cmd?: string; granted?: unknown } } | undefined)?.packet;
      if (suback?.cmd === 'suback' && Array.isArray(suback.granted)) {
        resolve(suback.granted.map((code) => (typeof code === 'number' ? code : -1)));
      } else if (error) {
        reject(error);
      } else {
        resolve((granted ?? []).map((g) => g.qos));
      }
    });
  });
}

export function nextClose(client: MqttClient): Promise<void> {
  return new Promise((resolve) => client.once('close', () => resolve()));
}

export async function closeClient(client: MqttClient): Promise<void> {
  await client.endAsync(true).catch(() => undefined);
}

/** Polls until the condition holds; the timeout only guards against a hung test. */
export async function waitFor(condition: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
