import 'reflect-metadata';
import { createServer } from 'node:net';
import { Controller, type INestApplication, Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Aedes } from 'aedes';
import type { MqttClient } from 'mqtt';
import { Subject, type Observable } from 'rxjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEVICE_CREDENTIALS_SOURCE,
  type DevicePublishMessage,
  type DeviceSessionMessage,
  TransportPatterns,
} from '#contracts';
import { PlatformModule } from '#platform';
import { BrokerModule } from '../broker.module.js';
import { EmbeddedBroker } from '../embedded-broker.js';
import {
  closeClient,
  connectDevice,
  type Deferred,
  deferred,
  nextClose,
  publish,
  StubCredentialsSource,
  TEST_BROKER_OPTIONS,
  waitFor,
} from '../testing/broker-test-kit.js';
import { AedesTransport } from './aedes-transport.js';
import type { DeviceMessageContext } from './device-message.context.js';

const TOKEN = 'token-of-dev-a';
const source = new StubCredentialsSource().add('dev-a', TOKEN);

/** What the stub controllers saw, and how they should behave next. */
const seen = {
  telemetry: [] as { message: DevicePublishMessage; deviceId: string; topic: string | undefined }[],
  status: [] as string[],
  sessions: [] as string[],
  telemetryGate: undefined as Deferred<void> | undefined,
  failTelemetry: 0,
  statusStream: undefined as Subject<void> | undefined,
};

@Controller()
class DeviceEventsController {
  // `<string>` picks the untyped overload: Nest 12's typed one allows no typed @Ctx() parameter.
  @EventPattern<string>(TransportPatterns.telemetry)
  async onTelemetry(@Payload() message: DevicePublishMessage, @Ctx() context: DeviceMessageContext): Promise<void> {
    if (seen.failTelemetry > 0) {
      seen.failTelemetry -= 1;
      throw new Error('storage down');
    }
    seen.telemetry.push({ message, deviceId: context.getDeviceId(), topic: context.getTopic() });
    await seen.telemetryGate?.promise;
  }

  /** An observable handler: the transport waits for it to complete. */
  @EventPattern(TransportPatterns.status)
  onStatus(@Payload() message: DevicePublishMessage): Observable<void> {
    seen.status.push(message.payload.toString());
    seen.statusStream = new Subject<void>();
    return seen.statusStream.asObservable();
  }

  @EventPattern(TransportPatterns.connected)
  onConnected(@Payload() session: DeviceSessionMessage): void {
    seen.sessions.push(`connected ${session.deviceId}`);
  }

  @EventPattern(TransportPatterns.disconnected)
  onDisconnected(@Payload() session: DeviceSessionMessage): void {
    seen.sessions.push(`disconnected ${session.deviceId}`);
  }
}

/** A controller that forgot telemetry. */
@Controller()
class StatusOnlyController {
  @EventPattern(TransportPatterns.status)
  onStatus(_message: DevicePublishMessage): void {}
}

@Module({
  providers: [{ provide: DEVICE_CREDENTIALS_SOURCE, useValue: source }],
  exports: [DEVICE_CREDENTIALS_SOURCE],
})
class StubFleetModule {}

