import mqtt, { ErrorWithReasonCode, type IClientOptions, type MqttClient } from 'mqtt';
import { deviceTopic, DeviceErrorMessageSchema } from '#contracts';
import type { Backoff } from './backoff.js';
import { Outbox } from './outbox.js';

/** One message as the transport carries it. */
export interface OutboundMessage {
  readonly payload: string;
  readonly readings: number;
  readonly values: number;
  /** Malformed on purpose: the gateway should answer it on the errors topic. */
  readonly bad: boolean;
}

export interface DeviceRejection {
  readonly reason: string;
  readonly field: string;
  /** Readings the gateway dropped for this message. */
  readonly rejected: number;
}

export interface DeviceConnectionEvents {
  acked(message: OutboundMessage): void;
  rejected(rejection: DeviceRejection): void;
  /** A CONNACK was accepted; `reconnect` is false for the first one. */
  connected(reconnect: boolean): void;
  /** Sent again after a lost connection (at least once delivery). */
  retransmitted(count: number): void;
  /** The broker refused the credentials: retrying cannot help. */
  fatal(error: Error): void;
}

export type ConnectFn = (url: string, options: IClientOptions) => MqttClient;

export interface DeviceConnectionOptions {
  readonly url: string;
  readonly deviceId: string;
  readonly token: string;
  /** QoS 1 messages published and not yet acknowledged, at most. */
  readonly maxInFlight: number;
  readonly connectTimeoutMs: number;
  readonly backoff: Backoff;
  readonly events: DeviceConnectionEvents;
  /** Grace for the error replies of bad payloads before a planned disconnect. */
  readonly rejectionGraceMs?: number;
  readonly connect?: ConnectFn;
}

type State = 'idle' | 'connecting' | 'connected' | 'waiting' | 'offline' | 'closed';

/** CONNACK return codes 4 and 5 of MQTT 3.1.1 (MQTT-3.2.2.3): bad user name or password, not authorised. */
const REFUSED_CREDENTIALS = new Set([4, 5, 134, 135]);

/**
 * One device's MQTT 3.1.1 session: its own credentials, QoS 1 publishes from an outbox that only lets a
 * message go on its PUBACK, reconnection with backoff after a lost connection, planned offline periods,
 * and a subscription to its errors topic to count the gateway's rejections.
 */
export class DeviceConnection {
  private readonly outbox = new Outbox<OutboundMessage>();
  private client: MqttClient | undefined;
  /** Incremented per client instance: callbacks of an old connection are ignored. */
  private generation = 0;
  private state: State = 'idle';
  private connections = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private transitions: Promise<void> = Promise.resolve();
  private idleWaiters: Array<() => void> = [];
  private outboxIdleWaiters: Array<() => void> = [];
  /** Handed over while the link is down (planned offline): sent once it is back. */
  private readonly held: OutboundMessage[] = [];
  private linkDown = false;
  private rejectionWaiters: Array<() => void> = [];
  private firstConnect: { resolve: () => void; reject: (error: Error) => void } | undefined;
  private readonly errorsTopic: string;
  private readonly telemetryTopic: string;
  /** Bad payloads the gateway acknowledged, and error replies received: equal once all are answered. */
  private badAcked = 0;
  private rejectionsSeen = 0;

  constructor(private readonly options: DeviceConnectionOptions) {
    this.errorsTopic = deviceTopic(options.deviceId, 'errors');
    this.telemetryTopic = deviceTopic(options.deviceId, 'telemetry');
  }

  get deviceId(): string {
    return this.options.deviceId;
  }

  /** Messages not acknowledged yet. */
  get unacked(): number {
    return this.outbox.size + this.held.length;
  }

  get isConnected(): boolean {
    return this.state === 'connected';
  }

  /** First connection: resolves on CONNACK, rejects when the broker cannot be reached or refuses. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.firstConnect = { resolve, reject };
      this.open();
    });
  }

  send(message: OutboundMessage): void {
    if (this.linkDown) {
      this.held.push(message);
      return;
    }
    this.outbox.enqueue(message);
    this.pump();
  }

  /**
   * The device loses its link (a planned offline period). Messages already handed over are delivered
   * first (they were sent before the link went down, in event time), then the session ends.
   */
  goOffline(): void {
    this.linkDown = true;
    this.transitions = this.transitions.then(async () => {
      await this.waitOutboxIdle();
      await this.waitRejections(this.options.rejectionGraceMs ?? 2000);
      if (this.state === 'closed') return;
      this.state = 'offline';
      this.endClient();
    });
  }

  /** The link is back: reconnect, then whatever was queued meanwhile (the backlog) goes out. */
  goOnline(): void {
    this.transitions = this.transitions.then(() => {
      this.linkDown = false;
      for (const m of this.held.splice(0)) this.outbox.enqueue(m);
      if (this.state === 'offline') this.open();
      else this.pump();
    });
  }

