/**
 * The recent valid readings of one stream (a fixed ring) and the robust baseline computed from them:
 * median, robust sigma (1.4826 MAD, floored), difference-based noise and the spike-trimmed mean.
 *
 * The baseline is recomputed every `refreshEvery` readings, after the reading is pushed, so the z-score of a
 * reading is always taken against readings strictly before it (no look-ahead) and the median / MAD cost is
 * paid once per `refreshEvery` readings.
 */
import type { WindowConfig } from './config.js';
import { RingBuffer, type RingSnapshot } from './ring-buffer.js';
import { ensureCapacity, insertionSort, madOfSorted, medianOfSorted, replaceSorted } from './order-stats.js';
import { MAD_TO_SIGMA, noiseFromMedianDifference, roundSig, trimmedMean } from './robust-stats.js';
import type { Evidence } from './types.js';

/**
 * Scratch for the refresh of a window that is not full, shared by every window (single-threaded, never
 * re-entered): the refresh sorts a copy of the window and of its first differences here instead of
 * allocating arrays (same results as robustLocationScale and differenceNoise in robust-stats, which use
 * simple-statistics). A full window keeps both sorted incrementally instead (`sortedValues`).
 */
let sortedScratch: Float64Array = new Float64Array(64);
let diffScratch: Float64Array = new Float64Array(64);

/** The trimmed mean keeps readings within this many robust sigmas of the median. */
const TRIM_SIGMAS = 4;
/** Weight of each refresh in the smoothed spread (about 10 refreshes = 40 readings of memory). */
const SPREAD_ALPHA = 0.1;

export interface WindowSnapshot {
  readonly r: RingSnapshot;
  /** median, spread, noise, mean (null = not computed). */
  readonly b: [number | null, number | null, number | null, number | null, number | null];
  readonly k: number;
}

export class StreamWindow {
  readonly ring: RingBuffer;
  /** Robust baseline at the last refresh; NaN until `warmup` readings. */
  median = Number.NaN;
  spread = Number.NaN;
  /** Sensor noise from first differences (not floored); NaN until computed. */
  noise = Number.NaN;
  /** Spike-trimmed mean of the full window; NaN while the window is not full. */
  mean = Number.NaN;
  /**
   * EWMA of the window's robust sigma across refreshes: a MAD of 24 readings is itself noisy (about 30 %
   * relative error), so z uses max(current, smoothed) to keep healthy noise from looking like spikes.
   */
  private smoothedSpread = Number.NaN;

  /** The slowly smoothed robust spread (EWMA over refreshes): the stream's usual spread, slow to follow a ramp. */
  get typicalSpread(): number {
    return this.smoothedSpread;
  }
  private sinceRefresh = 0;
  /**
   * While the ring is full: its values and its first differences |v[i] - v[i-1]|, each kept sorted as
   * readings come and go (one removal and one insertion per reading, a short shift), so a refresh reads the
   * median, the MAD and the noise without sorting. Built at the first refresh of a full ring; dropped
   * (`sortedValid` false) whenever the ring is not full (restart, restore). Derived, never in the snapshot.
   */
  private sortedValues: Float64Array | null = null;
  private sortedDiffs: Float64Array | null = null;
  private sortedValid = false;

  constructor(private readonly config: WindowConfig) {
    this.ring = new RingBuffer(config.size);
  }

  get ready(): boolean {
    return Number.isFinite(this.median);
  }

  /** Robust z of a value against the baseline; NaN while warming up. */
  z(value: number): number {
    return this.ready ? (value - this.median) / this.spread : Number.NaN;
  }

  /** Adds a valid reading (its z must have been taken before: the baseline is of the readings before it). */
  add(ts: number, value: number): void {
    const ring = this.ring;
    if (this.sortedValid && this.sortedValues && this.sortedDiffs) {
      // Full ring: the oldest value and the oldest difference leave, the new ones come in.
      const n = ring.size;
      const oldest = ring.valueAt(0);
      replaceSorted(this.sortedValues, n, oldest, value);
      if (n >= 2)
        replaceSorted(this.sortedDiffs, n - 1, Math.abs(ring.valueAt(1) - oldest), Math.abs(value - ring.lastValue()));
    }
    ring.push(ts, value);
    this.sinceRefresh += 1;
  }

