import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reading } from '#contracts';
import { MetricsRegistry } from '#platform';
import { readingKey, type TelemetryStore } from '../store/telemetry-store.js';
import { resolveBatchWriterOptions } from './batch-writer-options.js';
import { BatchWriter, BatchWriterClosedError } from './batch-writer.js';
import { TelemetryMetrics } from './telemetry-metrics.js';

/** An in-memory store whose inserts resolve when the test says so. */
class FakeStore implements Pick<TelemetryStore, 'insert'> {
  readonly calls: Reading[][] = [];
  readonly keys = new Set<string>();
  private gates: Array<{ release: () => void; fail: (e: Error) => void }> = [];
  manual = false;

  insert(readings: readonly Reading[]): Promise<Reading[]> {
    this.calls.push([...readings]);
    const run = () => {
      const fresh: Reading[] = [];
      for (const r of readings) {
        const k = readingKey(r.deviceId, r.metric, r.ts);
        if (!this.keys.has(k)) {
          this.keys.add(k);
          fresh.push(r);
        }
      }
      return fresh;
    };
    if (!this.manual) return Promise.resolve(run());
    return new Promise((resolve, reject) => {
      this.gates.push({ release: () => resolve(run()), fail: reject });
    });
  }

  release(): void {
    this.gates.shift()!.release();
  }
  fail(error: Error): void {
    this.gates.shift()!.fail(error);
  }
  get waiting(): number {
    return this.gates.length;
  }
}

const readings = (n: number, start = 0, metric = 'battery_v'): Reading[] =>
  Array.from({ length: n }, (_, i) => ({ deviceId: 'd1', metric, ts: start + i, value: 3 }));

