/**
 * One device's work queue in the pipeline: a bounded buffer of readings, the ranges of readings it had no
 * room for, and a pending wall-clock offline check. Plain and synchronous; the pipeline drains it one batch
 * at a time, so a device's readings are judged in order and never concurrently.
 *
 * Flooding. A device that sends faster than its readings are judged fills its lane up to `capacity`; past
 * that, readings are not buffered but remembered per metric as a time range [from, to]. They are durable in
 * the store already (the reading stream only carries stored readings), so when the lane catches up the
 * pipeline re-reads those ranges from the TelemetryStore in pages. Memory stays bounded whatever a device
 * sends, nothing is lost, and other devices are not slowed: each device has its own lane.
 *
 * Findings made at arrival (drift against paired sensors, judged in arrival order across devices) wait in
 * the lane too, so they are applied in the device's lane like its other findings.
 */
import type { Reading } from '#contracts';
import type { Finding } from '../core/index.js';

export interface DroppedRange {
  readonly from: number;
  readonly to: number;
}

export interface LaneWork {
  /** Buffered readings, sorted by event time (then metric). */
  readonly readings: Reading[];
  /** Per metric, readings that overflowed the buffer: re-read them from the store. */
  readonly overflow: ReadonlyMap<string, DroppedRange>;
  /** Wall-clock time of a requested offline check, or null. */
  readonly offlineCheckAt: number | null;
  /** Findings made at arrival, in order. */
  readonly findings: readonly Finding[];
  /** Wall-clock time the oldest buffered reading reached the lane (latency metric). */
  readonly enqueuedAt: number | null;
}

export class DeviceLane {
  private buffer: Reading[] = [];
  private overflowed = new Map<string, { from: number; to: number }>();
  private offlineAt: number | null = null;
  private found: Finding[] = [];
  private firstEnqueuedAt: number | null = null;
  /** A drain is running or about to run: further work only queues. */
  private scheduled = false;

  constructor(
    readonly deviceId: string,
    readonly capacity: number,
  ) {}

  get busy(): boolean {
    return this.scheduled;
  }

  get queued(): number {
    return this.buffer.length;
  }

  get hasWork(): boolean {
    return this.buffer.length > 0 || this.overflowed.size > 0 || this.offlineAt !== null || this.found.length > 0;
  }

  /** Queues a reading; false when it did not fit and was recorded as an overflow range instead. */
  offer(reading: Reading, now: number): boolean {
    if (this.buffer.length >= this.capacity) {
      const range = this.overflowed.get(reading.metric);
      if (range) {
        range.from = Math.min(range.from, reading.ts);
        range.to = Math.max(range.to, reading.ts);
      } else {
        this.overflowed.set(reading.metric, { from: reading.ts, to: reading.ts });
      }
      return false;
    }
    this.firstEnqueuedAt ??= now;
    this.buffer.push(reading);
    return true;
  }

  /** Queues findings made at arrival (applied by the next drain). */
  offerFindings(findings: readonly Finding[]): void {
    for (const f of findings) this.found.push(f);
  }

  requestOfflineCheck(now: number): void {
    this.offlineAt = now;
  }

  /** Marks the lane scheduled; true when the caller must start the drain (it was not running). */
  claim(): boolean {
    if (this.scheduled) return false;
    this.scheduled = true;
    return true;
  }

  /**
   * Takes everything queued, or null (and the lane is released) when there is nothing: the check and the
   * release happen in one synchronous step, so no work can slip in between unseen.
   */
  take(): LaneWork | null {
    if (!this.hasWork) {
      this.scheduled = false;
      return null;
    }
    const readings = this.buffer;
    readings.sort((a, b) => a.ts - b.ts || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
    const work: LaneWork = {
      readings,
      overflow: this.overflowed,
      offlineCheckAt: this.offlineAt,
      findings: this.found,
      enqueuedAt: this.firstEnqueuedAt,
    };
    this.found = [];
    this.buffer = [];
    this.overflowed = new Map();
    this.offlineAt = null;
    this.firstEnqueuedAt = null;
    return work;
  }
}
