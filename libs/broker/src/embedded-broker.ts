import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import {
  Aedes,
  type AedesPublishPacket,
  type AuthenticateError,
  type Client,
  type ConnectPacket,
  type PublishPacket,
  type Subscription,
} from 'aedes';
import { Subscription as RxSubscription } from 'rxjs';
import {
  DEVICE_CREDENTIALS_SOURCE,
  DEVICE_ID_PATTERN,
  type DeviceChannel,
  type DeviceCredentialsSource,
  type DevicePublishMessage,
  type DeviceSessionMessage,
  deviceTopic,
  parseDeviceTopic,
} from '#contracts';
import { Clock, DomainEventBus, MetricsRegistry } from '#platform';
import { decideDeviceTopicAccess, type TopicAction, type TopicDenialReason } from './acl/device-topic-access.js';
import { CredentialsCache } from './auth/credentials-cache.js';
import {
  type AuthenticationResult,
  ConnackReturnCode,
  DeviceAuthenticator,
  type RefusalReason,
  type RefusalReturnCode,
  refusalReturnCode,
} from './auth/device-authenticator.js';
import { BrokerMetrics } from './broker-metrics.js';
import { assertValidBrokerOptions, BROKER_OPTIONS, type BrokerOptions } from './broker-options.js';
import { SizeLimitedConnection } from './frame/size-limited-connection.js';
import { TcpListener } from './listeners/tcp-listener.js';
import { WebSocketListener } from './listeners/websocket-listener.js';
import type { BrokerListenerName } from './port-in-use.error.js';
import { DeviceSessions } from './sessions/device-sessions.js';
import { SeenThrottle } from './sessions/seen-throttle.js';

/** Handles a device PUBLISH; the QoS1 PUBACK goes out only after the returned promise resolved. */
export type DevicePublishHandler = (message: DevicePublishMessage) => Promise<void>;
export type DeviceSessionHandler = (session: DeviceSessionMessage) => Promise<void>;

/** What the broker hands over to the application (AedesTransport registers these). */
export interface BrokerHandlers {
  readonly telemetry?: DevicePublishHandler;
  readonly status?: DevicePublishHandler;
  /** A device's first live connection became ready. */
  readonly sessionStarted?: DeviceSessionHandler;
  /** A device's last live connection closed. */
  readonly sessionEnded?: DeviceSessionHandler;
}

export interface BoundPorts {
  readonly mqttPort: number;
  readonly wsPort: number | null;
}

/** Channels the gateway publishes to a device on. */
export type DownlinkChannel = Extract<DeviceChannel, 'commands' | 'errors'>;

export interface DownlinkOptions {
  readonly qos?: 0 | 1;
}

/**
 * Where a PUBLISH refused by the ACL is sent instead of its topic. MQTT-3.3.5-2 lets the server either
 * acknowledge an unauthorised PUBLISH as usual or close the connection; acknowledging keeps a
 * misconfigured device connected (its telemetry still flows), and closing would make it reconnect and
 * repeat the same PUBLISH forever. aedes closes the connection on an authorizePublish error, so the packet
 * is accepted instead and re-addressed here: a `$` topic that no device may subscribe to (ACL) and that
 * wildcard subscriptions never match (MQTT-4.7.2-1), with retain cleared, so nothing is stored, queued or
 * forwarded.
 */
export const DISCARDED_TOPIC = '$coatwatch/discarded';

/** "No such device" is cached only briefly, so a device created a moment ago can connect. */
const NEGATIVE_CACHE_TTL_MS = 2_000;
/** Bounds the credentials cache under a flood of made-up device ids. */
const MAX_CACHED_DEVICES = 200_000;

