import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reading } from '#contracts';
import { MetricsRegistry } from '#platform';
import { ReadingStream } from './reading-stream.js';
import { TelemetryMetrics } from './telemetry-metrics.js';

const readings = (n: number, start = 0): Reading[] =>
  Array.from({ length: n }, (_, i) => ({ deviceId: 'd1', metric: 'battery_v', ts: start + i, value: 3 }));
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ReadingStream', () => {
  let stream: ReadingStream;
  let metrics: TelemetryMetrics;
  const make = (options?: { maxPending?: number; drainChunk?: number }) => {
    metrics = new TelemetryMetrics(new MetricsRegistry());
    stream = new ReadingStream(metrics, options);
    return stream;
  };
  afterEach(() => stream.onApplicationShutdown());

  it('delivers after publish() has returned, in publish order', async () => {
    make();
    const seen: number[] = [];
    stream.readings$.subscribe((r) => seen.push(r.ts));
    stream.publish(readings(2, 0));
    stream.publish(readings(2, 10));
    expect(seen).toEqual([]); // publish() only queues: the ingest handler is not held by subscribers
    await nextTurn();
    expect(seen).toEqual([0, 1, 10, 11]);
  });

  it('a slow subscriber does not hold publish(); delivery yields to I/O between chunks', async () => {
    make({ drainChunk: 3 });
    const seen: number[] = [];
    stream.readings$.subscribe((r) => seen.push(r.ts));
    for (let i = 0; i < 4; i++) stream.publish(readings(2, i * 10));
    await nextTurn();
    expect(seen).toHaveLength(4); // two batches (budget 3 reached after the second), then yield
    await nextTurn();
    expect(seen).toHaveLength(8);
  });

  it('drops the oldest batches when subscribers fall too far behind, and counts them', async () => {
    make({ maxPending: 5 });
    const seen: number[] = [];
    stream.readings$.subscribe((r) => seen.push(r.ts));
    stream.publish(readings(3, 0));
    stream.publish(readings(3, 10));
    stream.publish(readings(2, 20));
    expect(stream.pendingReadings).toBe(5);
    await nextTurn();
    expect(seen).toEqual([10, 11, 12, 20, 21]);
    expect((await metrics.streamDropped.get()).values[0]?.value).toBe(3);
  });

  it('counts the event-loop time its subscribers take (telemetry_stream_delivery_seconds_total)', async () => {
    make();
    let clock = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => clock);
    // Each reading takes its subscriber 2 ms.
    stream.readings$.subscribe(() => {
      clock += 2;
    });
    stream.publish(readings(3));
    await nextTurn();
    vi.restoreAllMocks();
    expect(await metrics.streamDelivery.seconds()).toBeCloseTo(0.006, 9);
  });

  it('queues nothing while nobody listens', () => {
    make();
    stream.publish(readings(3));
    expect(stream.pendingReadings).toBe(0);
  });

  it('delivers what is queued on shutdown, then completes', async () => {
    make();
    const seen: number[] = [];
    let completed = false;
    stream.readings$.subscribe({ next: (r) => seen.push(r.ts), complete: () => (completed = true) });
    stream.publish(readings(2));
    stream.onApplicationShutdown();
    expect(seen).toEqual([0, 1]);
    expect(completed).toBe(true);
    stream.publish(readings(1, 5)); // after shutdown: ignored
    await nextTurn();
    expect(seen).toEqual([0, 1]);
  });
});
