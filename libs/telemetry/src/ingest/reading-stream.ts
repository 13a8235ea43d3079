import { Inject, Injectable, Logger, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import type { Reading } from '#contracts';
import { TelemetryMetrics } from './telemetry-metrics.js';

export interface ReadingStreamOptions {
  /** Readings queued for slow subscribers beyond which the oldest batches are dropped. */
  readonly maxPending: number;
  /** Readings delivered per event-loop turn before yielding to I/O (and so to ingestion). */
  readonly drainChunk: number;
}

export const READING_STREAM_OPTIONS = Symbol('ReadingStreamOptions');
const DEFAULTS: ReadingStreamOptions = { maxPending: 100_000, drainChunk: 5_000 };

/**
 * The live stream of accepted NEW readings (detection consumes it). A reading is published only after
 * it is durable, and a QoS1 redelivery is not published again (the store reports it as a duplicate).
 *
 * A slow subscriber must never block ingestion, so delivery is decoupled: `publish()` only queues and
 * returns; the queue is drained on a later turn of the event loop (setImmediate), at most `drainChunk`
 * readings per turn, so socket I/O, acks and database callbacks interleave with delivery. If
 * subscribers fall `maxPending` readings behind, the oldest queued batches are dropped, counted
 * (`telemetry_stream_dropped_total`) and logged: the readings are safely stored, and a consumer that
 * needs every one of them can re-read the store. Unbounded buffering would instead turn a slow
 * subscriber into an out-of-memory crash of the whole gateway. Delivery order is publish order.
 */
@Injectable()
export class ReadingStream implements OnApplicationShutdown {
  private readonly subject = new Subject<Reading>();
  readonly readings$: Observable<Reading> = this.subject.asObservable();
  private readonly options: ReadingStreamOptions;
  private readonly logger = new Logger('ReadingStream');
  private queue: Array<readonly Reading[]> = [];
  private pending = 0;
  private scheduled: NodeJS.Immediate | undefined;
  private lastDropWarning = 0;

  constructor(
    private readonly metrics: TelemetryMetrics,
    @Optional() @Inject(READING_STREAM_OPTIONS) options?: Partial<ReadingStreamOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Queues durable, new readings for the subscribers; never blocks and never throws. */
  publish(readings: readonly Reading[]): void {
    if (readings.length === 0 || this.subject.closed || !this.subject.observed) return;
    this.queue.push(readings);
    this.pending += readings.length;
    while (this.pending > this.options.maxPending && this.queue.length > 1) {
      const dropped = this.queue.shift()!;
      this.pending -= dropped.length;
      this.metrics.streamDropped.inc(dropped.length);
      this.warnDropped();
    }
    this.metrics.streamPending.set(this.pending);
    this.scheduled ??= setImmediate(this.drain);
  }

  /** Readings queued and not yet delivered. */
  get pendingReadings(): number {
    return this.pending;
  }

  /** Delivers what is queued, then completes the stream. */
  onApplicationShutdown(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    this.deliver(Number.POSITIVE_INFINITY);
    this.subject.complete();
  }

  private readonly drain = (): void => {
    this.scheduled = undefined;
    this.deliver(this.options.drainChunk);
    if (this.queue.length > 0) this.scheduled = setImmediate(this.drain);
  };

  private deliver(budget: number): void {
    const start = performance.now();
    let left = budget;
    while (left > 0 && this.queue.length > 0) {
      const batch = this.queue.shift()!;
      this.pending -= batch.length;
      left -= batch.length;
      for (const reading of batch) this.subject.next(reading);
    }
    this.metrics.streamPending.set(this.pending);
    this.metrics.streamDelivery.since(start);
  }

  private warnDropped(): void {
    const now = performance.now();
    if (now - this.lastDropWarning < 10_000) return;
    this.lastDropWarning = now;
    this.logger.warn(
      `reading stream subscribers are more than ${this.options.maxPending} readings behind: dropping the oldest (stored, not streamed)`,
    );
  }
}