async function startApp(controller: Type, mqttPort = 0): Promise<{ app: INestApplication; url: string }> {
  @Module({
    imports: [
      PlatformModule,
      BrokerModule.forRoot({ options: { ...TEST_BROKER_OPTIONS, mqttPort, wsPort: null }, imports: [StubFleetModule] }),
    ],
    controllers: [controller],
  })
  class TestAppModule {}

  const app = await NestFactory.create(TestAppModule, { logger: ['error'] });
  // Exactly as the gateway wires it.
  app.connectMicroservice({ strategy: new AedesTransport(app.get(EmbeddedBroker)) }, { inheritAppConfig: true });
  try {
    await app.startAllMicroservices();
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  return { app, url: `mqtt://127.0.0.1:${app.get(EmbeddedBroker).boundPorts().mqttPort}` };
}

describe('AedesTransport', () => {
  const apps: INestApplication[] = [];
  const clients: MqttClient[] = [];

  beforeAll(() => {
    Logger.overrideLogger(['error']);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map(closeClient));
    await Promise.all(apps.splice(0).map((app) => app.close()));
    seen.telemetry = [];
    seen.status = [];
    seen.sessions = [];
    seen.telemetryGate = undefined;
    seen.failTelemetry = 0;
  });

  async function started(controller: Type = DeviceEventsController, mqttPort = 0) {
    const { app, url } = await startApp(controller, mqttPort);
    apps.push(app);
    return { app, url };
  }

  async function device(url: string, options: Parameters<typeof connectDevice>[3] = {}) {
    const client = await connectDevice(url, 'dev-a', TOKEN, options);
    clients.push(client);
    return client;
  }

  it('hands a telemetry publish to the @EventPattern handler and acks only after it completed', async () => {
    const { url } = await started();
    const a = await device(url);
    seen.telemetryGate = deferred();
    let acked = false;
    const ack = publish(a, 'devices/dev-a/telemetry', '{"n":1}').then(() => (acked = true));
    await waitFor(() => seen.telemetry.length === 1, 'the handler call');
    expect(seen.telemetry[0]).toMatchObject({ deviceId: 'dev-a', topic: 'devices/dev-a/telemetry' });
    expect(seen.telemetry[0]!.message).toMatchObject({ deviceId: 'dev-a', qos: 1 });
    expect(Buffer.isBuffer(seen.telemetry[0]!.message.payload)).toBe(true);
    // Let the event loop run a while: a premature PUBACK would have been processed by the client.
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(acked).toBe(false);
    seen.telemetryGate.resolve();
    await ack;
    expect(acked).toBe(true);
  });

  it('closes the connection without a PUBACK when the handler throws, and acks the redelivery', async () => {
    const { url } = await started();
    const a = await device(url, { clean: false, clientId: 'dev-a-transport', reconnectPeriod: 50 });
    seen.failTelemetry = 1;
    let closes = 0;
    a.on('close', () => (closes += 1));
    await publish(a, 'devices/dev-a/telemetry', '{"seq":1}');
    expect(closes).toBeGreaterThanOrEqual(1);
    expect(seen.telemetry.map((t) => t.message.payload.toString())).toEqual(['{"seq":1}']);
  });

  it('waits for an observable handler to complete before acking a status publish', async () => {
    const { url } = await started();
    const a = await device(url);
    let acked = false;
    const ack = publish(a, 'devices/dev-a/status', 'online').then(() => (acked = true));
    await waitFor(() => seen.statusStream !== undefined, 'the status handler');
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(acked).toBe(false);
    seen.statusStream!.complete();
    await ack;
    expect(seen.status).toEqual(['online']);
  });

  it('reports device sessions to the connected / disconnected handlers', async () => {
    const { url } = await started();
    const a = await device(url);
    await waitFor(() => seen.sessions.length === 1, 'the connected event');
    await closeClient(a);
    await waitFor(() => seen.sessions.length === 2, 'the disconnected event');
    expect(seen.sessions).toEqual(['connected dev-a', 'disconnected dev-a']);
  });

  it('refuses telemetry without a handler, and acks status', async () => {
    const { url } = await started(StatusOnlyController);
    const a = await device(url);
    await publish(a, 'devices/dev-a/status', 'online');
    let acked = false;
    const closed = nextClose(a);
    a.publish('devices/dev-a/telemetry', '{}', { qos: 1 }, () => (acked = true));
    await closed;
    expect(acked).toBe(false);
  });

  it('unwraps to the aedes instance and forwards on() to it', async () => {
    const { app, url } = await started();
    const transport = new AedesTransport(app.get(EmbeddedBroker));
    expect(transport.unwrap()).toBeInstanceOf(Aedes);
    const readyClients: string[] = [];
    transport.on('clientReady', (client) => readyClients.push(client.id));
    await device(url, { clientId: 'dev-a-watched' });
    await waitFor(() => readyClients.length === 1, 'clientReady');
    expect(readyClients).toEqual(['dev-a-watched']);
  });

  it('closes the broker with the application and frees the port', async () => {
    const { app, url } = await started();
    const port = app.get(EmbeddedBroker).boundPorts().mqttPort;
    const a = await device(url);
    const closed = nextClose(a);
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    await closed;
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('fails startAllMicroservices with PortInUseError when the MQTT port is taken', async () => {
    const { app } = await started();
    const taken = app.get(EmbeddedBroker).boundPorts().mqttPort;
    const error = await startApp(DeviceEventsController, taken).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PortInUseError', port: taken, listener: 'mqtt' });
  });
});