/** The WebSocket message limit: room for a few maximal packets in one message (clients may batch). */
function webSocketMaxPayload(maxPacketBytes: number): number {
  return Math.max(4 * maxPacketBytes, 64 * 1024);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function authenticateError(reason: RefusalReason, returnCode: RefusalReturnCode): AuthenticateError {
  // aedes puts err.returnCode (2-5) into the CONNACK (MQTT 3.1.1 section 3.2.2.3).
  return Object.assign(new Error(`connection refused: ${reason}`), {
    returnCode,
  });
}

/**
 * The embedded MQTT 3.1.1 broker (aedes) of the external contract: TCP and WebSocket listeners, a
 * maximum packet size, device authentication, the topic ACL, and dispatch of device publishes to the
 * registered handlers before the PUBACK (so an acknowledged reading is durable).
 */
@Injectable()
export class EmbeddedBroker implements OnModuleDestroy {
  private readonly logger = new Logger(EmbeddedBroker.name);
  private readonly aedes: Aedes;
  private readonly cache: CredentialsCache;
  private readonly authenticator: DeviceAuthenticator;
  private readonly sessions = new DeviceSessions<Client>();
  private readonly seen: SeenThrottle;
  private readonly metrics: BrokerMetrics;
  /** Will topic of each CONNECT, read in preConnect (public API) and checked once the device is known. */
  private readonly willTopics = new WeakMap<Client, string>();
  /** Session messages of one device are delivered in order. */
  private readonly sessionChains = new Map<string, Promise<void>>();
  private readonly eventSubscriptions = new RxSubscription();
  private readonly warnedMissing = new Set<keyof BrokerHandlers>();
  private handlers: BrokerHandlers = {};
  private tcp: TcpListener | undefined;
  private ws: WebSocketListener | undefined;
  private ports: BoundPorts | undefined;
  private starting: Promise<BoundPorts> | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    @Inject(BROKER_OPTIONS) private readonly options: BrokerOptions,
    @Inject(DEVICE_CREDENTIALS_SOURCE) credentialsSource: DeviceCredentialsSource,
    @Inject(DomainEventBus) private readonly events: DomainEventBus,
    @Inject(MetricsRegistry) metricsRegistry: MetricsRegistry,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    assertValidBrokerOptions(options);
    this.cache = new CredentialsCache(credentialsSource, {
      ttlMs: options.authCacheTtlMs,
      negativeTtlMs: Math.min(options.authCacheTtlMs, NEGATIVE_CACHE_TTL_MS),
      maxEntries: MAX_CACHED_DEVICES,
      now: () => clock.now(),
    });
    this.authenticator = new DeviceAuthenticator(this.cache);
    this.seen = new SeenThrottle(options.seenThrottleMs);
    this.metrics = new BrokerMetrics(metricsRegistry.registry);
    this.aedes = new Aedes({
      preConnect: (client, packet, callback) => this.preConnect(client, packet, callback),
      authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, callback) => this.authorizePublish(client, packet, callback),
      authorizeSubscribe: (client, subscription, callback) => this.authorizeSubscribe(client, subscription, callback),
      authorizeForward: (client, packet) => this.authorizeForward(client, packet),
    });
    this.aedes.on('clientReady', (client) => this.onClientReady(client));
    this.aedes.on('ping', (_packet, client) => this.onDeviceTraffic(client));
    this.aedes.on('clientError', (client, error) =>
      this.logger.debug(`client ${client.id} (${this.sessions.deviceOf(client) ?? '?'}) closed: ${error.message}`),
    );
    this.aedes.on('connectionError', (_client, error) => this.logger.debug(`connection closed: ${error.message}`));
    // aedes emits 'error' for persistence failures; an EventEmitter without a listener would throw it.
    (this.aedes as unknown as NodeJS.EventEmitter).on('error', (error: Error) =>
      this.logger.error(`aedes: ${error.message}`, error.stack),
    );
  }

  /** Replaces the handlers device messages are dispatched to. */
  registerHandlers(handlers: BrokerHandlers): void {
    this.handlers = handlers;
    this.warnedMissing.clear();
  }

  /** Binds the listeners; resolves with the bound ports (useful with port 0). */
  start(): Promise<BoundPorts> {
    if (this.closing) return Promise.reject(new Error('the broker was closed; it cannot be started again'));
    this.starting ??= this.listen();
    return this.starting;
  }

  /** The ports bound by start(). */
  boundPorts(): BoundPorts {
    if (!this.ports) throw new Error('the broker is not listening: call start() first');
    return this.ports;
  }

  /** The aedes instance (AedesTransport.unwrap()). */
  get instance(): Aedes {
    return this.aedes;
  }

  /** Devices with at least one live session. */
  get connectedDevices(): number {
    return this.sessions.connectedDevices;
  }

  /** Sends a message to a device on one of its downlink topics (it must be subscribed to receive it). */
  publishToDevice(
    deviceId: string,
    channel: DownlinkChannel,
    payload: Buffer | string,
    options: DownlinkOptions = {},
  ): Promise<void> {
    if (!DEVICE_ID_PATTERN.test(deviceId)) {
      return Promise.reject(new Error(`deviceId ${JSON.stringify(deviceId)} is not a valid device id`));
    }
    if (!this.ports || this.closing) return Promise.reject(new Error('the broker is not running'));
    const packet: PublishPacket = {
      cmd: 'publish',
      topic: deviceTopic(deviceId, channel),
      payload: typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload,
      qos: options.qos ?? 1,
      retain: false,
      dup: false,
    };
    return new Promise((resolve, reject) => {
      this.aedes.publish(packet, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Closes every connection of a device; resolves with how many there were. */
  async disconnect(deviceId: string): Promise<number> {
    const connections = this.sessions.connectionsOf(deviceId);
    await Promise.all(connections.map((client) => new Promise<void>((resolve) => client.close(() => resolve()))));
    return connections.length;
  }

  /** Stops listening and closes every client; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  private async listen(): Promise<BoundPorts> {
    try {
      await this.aedes.listen();
      this.subscribeToDomainEvents();
      this.tcp = new TcpListener((socket) => this.accept(socket, 'mqtt'));
      const mqttPort = await this.tcp.listen(this.options.host, this.options.mqttPort);
      let wsPort: number | null = null;
      if (this.options.wsPort !== null) {
        this.ws = new WebSocketListener(webSocketMaxPayload(this.options.maxPacketBytes), (stream, req) =>
          this.accept(stream, 'mqtt-ws', req),
        );
        wsPort = await this.ws.listen(this.options.host, this.options.wsPort);
      }
      this.ports = { mqttPort, wsPort };
      this.logger.log(
        `MQTT broker listening on ${this.options.host}:${mqttPort}` +
          (wsPort === null ? '' : `, WebSocket on ${this.options.host}:${wsPort}/mqtt`),
      );
      return this.ports;
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  private async shutdown(): Promise<void> {
    this.eventSubscriptions.unsubscribe();
    const tcpClosed = this.tcp?.stopAccepting();
    const wsClosed = this.ws?.stopAccepting();
    await new Promise<void>((resolve) => this.aedes.close(() => resolve()));
    this.tcp?.destroyConnections();
    this.ws?.destroyConnections();
    await Promise.all([tcpClosed, wsClosed]);
    this.cache.clear();
    this.ports = undefined;
  }

  private accept(connection: Duplex, listener: BrokerListenerName, req?: IncomingMessage): void {
    const guarded = new SizeLimitedConnection(connection, this.options.maxPacketBytes, (rejection) => {
      switch (rejection.kind) {
        case 'oversized':
          this.metrics.packetOversized(listener);
          this.logger.warn(
            `closing an ${listener} connection: packet of ${rejection.packetBytes} bytes exceeds ${rejection.maxPacketBytes}`,
          );
          break;
        case 'malformed':
          this.metrics.packetMalformed(listener);
          this.logger.warn(`closing an ${listener} connection: ${rejection.reason}`);
          break;
      }
    });
    this.aedes.handle(guarded, req);
  }

  private preConnect(
    client: Client,
    packet: ConnectPacket,
    callback: (error: Error | null, ok: boolean) => void,
  ): void {
    if (packet.will) this.willTopics.set(client, packet.will.topic);
    callback(null, true);
  }

  private authenticate(
    client: Client,
    username: Readonly<string | undefined>,
    password: Readonly<Buffer | undefined>,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    this.authenticator
      .authenticate(username, password as Buffer | undefined)
      .then(
        (result) => this.checkWill(client, result),
        (): AuthenticationResult => ({
          ok: false,
          reason: 'lookup_failed',
          returnCode: ConnackReturnCode.serverUnavailable,
        }),
      )
      .then((result) => {
        if (!result.ok) {
          this.metrics.connectionRefused(result.reason);
          this.logger.debug(`CONNECT of ${JSON.stringify(username)} refused: ${result.reason}`);
          done(authenticateError(result.reason, result.returnCode), false);
          return;
        }
        const { deviceId, tokenDigest } = result.credentials;
        // The socket may have gone while the credentials were read: aedes then drops the CONNECT itself.
        if (!client.closed && !client.conn.destroyed) {
          this.sessions.attach(client, deviceId, tokenDigest);
          client.conn.once('close', () => this.onConnectionClosed(client));
        }
        done(null, true);
      })
      .catch((error: unknown) => this.logger.error(`authenticate failed: ${toError(error).message}`));
  }

  /** A will is published on the device's behalf later: its topic must pass the same ACL as a PUBLISH. */
  private checkWill(client: Client, result: AuthenticationResult): AuthenticationResult {
    if (!result.ok) return result;
    const willTopic = this.willTopics.get(client);
    if (willTopic === undefined) return result;
    const decision = decideDeviceTopicAccess(result.credentials.deviceId, willTopic, 'publish');
    if (decision.allowed) return result;
    this.metrics.aclDenied('publish', decision.reason);
    return { ok: false, reason: 'will_not_authorized', returnCode: refusalReturnCode('will_not_authorized') };
  }

  private authorizePublish(
    client: Client | null,
    packet: PublishPacket,
    callback: (error?: Error | null) => void,
  ): void {
    // A last will is the CONNECT's will object (no `cmd`); an obsolete will from persistence comes with
    // client null, and its topic passed the ACL at CONNECT (checkWill).
    const isWill = (packet as { cmd?: string }).cmd !== 'publish';
    const deviceId = client
      ? this.sessions.deviceOf(client)
      : isWill
        ? parseDeviceTopic(packet.topic)?.deviceId
        : undefined;
    if (deviceId === undefined) {
      this.discard('publish', 'unauthenticated', packet);
      callback(null);
      return;
    }
    const decision = decideDeviceTopicAccess(deviceId, packet.topic, 'publish');
    if (!decision.allowed) {
      this.discard('publish', decision.reason, packet, deviceId);
      callback(null);
      return;
    }
    if (!isWill) this.markSeen(deviceId);
    const message: DevicePublishMessage = {
      deviceId,
      topic: packet.topic,
      payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
      qos: packet.qos,
      receivedAt: this.clock.now(),
    };
    switch (decision.channel) {
      case 'telemetry':
        this.dispatch('telemetry', message, callback);
        return;
      case 'status':
        this.dispatch('status', message, callback);
        return;
      case 'commands':
      case 'errors':
        // Not reachable: the ACL lets devices publish to telemetry and status only.
        this.discard('publish', 'channel_not_allowed', packet, deviceId);
        callback(null);
        return;
    }
  }

  /**
   * Runs the handler INSIDE authorizePublish: aedes writes the QoS1 PUBACK (enqueuePublish) only after
   * this callback, so a PUBACK means the handler completed (the readings are durable). A failing handler
   * calls back with the error: aedes closes the connection without a PUBACK and the device redelivers
   * (MQTT-4.4.0-1), so a reading is never acknowledged and lost. aedes handles the packets of one socket
   * read concurrently, so handler calls of one device may overlap.
   */
  private dispatch(
    kind: 'telemetry' | 'status',
    message: DevicePublishMessage,
    callback: (error?: Error | null) => void,
  ): void {
    const handler = this.handlers[kind];
    if (!handler) {
      this.warnMissingOnce(kind);
      // Status is informational; telemetry without a handler would be acked and lost, so it is refused.
      callback(kind === 'telemetry' ? new Error('no telemetry handler: refusing the PUBLISH') : null);
      return;
    }
    Promise.resolve()
      .then(() => handler(message))
      .then(
        () => callback(null),
        (error: unknown) => {
          const err = toError(error);
          this.logger.warn(`${kind} of ${message.deviceId} not accepted, closing without PUBACK: ${err.message}`);
          callback(err);
        },
      )
      .catch((error: unknown) => this.logger.error(`aedes publish flow failed: ${toError(error).message}`));
  }

  private discard(
    action: TopicAction,
    reason: TopicDenialReason | 'unauthenticated',
    packet: PublishPacket,
    deviceId?: string,
  ): void {
    this.metrics.aclDenied(action, reason);
    this.logger.debug(`PUBLISH of ${deviceId ?? '?'} to ${JSON.stringify(packet.topic)} discarded: ${reason}`);
    packet.topic = DISCARDED_TOPIC;
    packet.retain = false;
  }

  /** MQTT-3.9.3: a refused subscription gets the SUBACK failure code 0x80; the connection stays. */
  private authorizeSubscribe(
    client: Client,
    subscription: Subscription,
    callback: (error: Error | null, subscription?: Subscription | null) => void,
  ): void {
    const deviceId = this.sessions.deviceOf(client);
    const decision =
      deviceId === undefined
        ? ({ allowed: false, reason: 'unauthenticated' } as const)
        : decideDeviceTopicAccess(deviceId, subscription.topic, 'subscribe');
    if (!decision.allowed) {
      this.metrics.aclDenied('subscribe', decision.reason);
      this.logger.debug(`SUBSCRIBE of ${deviceId ?? '?'} to ${JSON.stringify(subscription.topic)}: ${decision.reason}`);
      callback(null, null);
      return;
    }
    callback(null, subscription);
  }

  /** Defence in depth: a device only ever receives messages on its own downlink topics. */
  private authorizeForward(client: Client, packet: AedesPublishPacket): AedesPublishPacket | null {
    const deviceId = this.sessions.deviceOf(client);
    return deviceId !== undefined && decideDeviceTopicAccess(deviceId, packet.topic, 'subscribe').allowed
      ? packet
      : null;
  }

  private onClientReady(client: Client): void {
    const deviceId = this.sessions.deviceOf(client);
    if (deviceId === undefined) return;
    if (this.sessions.ready(client) === 'started') {
      this.metrics.setConnectedDevices(this.sessions.connectedDevices);
      this.emitSession('sessionStarted', deviceId);
    }
    this.markSeen(deviceId);
  }

  private onConnectionClosed(client: Client): void {
    const deviceId = this.sessions.deviceOf(client);
    if (deviceId === undefined) return;
    if (this.sessions.closed(client) === 'ended') {
      this.metrics.setConnectedDevices(this.sessions.connectedDevices);
      this.emitSession('sessionEnded', deviceId);
    }
  }

  private onDeviceTraffic(client: Client): void {
    const deviceId = this.sessions.deviceOf(client);
    if (deviceId !== undefined) this.markSeen(deviceId);
  }

  private markSeen(deviceId: string): void {
    const at = this.clock.now();
    if (!this.seen.shouldEmit(deviceId, at)) return;
    try {
      this.events.publish({ type: 'device.seen', deviceId, at });
    } catch (error) {
      this.logger.warn(`device.seen subscriber failed: ${toError(error).message}`);
    }
  }

  private emitSession(kind: 'sessionStarted' | 'sessionEnded', deviceId: string): void {
    const at = this.clock.now();
    const previous = this.sessionChains.get(deviceId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const handler = this.handlers[kind];
        if (handler) await handler({ deviceId, at });
        else this.warnMissingOnce(kind);
      })
      .catch((error: unknown) => this.logger.warn(`${kind} handler of ${deviceId} failed: ${toError(error).message}`));
    this.sessionChains.set(deviceId, next);
    void next.then(() => {
      if (this.sessionChains.get(deviceId) === next) this.sessionChains.delete(deviceId);
    });
  }

  private warnMissingOnce(kind: keyof BrokerHandlers): void {
    if (this.warnedMissing.has(kind)) return;
    this.warnedMissing.add(kind);
    this.logger.warn(`no ${kind} handler registered with the broker`);
  }

  private subscribeToDomainEvents(): void {
    this.eventSubscriptions.add(
      this.events.on('device.credentials_changed').subscribe((event) => {
        void this.onCredentialsChanged(event.deviceId, event.enabled);
      }),
    );
    this.eventSubscriptions.add(
      this.events.on('device.deleted').subscribe((event) => {
        this.cache.invalidate(event.deviceId);
        void this.disconnect(event.deviceId);
      }),
    );
    this.eventSubscriptions.add(
      this.events.on('telemetry.rejected').subscribe((event) => {
        // Devices subscribe to devices/{id}/errors to learn which field of which message was refused.
        this.publishToDevice(event.deviceId, 'errors', JSON.stringify(event.error), { qos: 1 }).catch(
          (error: unknown) => this.logger.warn(`errors topic of ${event.deviceId}: ${toError(error).message}`),
        );
      }),
    );
  }

  /** Drops the cached credentials; live connections that no longer pass authentication are closed. */
  private async onCredentialsChanged(deviceId: string, enabled: boolean): Promise<void> {
    this.cache.invalidate(deviceId);
    const live = this.sessions.connectionsOf(deviceId);
    if (live.length === 0) return;
    if (!enabled) {
      await this.disconnect(deviceId);
      return;
    }
    let credentials;
    try {
      credentials = await this.cache.get(deviceId);
    } catch (error) {
      this.logger.warn(`cannot re-check the live connections of ${deviceId}: ${toError(error).message}`);
      return;
    }
    for (const client of live) {
      const digest = this.sessions.tokenDigestOf(client);
      if (!credentials?.enabled || !digest?.equals(credentials.tokenDigest)) client.close();
    }
  }
}
