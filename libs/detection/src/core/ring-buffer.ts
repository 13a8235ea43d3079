/**
 * Fixed-capacity ring of (event time, value) pairs: the bounded memory of every detector.
 * Pushing is O(1); once full, the oldest pair is overwritten. Memory never grows past `capacity`.
 */
import { POW10 } from './robust-stats.js';

export interface RingSnapshot {
  /**
   * Timestamps oldest first: the first absolute (epoch ms), then the delta to the previous one, where 0 means
   * "the same delta as before" (a regular series costs one character per reading). When the times are not
   * strictly increasing, `x` is 1 and every delta is written out.
   */
  readonly t: number[];
  /**
   * Values oldest first. With `d`, each is an integer: the value times 10^d (the fewest decimals that give every
   * value back exactly); with `dv` also, the first is absolute and the others differences to the previous one.
   * Sensor readings have a few decimals and move little from one to the next, so a reading such as -1003.831
   * is written as a difference such as -4213: a third of a stream's state is its rings' values.
   */
  readonly v: number[];
  readonly x?: 1;
  readonly d?: number;
  readonly dv?: 1;
}

/** Most decimals tried for the integer form of a ring's values (beyond it, values are written as they are). */
const MAX_DECIMALS = 6;

export class RingBuffer {
  private readonly times: number[];
  private readonly values: number[];
  private start = 0;
  private length = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    }
    // Pre-filled so V8 keeps them as packed double arrays of a fixed size.
    this.times = new Array<number>(capacity).fill(0);
    this.values = new Array<number>(capacity).fill(0);
  }

  /**
   * Storage index of the i-th entry (0 <= i <= capacity): one subtraction instead of a modulo, the ring's
   * accessors being the detectors' innermost loop.
   */
  private slot(i: number): number {
    const index = this.start + i;
    return index >= this.capacity ? index - this.capacity : index;
  }

  get size(): number {
    return this.length;
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  push(ts: number, value: number): void {
    const index = this.slot(this.length);
    this.times[index] = ts;
    this.values[index] = value;
    if (this.length < this.capacity) {
      this.length += 1;
    } else {
      this.start = this.slot(1);
    }
  }

  /** i-th value, oldest first (0 <= i < size). */
  valueAt(i: number): number {
    return this.values[this.slot(i)] ?? Number.NaN;
  }

  timeAt(i: number): number {
    return this.times[this.slot(i)] ?? Number.NaN;
  }

  lastValue(): number {
    return this.valueAt(this.length - 1);
  }

  lastTime(): number {
    return this.timeAt(this.length - 1);
  }

  /**
   * The live values in storage order: fine for order-free statistics (median, MAD, mean), and no copy when the
   * ring is full. A ring that is not full may start anywhere in storage (after `keepLast`) and may wrap.
   */
  unorderedValues(): readonly number[] {
    if (this.length === this.capacity) return this.values;
    const end = this.start + this.length;
    if (end <= this.capacity) return this.values.slice(this.start, end);
    return this.values.slice(this.start).concat(this.values.slice(0, end - this.capacity));
  }

  /** Chronological copy of the values of the last `count` entries (all by default). */
  recentValues(count = this.length): number[] {
    const n = Math.min(count, this.length);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.valueAt(this.length - n + i);
    return out;
  }

  recentTimes(count = this.length): number[] {
    const n = Math.min(count, this.length);
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.timeAt(this.length - n + i);
    return out;
  }

  clear(): void {
    this.start = 0;
    this.length = 0;
  }

  /** Forget all but the newest `count` entries. */
  keepLast(count: number): void {
    const n = Math.max(0, Math.min(count, this.length));
    this.start = (this.start + this.length - n) % this.capacity;
    this.length = n;
  }

  snapshot(): RingSnapshot {
    const deltas: number[] = [];
    const v: number[] = [];
    let strictlyIncreasing = true;
    for (let i = 0; i < this.length; i++) {
      const delta = i === 0 ? this.timeAt(0) : this.timeAt(i) - this.timeAt(i - 1);
      if (i > 0 && delta <= 0) strictlyIncreasing = false;
      deltas.push(delta);
      v.push(this.valueAt(i));
    }
    const values = compactValues(v);
    if (!strictlyIncreasing) return { t: deltas, ...values, x: 1 };
    const t = deltas.map((d, i) => (i >= 2 && d === deltas[i - 1] ? 0 : d));
    return { t, ...values };
  }

  restore(snapshot: RingSnapshot): void {
    if (snapshot.t.length !== snapshot.v.length) {
      throw new Error('ring snapshot: t and v must have the same length');
    }
    const scale = snapshot.d === undefined ? 1 : snapshot.d <= MAX_DECIMALS ? POW10[snapshot.d] : undefined;
    if (scale === undefined) throw new Error(`ring snapshot: d must be an integer from 0 to ${MAX_DECIMALS}`);
    this.clear();
    // A snapshot longer than the capacity keeps its newest entries (config shrunk between runs).
    const skip = Math.max(0, snapshot.v.length - this.capacity);
    let ts = 0;
    let delta = 0;
    let units = 0;
    for (let i = 0; i < snapshot.v.length; i++) {
      const written = snapshot.t[i] ?? 0;
      if (i === 0) ts = written;
      else {
        delta = written === 0 && snapshot.x !== 1 && i >= 2 ? delta : written;
        ts += delta;
      }
      // JSON writes NaN as null.
      const stored = snapshot.v[i] ?? Number.NaN;
      let value = stored;
      if (snapshot.d !== undefined) {
        // Integers add up exactly, and units / 10^d is the very division `compactValues` checked.
        units = snapshot.dv === 1 && i > 0 ? units + stored : stored;
        value = units / scale;
      }
      if (i >= skip) this.push(ts, value);
    }
  }
}

/**
 * The values as integers times 10^d when that gives every one back exactly (`RingSnapshot.v`), as differences
 * when those are written shorter; otherwise as they are (non-finite values, more than `MAX_DECIMALS` decimals).
 */
function compactValues(values: number[]): Pick<RingSnapshot, 'v' | 'd' | 'dv'> {
  let d = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) return { v: values };
    while (!exactAt(value, d)) if (++d > MAX_DECIMALS) return { v: values };
  }
  const scale = POW10[d]!;
  const units = values.map((value) => Math.round(value * scale));
  let absolute = 0;
  let differences = 0;
  for (let i = 0; i < units.length; i++) {
    absolute += writtenLength(units[i]!);
    differences += writtenLength(i === 0 ? units[0]! : units[i]! - units[i - 1]!);
  }
  if (differences >= absolute) return { v: units, d };
  return { v: units.map((u, i) => (i === 0 ? u : u - units[i - 1]!)), d, dv: 1 };
}

/** Whether `value` is exactly an integer number of 10^-d (as it was written, e.g. a reading parsed from JSON). */
function exactAt(value: number, d: number): boolean {
  const scale = POW10[d]!;
  const units = Math.round(value * scale);
  return Number.isSafeInteger(units) && units / scale === value;
}

/** Characters of an integer in JSON. */
function writtenLength(n: number): number {
  let length = n < 0 ? 2 : 1;
  for (let a = Math.abs(n); a >= 10; a = Math.floor(a / 10)) length++;
  return length;
}