  /** Resolves once every message handed over so far is acknowledged (held ones included). */
  waitIdle(): Promise<void> {
    if (this.unacked === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Resolves once every message handed over so far is acknowledged, apart from those held while the link is
   * down (they wait for the link; waiting for them could wait for an event the caller has not played yet).
   */
  waitSent(): Promise<void> {
    return this.waitOutboxIdle();
  }

  private waitOutboxIdle(): Promise<void> {
    if (this.outbox.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.outboxIdleWaiters.push(resolve));
  }

  /** Resolves once every acknowledged bad payload has had its error reply, or after `graceMs`. */
  waitRejections(graceMs: number): Promise<void> {
    if (this.rejectionsSeen >= this.badAcked) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, graceMs);
      const waiters = this.rejectionWaiters;
      function done() {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  /** Waits for pending planned transitions, then closes the session for good. */
  async close(): Promise<void> {
    await this.transitions;
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.generation++;
    if (client) await client.endAsync(true).catch(() => undefined);
  }

  private open(): void {
    const gen = ++this.generation;
    this.state = 'connecting';
    const o = this.options;
    const connect = o.connect ?? mqtt.connect;
    const client = connect(o.url, {
      protocolVersion: 4,
      clientId: o.deviceId,
      username: o.deviceId,
      password: o.token,
      clean: true,
      // Reconnection is ours (backoff, resend from the outbox), not mqtt.js's.
      reconnectPeriod: 0,
      connectTimeout: o.connectTimeoutMs,
      keepalive: 60,
      resubscribe: false,
    });
    this.client = client;
    const current = () => gen === this.generation;

    client.on('connect', () => {
      if (!current()) return;
      this.connections++;
      o.backoff.reset();
      // Subscribe before publishing, so that no error reply of this session is missed.
      client.subscribe(this.errorsTopic, { qos: 1 }, (error) => {
        if (!current()) return;
        if (error) {
          this.dropConnection();
          return;
        }
        this.state = 'connected';
        o.events.connected(this.connections > 1);
        if (this.firstConnect) {
          this.firstConnect.resolve();
          this.firstConnect = undefined;
        }
        this.pump();
      });
    });
    client.on('message', (topic, payload) => {
      if (topic !== this.errorsTopic) return;
      this.rejectionsSeen++;
      let parsed: unknown;
      try {
        parsed = JSON.parse(payload.toString('utf8'));
      } catch {
        parsed = undefined;
      }
      const message = DeviceErrorMessageSchema.safeParse(parsed);
      o.events.rejected(
        message.success
          ? { reason: message.data.error, field: message.data.field, rejected: message.data.rejected }
          : { reason: 'unparsed_error_reply', field: '$', rejected: 0 },
      );
      if (this.rejectionsSeen >= this.badAcked) for (const w of this.rejectionWaiters.slice()) w();
    });
    client.on('error', (error) => {
      if (!current()) return;
      const refused = error instanceof ErrorWithReasonCode && REFUSED_CREDENTIALS.has(error.code ?? -1);
      if (refused) {
        const fatal = new Error(`${o.deviceId}: the broker refused the device credentials (${error.message})`);
        this.state = 'closed';
        this.generation++;
        client.end(true);
        if (this.firstConnect) this.firstConnect.reject(fatal);
        else o.events.fatal(fatal);
        this.firstConnect = undefined;
        return;
      }
      if (this.firstConnect && this.connections === 0) {
        const code = (error as NodeJS.ErrnoException).code;
        this.firstConnect.reject(new Error(`cannot connect to ${o.url} as ${o.deviceId}: ${code ?? error.message}`));
        this.firstConnect = undefined;
        this.state = 'closed';
        this.generation++;
        client.end(true);
      }
      // Any other error is followed by 'close', which reconnects.
    });
    client.on('close', () => {
      if (!current()) return;
      this.lostConnection();
    });
  }

  /** The current session is gone: what was in flight goes back to the queue; reconnect unless planned. */
  private lostConnection(): void {
    const requeued = this.outbox.requeueInFlight();
    if (requeued > 0) this.options.events.retransmitted(requeued);
    this.generation++;
    const client = this.client;
    this.client = undefined;
    client?.end(true);
    if (this.state === 'offline' || this.state === 'closed') return;
    this.state = 'waiting';
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      if (this.state === 'waiting') this.open();
    }, this.options.backoff.next());
  }

  private dropConnection(): void {
    this.lostConnection();
  }

  private endClient(): void {
    const requeued = this.outbox.requeueInFlight();
    if (requeued > 0) this.options.events.retransmitted(requeued);
    const client = this.client;
    this.client = undefined;
    this.generation++;
    client?.end(true);
  }

  private pump(): void {
    const client = this.client;
    if (this.state !== 'connected' || client === undefined) return;
    const gen = this.generation;
    while (this.outbox.inFlightCount < this.options.maxInFlight) {
      const item = this.outbox.take();
      if (item === undefined) break;
      // MQTT-4.3.2: QoS 1; the callback runs on PUBACK, i.e. once the gateway has stored the readings.
      client.publish(this.telemetryTopic, item.message.payload, { qos: 1 }, (error) => {
        if (gen !== this.generation) return;
        if (error) {
          // The session is broken; the close handler requeues and reconnects.
          this.dropConnection();
          return;
        }
        const message = this.outbox.ack(item.id);
        if (message === undefined) return;
        if (message.bad) this.badAcked++;
        this.options.events.acked(message);
        if (this.outbox.size === 0) this.notifyIdle();
        this.pump();
      });
    }
  }

  private notifyIdle(): void {
    const outboxWaiters = this.outboxIdleWaiters;
    this.outboxIdleWaiters = [];
    for (const w of outboxWaiters) w();
    if (this.held.length > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
