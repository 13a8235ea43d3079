import { type AlertPolicy, DEFAULT_ALERT_POLICY } from './alerts/alert-policy.js';

/** Tuning of the detection wiring; every field has a default (DEFAULT_DETECTION_OPTIONS). */
export interface DetectionOptions {
  /** Subscribe to the reading stream at start. Off: the API still answers, nothing is detected live. */
  readonly enabled: boolean;
  /** Dirty detector snapshots are written this often (and at shutdown), in batches. */
  readonly flushIntervalMs: number;
  /**
   * Snapshots per statement. 50: on PGlite, which runs on the ingest thread, a statement of 500 (about
   * 0.4 MB of JSON) held it 70 - 160 ms, the acks of readings arriving meanwhile waiting; 100 take 15 - 30 ms,
   * 50 take 8 - 12 ms, for the same total. In the ingest bench (side by side, a flush in each run) the p99 ack
   * at 1 000 msg/s with detection on was 136 ms with 500, 35 - 37 ms with 100, 24 ms with 50 (off: 14 - 16 ms).
   */
  readonly flushBatchSize: number;
  /** Wall-clock offline check of live devices. */
  readonly offlineCheckIntervalMs: number;
  /** Readings buffered per device; beyond it they are re-read from the store when the device's lane catches up. */
  readonly laneCapacity: number;
  /** History read to warm a stream up when it has no snapshot. */
  readonly warmupDays: number;
  readonly warmupMaxReadings: number;
  /** Page size when re-reading stored readings (gaps after a restart, lane overflow, replay). */
  readonly historyPageSize: number;
  /** Asset profiles (coating spec, sampling interval) are re-read this often; a change reconfigures the streams. */
  readonly profileTtlMs: number;
  /** A reading is live when its event time is within max(this, 2 sampling intervals) of the wall-clock. */
  readonly liveToleranceMs: number;
  /** At start, devices live within this horizon get a wall-clock offline check even before they send again. */
  readonly dormantHorizonMs: number;
  /** At shutdown, how long to wait for the device lanes to finish before writing the snapshots. */
  readonly shutdownDrainMs: number;
  /**
   * Alert writes (one transaction per finding) in flight at once, over every device, each started on a new turn
   * of the event loop (`backgroundWrites`): a burst of alerts (a fleet commissioned with a wrong nominal DFT)
   * must not stall the ingest's acks; the alerts drain behind the inserts instead.
   */
  readonly alertWriteConcurrency: number;
  /** Most readings one replay request (`POST /api/devices/{id}/replay`) goes through. */
  readonly replayMaxReadings: number;
  readonly policy: AlertPolicy;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = {
  enabled: true,
  flushIntervalMs: 30_000,
  flushBatchSize: 50,
  offlineCheckIntervalMs: 60_000,
  laneCapacity: 10_000,
  warmupDays: 30,
  warmupMaxReadings: 5_000,
  historyPageSize: 5_000,
  profileTtlMs: 5 * 60_000,
  liveToleranceMs: 15 * 60_000,
  dormantHorizonMs: 7 * 86_400_000,
  shutdownDrainMs: 5_000,
  replayMaxReadings: 200_000,
  alertWriteConcurrency: 2,
  policy: DEFAULT_ALERT_POLICY,
};

export const DETECTION_OPTIONS = Symbol('DetectionOptions');

export function resolveDetectionOptions(options: Partial<DetectionOptions> = {}): DetectionOptions {
  return { ...DEFAULT_DETECTION_OPTIONS, ...options };
}
