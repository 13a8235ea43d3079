import type { Fleet } from '../core/fleet.js';
import { SimulationError } from '../errors.js';
import { Rng } from '../core/random.js';
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff.js';
import { mapLimit } from './concurrency.js';
import { type ConnectFn, DeviceConnection, type OutboundMessage } from './device-connection.js';
import {
  countAck,
  emptyStats,
  type FinishOptions,
  type FleetTransport,
  type TransportStats,
} from './fleet-transport.js';

export interface MqttFleetTransportOptions {
  readonly url: string;
  readonly fleet: Fleet;
  readonly tokens: ReadonlyMap<string, string>;
  readonly seed: number;
  /** Unacked QoS 1 messages per device. */
  readonly maxInFlight: number;
  /** Unacked messages over the whole fleet before the run loop waits. */
  readonly highWater?: number;
  readonly connectConcurrency?: number;
  readonly connectTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
  readonly connect?: ConnectFn;
  readonly log?: (line: string) => void;
}

/** Every device of the fleet as its own MQTT connection. */
export class MqttFleetTransport implements FleetTransport {
  readonly stats: TransportStats = emptyStats();
  private readonly connections: DeviceConnection[];
  private readonly highWater: number;
  private unackedCount = 0;
  private capacityWaiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private fatalError: Error | undefined;
  private signalFatal: (error: Error) => void = () => undefined;
  private readonly fatal = new Promise<never>((_, reject) => {
    this.signalFatal = reject;
  });

  constructor(private readonly options: MqttFleetTransportOptions) {
    const devices = options.fleet.devices;
    this.highWater = options.highWater ?? Math.min(200_000, Math.max(2000, devices.length * options.maxInFlight * 2));
    // Nobody may be waiting on it yet; the rejection is still observed by whoever awaits later.
    this.fatal.catch(() => undefined);
    this.connections = devices.map((d) => {
      const token = options.tokens.get(d.id);
      if (token === undefined) throw new Error(`no token for device ${d.id}`);
      // Backoff jitter from its own seeded stream: a rerun retries on the same schedule.
      const jitter = Rng.fork(options.seed, 'backoff', d.index);
      return new DeviceConnection({
        url: options.url,
        deviceId: d.id,
        token,
        maxInFlight: options.maxInFlight,
        connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
        backoff: new Backoff(options.backoff ?? DEFAULT_BACKOFF, () => jitter.next()),
        ...(options.connect ? { connect: options.connect } : {}),
        events: {
          acked: (message) => {
            countAck(this.stats, message);
            this.unackedCount--;
            if (this.unackedCount <= this.highWater / 2) this.release();
          },
          rejected: (r) => {
            this.stats.rejected++;
            this.stats.rejectedReadings += r.rejected;
            this.stats.rejectionReasons[r.reason] = (this.stats.rejectionReasons[r.reason] ?? 0) + 1;
          },
          connected: (reconnect) => {
            if (reconnect) this.stats.reconnects++;
          },
          retransmitted: (count) => {
            this.stats.retransmits += count;
          },
          fatal: (error) => this.fail(error),
        },
      });
    });
  }

  get unacked(): number {
    return this.unackedCount;
  }

  async open(): Promise<void> {
    const log = this.options.log ?? (() => undefined);
    try {
      await mapLimit(this.connections, this.options.connectConcurrency ?? 50, (c) => c.start());
    } catch (error) {
      throw new SimulationError(`${error instanceof Error ? error.message : String(error)}; check --gateway`);
    }
    log(`connected ${this.connections.length} devices to ${this.options.url}`);
  }

  send(deviceIndex: number, message: OutboundMessage): void {
    this.stats.published++;
    this.unackedCount++;
    this.connections[deviceIndex]!.send(message);
  }

  offline(deviceIndex: number): void {
    this.connections[deviceIndex]!.goOffline();
  }

  online(deviceIndex: number): void {
    this.connections[deviceIndex]!.goOnline();
  }

  backpressure(): Promise<void> | undefined {
    if (this.fatalError) return Promise.reject(this.fatalError);
    if (this.unackedCount < this.highWater) return undefined;
    return new Promise((resolve, reject) => this.capacityWaiters.push({ resolve, reject }));
  }

  async settled(deviceIndexes: readonly number[]): Promise<void> {
    await Promise.race([Promise.all(deviceIndexes.map((i) => this.connections[i]!.waitSent())), this.fatal]);
  }

  async finish(options: FinishOptions): Promise<void> {
    const idle = Promise.all(this.connections.map((c) => c.waitIdle()));
    let timer: NodeJS.Timeout | undefined;
    const timeout =
      options.idleTimeoutMs === undefined
        ? []
        : [new Promise<void>((resolve) => (timer = setTimeout(resolve, options.idleTimeoutMs)))];
    try {
      await Promise.race([idle, this.fatal, ...timeout]);
    } finally {
      clearTimeout(timer);
    }
    // Error replies may trail the PUBACKs: give them a moment.
    const deadline = Date.now() + options.rejectionGraceMs;
    while (this.stats.rejected < options.expectedRejections && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    await mapLimit(this.connections, 100, (c) => c.close());
  }

  private release(): void {
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const w of waiters) w.resolve();
  }

  private fail(error: Error): void {
    if (this.fatalError) return;
    error = new SimulationError(error.message);
    this.fatalError = error;
    this.signalFatal(error);
    const waiters = this.capacityWaiters;
    this.capacityWaiters = [];
    for (const w of waiters) w.reject(error);
  }
}
