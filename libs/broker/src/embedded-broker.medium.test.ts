import { createServer, type Server } from 'node:net';
import type mqtt from 'mqtt';
import { type MqttClient } from 'mqtt';
import { Logger } from '@nestjs/common';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DevicePublishMessage, DeviceSessionMessage } from '#contracts';
import { BROKER_METRIC_NAMES } from './broker-metrics.js';
import { PortInUseError } from './port-in-use.error.js';
import {
  closeClient,
  connackRefusal,
  connectDevice,
  deferred,
  nextClose,
  publish,
  startTestBroker,
  StubCredentialsSource,
  subscribe,
  type TestBroker,
  waitFor,
} from './testing/broker-test-kit.js';

const TOKEN_A = 'token-of-device-a';

/** A port that was free a moment ago. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
const TOKEN_B = 'token-of-device-b';

describe('EmbeddedBroker', () => {
  let source: StubCredentialsSource;
  let tb: TestBroker;
  let telemetry: DevicePublishMessage[];
  let status: DevicePublishMessage[];
  let sessions: { kind: 'started' | 'ended'; session: DeviceSessionMessage }[];
  let telemetryHandler: (message: DevicePublishMessage) => Promise<void>;
  const clients: MqttClient[] = [];

  async function device(deviceId: string, token: string, options: mqtt.IClientOptions = {}) {
    const client = await connectDevice(tb.mqttUrl, deviceId, token, options);
    clients.push(client);
    return client;
  }

  async function metricText(name: string): Promise<string> {
    return tb.metrics.registry.getSingleMetricAsString(name);
  }

  beforeAll(() => {
    Logger.overrideLogger(['error']);
  });

  beforeEach(async () => {
    source = new StubCredentialsSource().add('dev-a', TOKEN_A).add('dev-b', TOKEN_B).add('dev-off', 'off', false);
    tb = await startTestBroker(source, { maxPacketBytes: 2048 });
    telemetry = [];
    status = [];
    sessions = [];
    telemetryHandler = async (message) => {
      telemetry.push(message);
    };
    tb.broker.registerHandlers({
      telemetry: (message) => telemetryHandler(message),
      status: async (message) => {
        status.push(message);
      },
      sessionStarted: async (session) => {
        sessions.push({ kind: 'started', session });
      },
      sessionEnded: async (session) => {
        sessions.push({ kind: 'ended', session });
      },
    });
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map(closeClient));
    await tb.broker.close();
  });

  describe('authentication', () => {
    it('accepts a device with its token and dispatches its telemetry', async () => {
      const a = await device('dev-a', TOKEN_A);
      await publish(a, 'devices/dev-a/telemetry', '{"ts":1,"metrics":{"temperature_c":21}}');
      expect(telemetry).toHaveLength(1);
      expect(telemetry[0]).toMatchObject({ deviceId: 'dev-a', topic: 'devices/dev-a/telemetry', qos: 1 });
      expect(telemetry[0]!.payload.toString()).toBe('{"ts":1,"metrics":{"temperature_c":21}}');
      expect(typeof telemetry[0]!.receivedAt).toBe('number');
    });

    it('refuses an unknown device and a wrong token with CONNACK 4, a disabled device with 5', async () => {
      expect(await connackRefusal(tb.mqttUrl, 'dev-nobody', TOKEN_A)).toBe(4);
      expect(await connackRefusal(tb.mqttUrl, 'dev-a', TOKEN_B)).toBe(4);
      expect(await connackRefusal(tb.mqttUrl, 'dev-off', 'off')).toBe(5);
      expect(await connackRefusal(tb.mqttUrl, 'dev-off', 'wrong')).toBe(4);
      const refused = await metricText(BROKER_METRIC_NAMES.refusedConnections);
      expect(refused).toContain('reason="unknown_device"} 1');
      expect(refused).toContain('reason="bad_token"} 2');
      expect(refused).toContain('reason="disabled"} 1');
    });

    it('refuses a CONNECT whose last will names another device with CONNACK 5', async () => {
      const refusal = await connectDevice(tb.mqttUrl, 'dev-a', TOKEN_A, {
        will: { topic: 'devices/dev-b/status', payload: Buffer.from('offline'), qos: 1, retain: false },
      }).catch((error: { code?: number }) => error.code);
      expect(refusal).toBe(5);
    });

    it('disconnects a live device disabled by device.credentials_changed and refuses its reconnect', async () => {
      const a = await device('dev-a', TOKEN_A);
      const closed = nextClose(a);
      source.setEnabled('dev-a', false);
      tb.events.publish({ type: 'device.credentials_changed', deviceId: 'dev-a', enabled: false });
      await closed;
      expect(await connackRefusal(tb.mqttUrl, 'dev-a', TOKEN_A)).toBe(5);
    });

    it('disconnects a live device whose token was rotated, and accepts the new token', async () => {
      const a = await device('dev-a', TOKEN_A);
      const b = await device('dev-b', TOKEN_B);
      const closed = nextClose(a);
      source.add('dev-a', 'rotated-token');
      tb.events.publish({ type: 'device.credentials_changed', deviceId: 'dev-a', enabled: true });
      await closed;
      expect(await connackRefusal(tb.mqttUrl, 'dev-a', TOKEN_A)).toBe(4);
      expect(await connackRefusal(tb.mqttUrl, 'dev-a', 'rotated-token')).toBe(0);
      // another device's connection is not touched
      await publish(b, 'devices/dev-b/telemetry', '{}');
      expect(b.connected).toBe(true);
    });

    it('keeps a live device whose unrelated settings changed (same token, still enabled)', async () => {
      const a = await device('dev-a', TOKEN_A);
      const lookupsBefore = source.lookups;
      tb.events.publish({ type: 'device.credentials_changed', deviceId: 'dev-a', enabled: true });
      await waitFor(() => source.lookups > lookupsBefore, 'the re-check look-up');
      await publish(a, 'devices/dev-a/telemetry', '{}');
      expect(a.connected).toBe(true);
    });

    it('disconnects a deleted device and refuses it afterwards', async () => {
      const a = await device('dev-a', TOKEN_A);
      const closed = nextClose(a);
      source.add('dev-a', 'gone', false);
      tb.events.publish({ type: 'device.deleted', deviceId: 'dev-a' });
      await closed;
      expect(await connackRefusal(tb.mqttUrl, 'dev-a', TOKEN_A)).toBe(4);
    });

    it('keeps the look-ups bounded by the distinct devices during a reconnect storm of 2000 connects', async () => {
      const deviceIds = Array.from({ length: 20 }, (_, i) => `storm-${i}`);
      for (const id of deviceIds) source.add(id, `token-${id}`);
      const lookupsBefore = source.lookups;
      const total = 2000;
      const concurrency = 50;
      let connected = 0;
      for (let start = 0; start < total; start += concurrency) {
        await Promise.all(
          Array.from({ length: concurrency }, async (_, i) => {
            const id = deviceIds[(start + i) % deviceIds.length]!;
            const client = await connectDevice(tb.mqttUrl, id, `token-${id}`, { keepalive: 0 });
            connected += 1;
            await closeClient(client);
          }),
        );
      }
      expect(connected).toBe(total);
      expect(source.lookups - lookupsBefore).toBeLessThanOrEqual(deviceIds.length);
    });
  });

  describe('topic ACL', () => {
    it("never hands a publish into another device's topic to the handler, and keeps the connection", async () => {
      const a = await device('dev-a', TOKEN_A);
      const b = await device('dev-b', TOKEN_B);
      const received: string[] = [];
      b.on('message', (topic, payload) => received.push(`${topic} ${payload.toString()}`));
      expect(await subscribe(b, 'devices/dev-b/commands')).toEqual([1]);

      // MQTT-3.3.5-2: the unauthorised PUBLISH is acknowledged as usual and discarded.
      await publish(a, 'devices/dev-b/telemetry', '{"forged":true}');
      await publish(a, 'devices/dev-b/commands', 'forged command');
      await publish(a, 'devices/dev-a/commands', 'own downlink is not for publishing');
      await publish(a, '$SYS/fake', 'x', { qos: 0 });
      await publish(a, 'devices/dev-a/telemetry', '{"own":true}');

      expect(telemetry.map((m) => `${m.deviceId} ${m.payload.toString()}`)).toEqual(['dev-a {"own":true}']);
      await tb.broker.publishToDevice('dev-b', 'commands', 'marker');
      await waitFor(() => received.length > 0, 'the marker command');
      expect(received).toEqual(['devices/dev-b/commands marker']);
      expect(a.connected).toBe(true);
      const denials = await metricText(BROKER_METRIC_NAMES.aclDenials);
      expect(denials).toContain('action="publish",reason="other_device"} 2');
      expect(denials).toContain('action="publish",reason="channel_not_allowed"} 1');
      expect(denials).toContain('action="publish",reason="reserved_topic"} 1');
    });

    it("answers a SUBSCRIBE to another device's topic with 0x80 and keeps the connection", async () => {
      const a = await device('dev-a', TOKEN_A);
      expect(await subscribe(a, 'devices/dev-b/commands')).toEqual([128]);
      expect(await subscribe(a, 'devices/+/errors')).toEqual([128]);
      expect(await subscribe(a, '$SYS/#')).toEqual([128]);
      expect(await subscribe(a, 'devices/dev-a/telemetry')).toEqual([128]);
      expect(await subscribe(a, 'devices/dev-a/errors')).toEqual([1]);
      await publish(a, 'devices/dev-a/telemetry', '{}');
      expect(a.connected).toBe(true);
      expect(telemetry).toHaveLength(1);
    });

    it('does not deliver retained messages of another device through a refused subscription', async () => {
      const b = await device('dev-b', TOKEN_B);
      await publish(b, 'devices/dev-b/status', 'online', { qos: 1, retain: true });
      const a = await device('dev-a', TOKEN_A);
      const received: string[] = [];
      a.on('message', (topic) => received.push(topic));
      expect(await subscribe(a, 'devices/dev-b/status')).toEqual([128]);
      expect(await subscribe(a, 'devices/dev-a/errors')).toEqual([1]);
      await tb.broker.publishToDevice('dev-a', 'errors', 'marker');
      await waitFor(() => received.length > 0, 'the marker');
      expect(received).toEqual(['devices/dev-a/errors']);
    });
  });

  describe('acknowledgement', () => {
    it('sends the QoS1 PUBACK only after the handler promise resolved', async () => {
      const gate = deferred();
      const order: string[] = [];
      telemetryHandler = async (message) => {
        if (message.deviceId !== 'dev-a') return;
        order.push('handler called');
        await gate.promise;
        order.push('handler resolved');
      };
      const a = await device('dev-a', TOKEN_A);
      const b = await device('dev-b', TOKEN_B);
      const acked = publish(a, 'devices/dev-a/telemetry', '{"n":1}').then(() => order.push('puback'));
      await waitFor(() => order.length === 1, 'the handler call');
      // A full QoS1 round trip of another device through the same broker: had the broker acknowledged
      // before the handler completed, that PUBACK would have reached the client by now.
      await publish(b, 'devices/dev-b/telemetry', '{}');
      await new Promise((resolve) => setImmediate(resolve));
      expect(order).toEqual(['handler called']);
      gate.resolve();
      await acked;
      expect(order).toEqual(['handler called', 'handler resolved', 'puback']);
    });

    it('closes the connection without a PUBACK when the handler rejects, and takes the redelivery', async () => {
      let calls = 0;
      telemetryHandler = async (message) => {
        calls += 1;
        if (calls === 1) throw new Error('storage down');
        telemetry.push(message);
      };
      const a = await device('dev-a', TOKEN_A, { clean: false, clientId: 'dev-a-persistent', reconnectPeriod: 50 });
      let closes = 0;
      a.on('close', () => (closes += 1));
      await publish(a, 'devices/dev-a/telemetry', '{"seq":7}');
      expect(calls).toBe(2);
      expect(closes).toBeGreaterThanOrEqual(1);
      expect(telemetry).toHaveLength(1);
      expect(telemetry[0]!.payload.toString()).toBe('{"seq":7}');
    });

    it('refuses telemetry when no handler is registered (never acknowledges and drops)', async () => {
      tb.broker.registerHandlers({});
      const a = await device('dev-a', TOKEN_A);
      let acked = false;
      const closed = nextClose(a);
      a.publish('devices/dev-a/telemetry', '{}', { qos: 1 }, () => (acked = true));
      await closed;
      expect(acked).toBe(false);
    });

    it('acknowledges status without a handler', async () => {
      tb.broker.registerHandlers({});
      const a = await device('dev-a', TOKEN_A);
      await publish(a, 'devices/dev-a/status', 'online');
      expect(a.connected).toBe(true);
    });
  });

  describe('maximum packet size', () => {
    it('closes only the connection that sent an oversized packet', async () => {
      const a = await device('dev-a', TOKEN_A);
      const b = await device('dev-b', TOKEN_B);
      const closed = nextClose(a);
      a.publish('devices/dev-a/telemetry', Buffer.alloc(4096, 0x20), { qos: 1 });
      await closed;
      await publish(b, 'devices/dev-b/telemetry', '{"still":"here"}');
      await publish(b, 'devices/dev-b/telemetry', '{"and":"again"}');
      expect(telemetry.map((m) => m.deviceId)).toEqual(['dev-b', 'dev-b']);
      expect(await metricText(BROKER_METRIC_NAMES.oversizedPackets)).toContain('listener="mqtt"} 1');
    });
  });

  describe('WebSocket', () => {
    it('speaks MQTT on ws://host:port/mqtt', async () => {
      const client = await connectDevice(tb.wsUrl!, 'dev-a', TOKEN_A);
      clients.push(client);
      await publish(client, 'devices/dev-a/telemetry', '{"via":"ws"}');
      expect(telemetry[0]?.payload.toString()).toBe('{"via":"ws"}');
    });

    it('refuses other paths', async () => {
      const url = tb.wsUrl!.replace('/mqtt', '/other');
      await expect(connectDevice(url, 'dev-a', TOKEN_A)).rejects.toThrow();
    });

    it('closes a WebSocket connection that sends an oversized packet', async () => {
      const client = await connectDevice(tb.wsUrl!, 'dev-a', TOKEN_A);
      clients.push(client);
      const closed = nextClose(client);
      client.publish('devices/dev-a/telemetry', Buffer.alloc(4096, 0x20), { qos: 0 });
      await closed;
      expect(await metricText(BROKER_METRIC_NAMES.oversizedPackets)).toContain('listener="mqtt-ws"} 1');
    });
  });

  describe('downlink and events', () => {
    it('answers telemetry.rejected on the devices/{id}/errors topic with QoS1, not retained', async () => {
      const a = await device('dev-a', TOKEN_A);
      expect(await subscribe(a, 'devices/dev-a/errors')).toEqual([1]);
      const received = new Promise<{ topic: string; payload: string; qos: number; retain: boolean }>((resolve) =>
        a.once('message', (topic, payload, packet) =>
          resolve({ topic, payload: payload.toString(), qos: packet.qos, retain: packet.retain }),
        ),
      );
      const error = {
        error: 'out_of_range',
        field: '[0].metrics.humidity_pct',
        message: 'humidity_pct 140 is outside 0-100',
        topic: 'devices/dev-a/telemetry',
        rejected: 1,
        accepted: 0,
        at: '2026-01-01T00:00:00.000Z',
      };
      tb.events.publish({ type: 'telemetry.rejected', deviceId: 'dev-a', reason: 'out_of_range', count: 1, error });
      const message = await received;
      expect(message).toMatchObject({ topic: 'devices/dev-a/errors', qos: 1, retain: false });
      expect(JSON.parse(message.payload)).toEqual(error);
    });

    it('reports device sessions per device and device.seen at most once per throttle interval', async () => {
      const seen: string[] = [];
      tb.events.on('device.seen').subscribe((event) => seen.push(event.deviceId));
      const first = await device('dev-a', TOKEN_A);
      const second = await device('dev-a', TOKEN_A);
      expect(tb.broker.connectedDevices).toBe(1);
      await publish(first, 'devices/dev-a/telemetry', '{}');
      await publish(second, 'devices/dev-a/status', 'online');
      await closeClient(first);
      await waitFor(() => tb.broker.connectedDevices === 1 && sessions.length >= 1, 'the first session');
      expect(sessions.map((s) => s.kind)).toEqual(['started']);
      await closeClient(second);
      await waitFor(() => sessions.length === 2, 'the session end');
      expect(sessions.map((s) => `${s.kind} ${s.session.deviceId}`)).toEqual(['started dev-a', 'ended dev-a']);
      expect(tb.broker.connectedDevices).toBe(0);
      expect(seen).toEqual(['dev-a']);
      expect(status.map((m) => m.payload.toString())).toEqual(['online']);
      expect(await metricText(BROKER_METRIC_NAMES.connectedDevices)).toContain(
        `${BROKER_METRIC_NAMES.connectedDevices} 0`,
      );
    });

    it('routes the last will of a dropped device to the status handler', async () => {
      const a = await device('dev-a', TOKEN_A, {
        will: { topic: 'devices/dev-a/status', payload: Buffer.from('offline'), qos: 1, retain: false },
      });
      a.stream.destroy();
      await waitFor(() => status.length === 1, 'the will');
      expect(status[0]).toMatchObject({ deviceId: 'dev-a', topic: 'devices/dev-a/status' });
      expect(status[0]!.payload.toString()).toBe('offline');
    });

    it('disconnects a device on request and sends it commands', async () => {
      const a = await device('dev-a', TOKEN_A);
      expect(await subscribe(a, 'devices/dev-a/commands')).toEqual([1]);
      const command = new Promise<string>((resolve) => a.once('message', (_t, payload) => resolve(payload.toString())));
      await tb.broker.publishToDevice('dev-a', 'commands', '{"do":"sample"}');
      expect(await command).toBe('{"do":"sample"}');
      const closed = nextClose(a);
      expect(await tb.broker.disconnect('dev-a')).toBe(1);
      await closed;
      await expect(tb.broker.publishToDevice('dev/a', 'commands', 'x')).rejects.toThrow('deviceId');
    });
  });

  describe('listeners', () => {
    let blocker: Server;

    beforeEach(async () => {
      blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    });

    afterEach(async () => {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    });

    const blockedPort = () => (blocker.address() as { port: number }).port;

    it('rejects with PortInUseError naming the MQTT port', async () => {
      const error = await startTestBroker(source, { mqttPort: blockedPort() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error).toMatchObject({ port: blockedPort(), listener: 'mqtt' });
      expect((error as Error).message).toContain(String(blockedPort()));
    });

    it('rejects with PortInUseError naming the WebSocket port, and releases the MQTT port', async () => {
      const mqttPort = await freePort();
      const error = await startTestBroker(source, { mqttPort, wsPort: blockedPort() }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error).toMatchObject({ port: blockedPort(), listener: 'mqtt-ws' });
      // the TCP listener that did bind was closed again
      const again = await startTestBroker(source, { mqttPort, wsPort: null });
      await again.broker.close();
    });

    it('runs without a WebSocket listener when wsPort is null', async () => {
      const other = await startTestBroker(source, { wsPort: null });
      expect(other.broker.boundPorts().wsPort).toBeNull();
      await other.broker.close();
    });

    it('closes idempotently and frees its port', async () => {
      const other = await startTestBroker(source, { wsPort: null });
      const client = await connectDevice(other.mqttUrl, 'dev-a', TOKEN_A);
      const closed = nextClose(client);
      const { mqttPort } = other.broker.boundPorts();
      await Promise.all([other.broker.close(), other.broker.close()]);
      await other.broker.close();
      await closed;
      await closeClient(client);
      const again = await startTestBroker(source, { mqttPort, wsPort: null });
      expect(again.broker.boundPorts().mqttPort).toBe(mqttPort);
      await again.broker.close();
      await expect(other.broker.start()).rejects.toThrow('closed');
    });
  });
});
