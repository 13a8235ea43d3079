import { type BeforeApplicationShutdown, Inject, Injectable } from '@nestjs/common';
import type { Reading } from '#contracts';
import { readingKey, TELEMETRY_STORE, type TelemetryStore } from '../store/telemetry-store.js';
import { BATCH_WRITER_OPTIONS, type BatchWriterOptions } from './batch-writer-options.js';
import { TelemetryMetrics } from './telemetry-metrics.js';

/** Thrown by `write` once `close()` has begun: the gateway is shutting down and will not ack. */
export class BatchWriterClosedError extends Error {
  constructor() {
    super('the telemetry batch writer is closed (shutting down)');
    this.name = 'BatchWriterClosedError';
  }
}

interface PendingWrite {
  readonly readings: readonly Reading[];
  resolve(fresh: Reading[]): void;
  reject(error: unknown): void;
}

/**
 * Group commit: the readings of many concurrent messages go to the store in one statement.
 *
 * A batch is written when it holds `maxRows` readings, or `maxWaitMs` after its first write, and only
 * one write is in flight at a time: while it runs, new writes accumulate into the next batch, so under
 * load batches grow by themselves and the database sees fewer, larger statements. Batches are taken
 * whole writes at a time (a message is never split) in arrival order, so writers complete in order.
 *
 * `write()` resolves once the batch holding its readings is committed, with those of its readings that
 * were new; if the batch fails, every writer of that batch is rejected (the gateway then does not send
 * the QoS1 PUBACK and the device redelivers).
 */
@Injectable()
export class BatchWriter implements BeforeApplicationShutdown {
  private queue: PendingWrite[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The queued writes must be written as soon as no write is in flight. */
  private due = false;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  private writesQueued = 0;
  private writesSettled = 0;

  constructor(
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
    @Inject(BATCH_WRITER_OPTIONS) private readonly options: BatchWriterOptions,
    private readonly metrics: TelemetryMetrics,
  ) {}

  /** Queues readings for the next batch; resolves with the new ones once they are durable. */
  write(readings: readonly Reading[]): Promise<Reading[]> {
    if (this.closed) return Promise.reject(new BatchWriterClosedError());
    if (readings.length === 0) return Promise.resolve([]);
    return new Promise<Reading[]>((resolve, reject) => {
      this.queue.push({ readings, resolve, reject });
      this.queuedRows += readings.length;
      this.writesQueued += 1;
      this.metrics.bufferedRows.set(this.queuedRows);
      if (this.queuedRows >= this.options.maxRows) {
        this.due = true;
      } else if (this.timer === undefined && !this.due) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.due = true;
          this.pump();
        }, this.options.maxWaitMs);
      }
      this.pump();
    });
  }

  /** Writes everything queued so far; resolves when those writes have settled (never rejects). */
  async flush(): Promise<void> {
    const target = this.writesQueued;
    while (this.writesSettled < target) {
      if (this.inFlight === undefined) {
        this.due = true;
        this.pump();
      }
      if (this.inFlight === undefined) return;
      await this.inFlight;
    }
  }

  /** Stops accepting writes and writes what is queued (graceful shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Nest: before the connections close, so the database is still there for the last batch. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }

  get bufferedRows(): number {
    return this.queuedRows;
  }

  private pump(): void {
    if (this.inFlight !== undefined || !this.due || this.queue.length === 0) return;
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    let take = 0;
    let rows = 0;
    while (take < this.queue.length && (take === 0 || rows < this.options.maxRows)) {
      const next = this.queue[take]!;
      if (take > 0 && rows + next.readings.length > this.options.maxRows) break;
      rows += next.readings.length;
      take += 1;
    }
    const batch = this.queue.slice(0, take);
    this.queue = this.queue.slice(take);
    this.queuedRows -= rows;
    this.metrics.bufferedRows.set(this.queuedRows);
    // What is left over has already waited its turn: write it right after this batch.
    this.due = this.queue.length > 0;
    this.inFlight = this.commit(batch, rows).finally(() => {
      this.inFlight = undefined;
      this.writesSettled += batch.length;
      this.pump();
    });
  }

  /** Writes one batch and settles its writers; never rejects. */
  private async commit(batch: readonly PendingWrite[], rows: number): Promise<void> {
    const readings: Reading[] = new Array<Reading>(rows);
    let i = 0;
    for (const write of batch) for (const r of write.readings) readings[i++] = r;
    const stopTimer = this.metrics.batchWriteSeconds.startTimer();
    let fresh: Reading[];
    try {
      fresh = await this.store.insert(readings);
    } catch (error) {
      stopTimer();
      for (const write of batch) write.reject(error);
      return;
    }
    stopTimer();
    this.metrics.readingsAccepted.inc(fresh.length);
    this.metrics.readingsDuplicate.inc(rows - fresh.length);
    if (fresh.length === rows) {
      for (const write of batch) write.resolve([...write.readings]);
      return;
    }
    // Some were already stored. The store keeps the first of a repeated key, so the first writer of
    // that key claims it as new and a later one (a concurrent redelivery) sees it as a duplicate.
    const unclaimed = new Set(fresh.map((r) => readingKey(r.deviceId, r.metric, r.ts)));
    for (const write of batch) {
      write.resolve(write.readings.filter((r) => unclaimed.delete(readingKey(r.deviceId, r.metric, r.ts))));
    }
  }
}
