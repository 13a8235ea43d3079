import type { OutboundMessage } from './device-connection.js';

/** Counters of the transport side of a run. */
export interface TransportStats {
  /** Messages handed to the transport (good and bad), each counted once. */
  published: number;
  /** Messages the gateway acknowledged (QoS 1 PUBACK: stored, or rejected and dead-lettered). */
  acked: number;
  ackedReadings: number;
  ackedValues: number;
  /** Error replies received on the devices' errors topics. */
  rejected: number;
  /** Readings the gateway reported as dropped in those replies. */
  rejectedReadings: number;
  rejectionReasons: Record<string, number>;
  /** Sessions re-established after a lost link (planned offline periods included). */
  reconnects: number;
  /** Messages sent again after a lost connection. */
  retransmits: number;
}

export interface FinishOptions {
  readonly expectedRejections: number;
  readonly rejectionGraceMs: number;
  readonly idleTimeoutMs?: number;
}

/** What the run loop drives: the MQTT fleet, or a dry run that acks everything at once. */
export interface FleetTransport {
  readonly stats: TransportStats;
  /** Messages handed over and not acknowledged yet. */
  readonly unacked: number;
  open(): Promise<void>;
  send(deviceIndex: number, message: OutboundMessage): void;
  offline(deviceIndex: number): void;
  online(deviceIndex: number): void;
  /** Undefined while there is room; otherwise resolves when the backlog of unacked messages has shrunk. */
  backpressure(): Promise<void> | undefined;
  /**
   * Resolves once every message handed to these devices so far is acknowledged (apart from what a device holds
   * while its link is down): a customer's report goes out after the readings that show the failure are stored.
   */
  settled(deviceIndexes: readonly number[]): Promise<void>;
  /**
   * Waits until every message is acknowledged (or `idleTimeoutMs` ran out, when given) and the expected
   * error replies arrived (or `rejectionGraceMs` ran out).
   */
  finish(options: FinishOptions): Promise<void>;
  close(): Promise<void>;
}

export function emptyStats(): TransportStats {
  return {
    published: 0,
    acked: 0,
    ackedReadings: 0,
    ackedValues: 0,
    rejected: 0,
    rejectedReadings: 0,
    rejectionReasons: {},
    reconnects: 0,
    retransmits: 0,
  };
}

export function countAck(stats: TransportStats, message: OutboundMessage): void {
  stats.acked++;
  stats.ackedReadings += message.readings;
  stats.ackedValues += message.values;
}

/** `--dry-run`: everything is generated and encoded, nothing leaves the process. */
export class DryRunTransport implements FleetTransport {
  readonly stats = emptyStats();
  readonly unacked = 0;
  /** Bytes that would have gone out as MQTT payloads. */
  bytes = 0;

  async open(): Promise<void> {}

  send(_deviceIndex: number, message: OutboundMessage): void {
    this.stats.published++;
    this.bytes += Buffer.byteLength(message.payload);
    countAck(this.stats, message);
  }

  offline(): void {}
  online(): void {}

  backpressure(): undefined {
    return undefined;
  }

  async settled(): Promise<void> {}

  async finish(): Promise<void> {}
  async close(): Promise<void> {}
}
