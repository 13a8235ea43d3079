/**
 * Event-time buckets (one per UTC day by default) of the valid, non-outlier readings, and a fixed ring of
 * the closed buckets' means: the input of the trend detectors (slope change, forecast). A bucket closes
 * when the first reading of a later bucket arrives, so the trend is judged on event time only.
 */
import type { BucketConfig } from './config.js';
import { RingBuffer, type RingSnapshot } from './ring-buffer.js';
import { roundSig } from './robust-stats.js';
import type { Evidence } from './types.js';

export interface BucketSnapshot {
  /** Open bucket: [bucket index, sum, count], or null. */
  readonly o: [number, number, number] | null;
  readonly r: RingSnapshot;
}

export class BucketSeries {
  /** Closed buckets: time = bucket midpoint (epoch ms), value = mean. */
  readonly ring: RingBuffer;
  private openIndex = -1;
  private openSum = 0;
  private openCount = 0;

  constructor(readonly config: BucketConfig) {
    this.ring = new RingBuffer(config.size);
  }

  /** Adds a reading; returns true when it closed a bucket (the ring then has a new last entry). */
  add(ts: number, value: number): boolean {
    const index = Math.floor(ts / this.config.bucketMs);
    let closed = false;
    if (this.openCount > 0 && index > this.openIndex) {
      const mid = this.openIndex * this.config.bucketMs + Math.floor(this.config.bucketMs / 2);
      this.ring.push(mid, roundSig(this.openSum / this.openCount));
      this.openCount = 0;
      this.openSum = 0;
      closed = true;
    }
    if (this.openCount === 0) this.openIndex = index;
    this.openSum += value;
    this.openCount += 1;
    return closed;
  }

  reset(): void {
    this.ring.clear();
    this.openIndex = -1;
    this.openSum = 0;
    this.openCount = 0;
  }

  /** Closed buckets as x (days since the first) and y (mean), oldest first; optionally only the last `count`. */
  series(count = this.ring.size, from = this.ring.size - count): { xs: number[]; ys: number[] } {
    const xs: number[] = [];
    const ys: number[] = [];
    const t0 = this.ring.timeAt(0);
    for (let i = from; i < from + count; i++) {
      xs.push((this.ring.timeAt(i) - t0) / 86_400_000);
      ys.push(this.ring.valueAt(i));
    }
    return { xs, ys };
  }

  evidence(): Evidence {
    const points = [];
    for (let i = 0; i < this.ring.size; i++) points.push({ ts: this.ring.timeAt(i), value: this.ring.valueAt(i) });
    return { from: points[0]?.ts ?? 0, to: points[points.length - 1]?.ts ?? 0, points, series: 'bucket_means' };
  }

  snapshot(): BucketSnapshot {
    return {
      o: this.openCount > 0 ? [this.openIndex, this.openSum, this.openCount] : null,
      r: this.ring.snapshot(),
    };
  }

  restore(s: BucketSnapshot): void {
    this.ring.restore(s.r);
    if (s.o) [this.openIndex, this.openSum, this.openCount] = s.o;
    else {
      this.openIndex = -1;
      this.openSum = 0;
      this.openCount = 0;
    }
  }
}