describe('BatchWriter', () => {
  let store: FakeStore;
  let metrics: TelemetryMetrics;
  const make = (maxRows = 10, maxWaitMs = 5) =>
    new BatchWriter(store as unknown as TelemetryStore, resolveBatchWriterOptions({ maxRows, maxWaitMs }), metrics);
  const accepted = async () => (await metrics.readingsAccepted.get()).values[0]?.value ?? Number.NaN;

  beforeEach(() => {
    vi.useFakeTimers();
    store = new FakeStore();
    metrics = new TelemetryMetrics(new MetricsRegistry());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('waits maxWaitMs to fill a batch, then writes the writes together in one insert', async () => {
    const w = make(100, 5);
    const a = w.write(readings(2, 0));
    const b = w.write(readings(3, 100));
    await vi.advanceTimersByTimeAsync(4);
    expect(store.calls).toHaveLength(0);
    expect(w.bufferedRows).toBe(5);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.calls.map((c) => c.length)).toEqual([5]);
    expect(await a).toEqual(readings(2, 0));
    expect(await b).toEqual(readings(3, 100));
    expect(w.bufferedRows).toBe(0);
    expect(await accepted()).toBe(5);
  });

  it('writes at once when maxRows is reached, without waiting for the timer', async () => {
    const w = make(5, 1000);
    const a = w.write(readings(3, 0));
    const b = w.write(readings(2, 10));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls.map((c) => c.length)).toEqual([5]);
    await expect(a).resolves.toHaveLength(3);
    await expect(b).resolves.toHaveLength(2);
  });

  it('one write in flight at a time: writes arriving meanwhile form the next batch', async () => {
    store.manual = true;
    const w = make(4, 5);
    const first = w.write(readings(4, 0));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls).toHaveLength(1);
    const second = [w.write(readings(2, 10)), w.write(readings(2, 20)), w.write(readings(1, 30))];
    await vi.advanceTimersByTimeAsync(50);
    // The timer and the size limit are both due, but the first insert has not committed yet.
    expect(store.calls).toHaveLength(1);
    expect(w.bufferedRows).toBe(5);
    store.release();
    await expect(first).resolves.toHaveLength(4);
    await vi.advanceTimersByTimeAsync(0);
    // Whole writes up to maxRows: 2 + 2, then the 1 left over goes next without waiting again.
    expect(store.calls.map((c) => c.length)).toEqual([4, 4]);
    store.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls.map((c) => c.length)).toEqual([4, 4, 1]);
    store.release();
    expect((await Promise.all(second)).map((r) => r.length)).toEqual([2, 2, 1]);
  });

  it('a write larger than maxRows goes alone in one statement (a message is never split)', async () => {
    const w = make(5, 5);
    const big = w.write(readings(12, 0));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.calls.map((c) => c.length)).toEqual([12]);
    await expect(big).resolves.toHaveLength(12);
  });

  it('a failing write rejects every writer of that batch, and the next batch carries on', async () => {
    store.manual = true;
    const w = make(100, 5);
    const a = w.write(readings(2, 0));
    const b = w.write(readings(2, 10));
    await vi.advanceTimersByTimeAsync(5);
    const c = w.write(readings(1, 20));
    const failure = new Error('database is down');
    store.fail(failure);
    await expect(a).rejects.toBe(failure);
    await expect(b).rejects.toBe(failure);
    await vi.advanceTimersByTimeAsync(5);
    store.release();
    await expect(c).resolves.toHaveLength(1);
  });

  it('a store that throws synchronously also rejects the writers', async () => {
    const w = make(1, 5);
    const failure = new Error('boom');
    store.insert = () => {
      throw failure;
    };
    await expect(w.write(readings(1))).rejects.toBe(failure);
  });

  it('answers each writer only its new readings; a repeated key counts for the first writer', async () => {
    const w = make(100, 5);
    await Promise.all([w.write(readings(2, 0)), vi.advanceTimersByTimeAsync(5)]);
    const redelivery = w.write(readings(3, 0)); // ts 0 and 1 stored already, 2 is new
    const concurrent = w.write(readings(1, 2)); // same key as the new one above, later in the batch
    await vi.advanceTimersByTimeAsync(5);
    expect(await redelivery).toEqual(readings(1, 2));
    expect(await concurrent).toEqual([]);
    expect(await accepted()).toBe(3);
    expect((await metrics.readingsDuplicate.get()).values[0]?.value).toBe(3);
  });

  it('preserves write order across batches', async () => {
    const w = make(3, 5);
    const all = Array.from({ length: 10 }, (_, i) => w.write(readings(1 + (i % 3), i * 10)));
    await vi.advanceTimersByTimeAsync(20);
    await Promise.all(all);
    const written = store.calls.flat().map((r) => r.ts);
    expect(written).toEqual(all.flatMap((_, i) => readings(1 + (i % 3), i * 10).map((r) => r.ts)));
  });

  it('empty writes resolve at once without touching the store', async () => {
    const w = make();
    await expect(w.write([])).resolves.toEqual([]);
    expect(store.calls).toHaveLength(0);
  });

  it('flush() writes what is buffered without waiting for the timer', async () => {
    const w = make(100, 60_000);
    const a = w.write(readings(3));
    await w.flush();
    expect(store.calls).toHaveLength(1);
    await expect(a).resolves.toHaveLength(3);
    await w.flush(); // nothing buffered: returns at once
  });

  it('close() flushes what is buffered, then refuses new writes', async () => {
    store.manual = true;
    const w = make(2, 60_000);
    const a = w.write(readings(2, 0)); // in flight
    await vi.advanceTimersByTimeAsync(0);
    const b = w.write(readings(1, 10)); // buffered
    const closing = w.beforeApplicationShutdown();
    await expect(w.write(readings(1, 20))).rejects.toBeInstanceOf(BatchWriterClosedError);
    store.release();
    await vi.advanceTimersByTimeAsync(0);
    store.release();
    await closing;
    await expect(a).resolves.toHaveLength(2);
    await expect(b).resolves.toHaveLength(1);
    expect(store.waiting).toBe(0);
  });

  it('keeps the buffered-rows gauge and the write-duration histogram', async () => {
    const w = make(100, 5);
    const a = w.write(readings(7));
    expect((await metrics.bufferedRows.get()).values[0]?.value).toBe(7);
    await vi.advanceTimersByTimeAsync(5);
    await a;
    expect((await metrics.bufferedRows.get()).values[0]?.value).toBe(0);
    const histogram = await metrics.batchWriteSeconds.get();
    expect(histogram.values.find((v) => v.metricName === 'telemetry_batch_write_seconds_count')?.value).toBe(1);
  });
});

describe('resolveBatchWriterOptions', () => {
  it('defaults to 5000 rows / 5 ms and refuses nonsense', () => {
    expect(resolveBatchWriterOptions()).toEqual({ maxRows: 5000, maxWaitMs: 5 });
    expect(resolveBatchWriterOptions({ maxRows: undefined, maxWaitMs: 0 })).toEqual({ maxRows: 5000, maxWaitMs: 0 });
    expect(() => resolveBatchWriterOptions({ maxRows: 0 })).toThrow(/maxRows/);
    expect(() => resolveBatchWriterOptions({ maxWaitMs: -1 })).toThrow(/maxWaitMs/);
  });
});
