import type { Reading, RejectionReason } from '#contracts';

/** One stored value, as answered by raw queries. */
export interface ReadingPoint {
  /** Event time, epoch ms. */
  readonly ts: number;
  readonly value: number;
}

/** One time bucket of a downsampled query. */
export interface ReadingBucket {
  /** Bucket start, epoch ms; buckets are aligned to the Unix epoch (1970-01-01T00:00:00Z). */
  readonly ts: number;
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly count: number;
}

/** One stream's time range, inclusive at both ends (a multi-stream read). */
export interface StreamRange {
  readonly deviceId: string;
  readonly metric: string;
  readonly from: number;
  readonly to: number;
}

/** A refused payload (or reading), kept raw for inspection and replay. */
export interface DeadLetter {
  readonly deviceId: string;
  readonly topic: string;
  readonly payload: Buffer;
  readonly reason: RejectionReason;
  readonly field: string;
  readonly message: string;
  /** Wall-clock receive time, epoch ms. */
  readonly receivedAt: number;
}

/**
 * Where telemetry lives. The default adapter is the SQL database (SqlTelemetryStore); an InfluxDB
 * adapter comes later, so nothing outside the adapters may assume SQL.
 *
 * Time ranges are inclusive at both ends: `from <= ts <= to`.
 */
export interface TelemetryStore {
  /**
   * Stores readings and answers those that were new, in input order. A reading whose
   * (deviceId, metric, ts) is already stored, or appears earlier in the same call, is ignored: that is
   * what makes a QoS1 redelivery store nothing twice. Resolves only once the readings are durable.
   */
  insert(readings: readonly Reading[]): Promise<Reading[]>;
  /** The newest `limit` points of the range, answered in ascending time order. */
  query(deviceId: string, metric: string, from: number, to: number, limit: number): Promise<ReadingPoint[]>;
  /**
   * `query` of several streams in one round trip: for each range, the newest `limit` points of it, ascending;
   * answered in the order of `ranges` (an empty array for a stream with none).
   */
  queryMany(ranges: readonly StreamRange[], limit: number): Promise<ReadingPoint[][]>;
  /** min / max / avg / count per `stepMs` bucket of the range, ascending; empty buckets are omitted. */
  queryBuckets(deviceId: string, metric: string, from: number, to: number, stepMs: number): Promise<ReadingBucket[]>;
  /** The latest point of every metric the device has sent. */
  latest(deviceId: string): Promise<Map<string, ReadingPoint>>;
  insertDeadLetters(rows: readonly DeadLetter[]): Promise<void>;
  /** For tests and operations. */
  countDeadLetters(deviceId?: string): Promise<number>;
}

export const TELEMETRY_STORE = Symbol('TelemetryStore');

/** Identity of a stored reading: the primary key (device, metric, ts). */
export function readingKey(deviceId: string, metric: string, ts: number): string {
  return `${deviceId}\u0000${metric}\u0000${ts}`;
}