  /** Recomputes the baseline when due; returns true when it did. Call once per reading, after the detectors. */
  refreshIfDue(): boolean {
    if (this.ring.size >= this.config.warmup && (!this.ready || this.sinceRefresh >= this.config.refreshEvery)) {
      this.refresh();
      return true;
    }
    return false;
  }

  /** After a change point: keep only the readings after the change and warm up again from them. */
  restartFrom(keepLast: number): void {
    this.ring.keepLast(keepLast);
    this.sortedValid &&= this.ring.full;
    this.median = Number.NaN;
    this.spread = Number.NaN;
    this.mean = Number.NaN;
    this.sinceRefresh = 0;
    if (this.ring.size >= this.config.warmup) this.refresh();
  }

  evidence(maxPoints = this.config.size): Evidence {
    const n = Math.min(maxPoints, this.ring.size);
    const points = [];
    for (let i = this.ring.size - n; i < this.ring.size; i++) {
      points.push({ ts: this.ring.timeAt(i), value: this.ring.valueAt(i) });
    }
    return { from: points[0]?.ts ?? 0, to: points[points.length - 1]?.ts ?? 0, points, series: 'readings' };
  }

  snapshot(): WindowSnapshot {
    const orNull = (x: number) => (Number.isFinite(x) ? x : null);
    return {
      r: this.ring.snapshot(),
      b: [orNull(this.median), orNull(this.spread), orNull(this.noise), orNull(this.mean), orNull(this.smoothedSpread)],
      k: this.sinceRefresh,
    };
  }

  restore(s: WindowSnapshot): void {
    this.ring.restore(s.r);
    this.sortedValid = false;
    this.median = s.b[0] ?? Number.NaN;
    this.spread = s.b[1] ?? Number.NaN;
    this.noise = s.b[2] ?? Number.NaN;
    this.mean = s.b[3] ?? Number.NaN;
    this.smoothedSpread = s.b[4] ?? Number.NaN;
    this.sinceRefresh = s.k;
  }

  private refresh(): void {
    this.sinceRefresh = 0;
    const ring = this.ring;
    const values = ring.unorderedValues();
    const n = ring.size;
    let sorted: Float64Array;
    let diffs: Float64Array;
    if (ring.full && this.sortedValid && this.sortedValues && this.sortedDiffs) {
      sorted = this.sortedValues;
      diffs = this.sortedDiffs;
    } else {
      // Not full (or the first refresh since it filled): sort copies (values in storage order, as before).
      const keep = ring.full;
      sorted = keep
        ? (this.sortedValues ??= new Float64Array(ring.capacity))
        : (sortedScratch = ensureCapacity(sortedScratch, n));
      diffs = keep
        ? (this.sortedDiffs ??= new Float64Array(ring.capacity))
        : (diffScratch = ensureCapacity(diffScratch, n));
      for (let i = 0; i < n; i++) sorted[i] = values[i]!;
      insertionSort(sorted, n);
      let previous = ring.valueAt(0);
      for (let i = 1; i < n; i++) {
        const v = ring.valueAt(i);
        diffs[i - 1] = Math.abs(v - previous);
        previous = v;
      }
      insertionSort(diffs, n - 1);
      this.sortedValid = keep;
    }
    const median = medianOfSorted(sorted, n);
    const mad = madOfSorted(sorted, n, median);
    const floor = Math.max(this.config.minSpread, this.config.relativeMinSpread * Math.abs(median));
    this.median = roundSig(median);
    const current = Math.max(mad * MAD_TO_SIGMA, floor);
    this.smoothedSpread = roundSig(
      Number.isFinite(this.smoothedSpread)
        ? this.smoothedSpread + SPREAD_ALPHA * (current - this.smoothedSpread)
        : current,
    );
    this.spread = roundSig(Math.max(current, this.smoothedSpread));
    const noise = n >= 3 ? noiseFromMedianDifference(medianOfSorted(diffs, n - 1)) : Number.NaN;
    this.noise = Number.isFinite(noise) ? roundSig(noise) : Number.NaN;
    this.mean = this.ring.full ? roundSig(trimmedMean(values, median, TRIM_SIGMAS * this.spread)) : Number.NaN;
  }
}
