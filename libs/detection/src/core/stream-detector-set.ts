/**
 * All detectors of one (device, metric) stream behind one small interface:
 * `update(reading) -> Finding[]`, `snapshot()` / `restore()`, `checkOffline(now)`, `lastScore`.
 *
 * Cost and memory. Per reading: O(1) bookkeeping and the rules, and an O(W) update of the window's sorted
 * values and differences; every `refreshEvery` (4) readings a median, MAD and noise read off those
 * (order-stats.ts: the values simple-statistics gives); per closed bucket (a day), Theil-Sen over the B
 * buckets, O(B^2) = 435 pairs. Memory is fixed whatever the history: the W-reading ring (and its two sorted
 * copies, not serialised), the B-bucket ring and a few scalars per detector. With the defaults (W = 24, B = 30) the JSON snapshot is about 0.8-1.1 KB
 * for hourly readings with short decimals and at most about 1.6 KB for irregular times and full-precision
 * values (the state-size test asserts <= 2 KB after 100 000 readings of every catalog metric).
 * Measured (bench/detector-cost.ts): about 0.9 us per hourly reading-metric; about 15 us per reading for a
 * device that reads once a day, since then every reading closes a bucket.
 *
 * Ordering policy (event time only). The stream's clock is the greatest event time seen. A reading at that
 * same time is a duplicate and a reading before it is late: both are counted and ignored (the store has
 * them; the detectors stay causal and deterministic). Readings with a non-finite value are counted and
 * ignored. Ingestion dedupes and devices send backlogs in order, so this is rare by construction.
 *
 * Pipeline of an accepted reading: offline clears -> plausible range (implausible readings stop here) ->
 * robust z against the window before the reading -> spike / CUSUM step (a step re-baselines the window and
 * restarts the trend) -> daily bucket (a bucket closing evaluates slope change and forecast) -> rules ->
 * stuck -> baseline refresh (then noise, departure from the multi-day level and mean-of-window rules).
 */
import { type RuleConfig, type StreamConfig, clampSensitivity } from './config.js';
import { type ConditionSnapshot } from './condition.js';
import { BucketSeries, type BucketSnapshot } from './bucket-series.js';
import { NoiseDetector, type NoiseSnapshot } from './detectors/noise-detector.js';
import { offlineFinding, offlineStatus } from './detectors/offline.js';
import { DepartureDetector, type DepartureSnapshot } from './detectors/departure-detector.js';
import { RangeDetector } from './detectors/range-detector.js';
import { SlopeChangeDetector, type SlopeChangeSnapshot } from './detectors/slope-change-detector.js';
import { SpikeDetector, type SpikeSnapshot } from './detectors/spike-detector.js';
import { StepDetector, type StepSnapshot } from './detectors/step-detector.js';
import { StuckDetector, type StuckSnapshot } from './detectors/stuck-detector.js';
import { ThresholdRule } from './detectors/threshold-rule.js';
import { TrendForecast } from './detectors/trend-forecast.js';
import type { StreamContext } from './stream-context.js';
import { StreamWindow, type WindowSnapshot } from './stream-window.js';
import { SEVERITIES, type Finding, type ObservedReading } from './types.js';

export const STREAM_SNAPSHOT_VERSION = 1;

/** JSON-serialisable state of one stream. Restore it into a set built with the same configuration. */
export interface StreamSnapshot {
  readonly v: number;
  readonly m: string;
  /** Greatest event time seen, or null. */
  readonly t: number | null;
  /** [readings accepted, duplicates, late, invalid] */
  readonly c: [number, number, number, number];
  /** [offline active, offline severity rank] */
  readonly o: [number, number];
  readonly w: WindowSnapshot;
  readonly k: BucketSnapshot | null;
  readonly r: Readonly<Record<string, ConditionSnapshot>>;
  readonly sp: SpikeSnapshot | null;
  readonly st: StepSnapshot | null;
  readonly sl: SlopeChangeSnapshot | null;
  /** Only on streams with a departure detector (CP potential). */
  readonly dp?: DepartureSnapshot;
  readonly f: ConditionSnapshot | null;
  readonly rg: ConditionSnapshot | null;
  readonly sk: StuckSnapshot | null;
  readonly n: NoiseSnapshot | null;
}

/** The per-stream detector contract. */
export interface StreamDetector {
  update(reading: ObservedReading): readonly Finding[];
  snapshot(): StreamSnapshot;
  restore(snapshot: StreamSnapshot): void;
}

const EMPTY: readonly Finding[] = Object.freeze([]);

export class StreamDetectorSet implements StreamDetector, StreamContext {
  readonly metric: string;
  readonly unit: string;
  readonly subject: string;
  readonly window: StreamWindow;
  private readonly buckets: BucketSeries | null;
  private readonly readingRules: ThresholdRule[] = [];
  private readonly meanRules: ThresholdRule[] = [];
  private readonly spike: SpikeDetector | null;
  private readonly step: StepDetector | null;
  private readonly slope: SlopeChangeDetector | null;
  private readonly departure: DepartureDetector | null;
  private readonly forecast: TrendForecast | null;
  private readonly range: RangeDetector | null;
  private readonly stuck: StuckDetector | null;
  private readonly noise: NoiseDetector | null;
  private _sensitivity: number;
  private lastTs: number | null = null;
  private counts: [number, number, number, number] = [0, 0, 0, 0];
  private offlineActive = 0;
  private offlineRank = -1;
  private score = 0;
  private readonly out: Finding[] = [];

  constructor(
    readonly deviceId: string,
    readonly config: StreamConfig,
    sensitivity = 1,
  ) {
    this.metric = config.metric;
    this.unit = config.unit;
    this.subject = config.subject;
    this._sensitivity = clampSensitivity(sensitivity);
    this.window = new StreamWindow(config.window);
    for (const rule of config.rules) {
      (rule.input === 'reading' ? this.readingRules : this.meanRules).push(new ThresholdRule(rule));
    }
    this.spike = config.spike ? new SpikeDetector(config.spike) : null;
    this.step = config.step ? new StepDetector(config.step, 2 * config.window.size) : null;
    this.slope = config.slope ? new SlopeChangeDetector(config.slope, config.window.minSpread) : null;
    this.forecast = config.forecast ? new TrendForecast(config.forecast, config.window.minSpread) : null;
    this.departure = config.departure ? new DepartureDetector(config.departure) : null;
    this.buckets = this.slope || this.forecast || this.departure ? new BucketSeries(config.buckets) : null;
    this.range = config.range ? new RangeDetector(config.range) : null;
    this.stuck = config.stuck ? new StuckDetector(config.stuck, config.range) : null;
    this.noise = config.noise ? new NoiseDetector(config.noise, config.window.minSpread) : null;
  }

  static fromSnapshot(deviceId: string, config: StreamConfig, snapshot: StreamSnapshot, sensitivity = 1) {
    const set = new StreamDetectorSet(deviceId, config, sensitivity);
    set.restore(snapshot);
    return set;
  }

  get sensitivity(): number {
    return this._sensitivity;
  }

  /** Per-device multiplier (false-positive feedback lowers it); takes effect from the next reading. */
  set sensitivity(value: number) {
    this._sensitivity = clampSensitivity(value);
  }

  /** Anomaly score in [0, 1] of the last reading given to `update`, from it and the readings before it only. */
  get lastScore(): number {
    return this.score;
  }

  /** Event time of the newest reading seen (any reading with a finite value, plausible or not). */
  get lastEventTime(): number | null {
    return this.lastTs;
  }

  /** [accepted, duplicates, late, invalid] readings so far. */
  get readingCounts(): readonly [number, number, number, number] {
    return this.counts;
  }

  update(reading: ObservedReading): readonly Finding[] {
    const { ts, value } = reading;
    this.score = 0;
    if (!Number.isFinite(value) || !Number.isFinite(ts)) {
      this.counts[3] += 1;
      return EMPTY;
    }
    if (this.lastTs !== null && ts <= this.lastTs) {
      this.counts[ts === this.lastTs ? 1 : 2] += 1;
      return EMPTY;
    }
    const out = this.out;
    if (this.offlineActive === 1 && this.lastTs !== null) {
      const severity = SEVERITIES[Math.max(0, this.offlineRank)] ?? 'low';
      out.push(offlineFinding(this, 'cleared', this.lastTs, ts, this.config.offline, severity));
      this.offlineActive = 0;
      this.offlineRank = -1;
    }
    this.lastTs = ts;
    this.counts[0] += 1;
    let score = 0;

    if (this.range) {
      score = this.range.observe(this, value, ts, out);
      if (!this.range.inRange(value)) return this.finish(score);
    }

    const z = this.window.z(value);
    this.window.add(ts, value);
    if (this.spike) score = Math.max(score, this.spike.observe(this, z, ts, value, out));
    let restarted = false;
    if (this.step) {
      score = Math.max(score, this.step.observe(this, z, ts, out));
      if (this.step.changedKeepLast > 0) {
        restarted = true;
        this.window.restartFrom(this.step.changedKeepLast);
        this.spike?.reset();
        this.buckets?.reset();
        this.slope?.reset();
        this.departure?.reset();
        this.forecast?.reset();
      }
    }

    if (this.buckets) {
      const threshold = this.spike ? this.spike.threshold(this._sensitivity) : 4 / this._sensitivity;
      const outlier = Number.isFinite(z) && Math.abs(z) > threshold;
      // Outliers stay out of the daily means (a spike must not bend the trend), except right after a change.
      if (restarted || !outlier) {
        if (this.buckets.add(ts, value)) {
          this.slope?.evaluate(this, this.buckets, ts, out);
          this.forecast?.evaluate(this, this.buckets, ts, out);
        }
      }
    }

    for (const rule of this.readingRules) score = Math.max(score, rule.observe(this, value, ts, out));
    if (this.stuck) score = Math.max(score, this.stuck.observe(this, value, ts, out));

    if (this.window.refreshIfDue()) {
      this.noise?.evaluate(this, this.window.noise, this.window.median, ts, out);
      if (this.departure && this.buckets) this.departure.evaluate(this, this.buckets, ts, out);
      if (Number.isFinite(this.window.mean)) {
        for (const rule of this.meanRules) rule.observe(this, this.window.mean, ts, out);
      }
    }
    for (const rule of this.meanRules) if (rule.active) score = Math.max(score, 0.5);
    return this.finish(score);
  }

  /**
   * Offline check at an explicit `now` (wall-clock for live devices, the next event time in a replay).
   * Returns a finding when the stream goes offline or its silence escalates; the next reading clears it.
   */
  checkOffline(now: number): readonly Finding[] {
    const status = offlineStatus(this.lastTs, now, this.config.offline);
    if (!status.offline || this.lastTs === null) return EMPTY;
    const rank = SEVERITIES.indexOf(status.severity);
    if (this.offlineActive === 1 && rank <= this.offlineRank) return EMPTY;
    const phase = this.offlineActive === 1 ? 'escalated' : 'raised';
    this.offlineActive = 1;
    this.offlineRank = rank;
    return [offlineFinding(this, phase, this.lastTs, now, this.config.offline, status.severity)];
  }

  snapshot(): StreamSnapshot {
    const rules: Record<string, ConditionSnapshot> = {};
    for (const rule of [...this.readingRules, ...this.meanRules]) rules[rule.config.id] = rule.snapshot();
    return {
      v: STREAM_SNAPSHOT_VERSION,
      m: this.metric,
      t: this.lastTs,
      c: [...this.counts],
      o: [this.offlineActive, this.offlineRank],
      w: this.window.snapshot(),
      k: this.buckets ? this.buckets.snapshot() : null,
      r: rules,
      sp: this.spike ? this.spike.snapshot() : null,
      st: this.step ? this.step.snapshot() : null,
      sl: this.slope ? this.slope.snapshot() : null,
      ...(this.departure ? { dp: this.departure.snapshot() } : {}),
      f: this.forecast ? this.forecast.snapshot() : null,
      rg: this.range ? this.range.snapshot() : null,
      sk: this.stuck ? this.stuck.snapshot() : null,
      n: this.noise ? this.noise.snapshot() : null,
    };
  }

  /** Restores a snapshot taken from a set of the same metric; detectors the snapshot lacks start fresh. */
  restore(s: StreamSnapshot): void {
    if (s.v !== STREAM_SNAPSHOT_VERSION) {
      throw new Error(`stream snapshot version ${String(s.v)} is not supported (expected ${STREAM_SNAPSHOT_VERSION})`);
    }
    if (s.m !== this.metric) {
      throw new Error(`stream snapshot is for metric ${s.m}, not ${this.metric}`);
    }
    this.lastTs = s.t;
    this.counts = [...s.c];
    [this.offlineActive, this.offlineRank] = s.o;
    this.window.restore(s.w);
    if (this.buckets && s.k) this.buckets.restore(s.k);
    for (const rule of [...this.readingRules, ...this.meanRules]) {
      const state = s.r[rule.config.id];
      if (state) rule.restore(state);
    }
    if (this.spike && s.sp) this.spike.restore(s.sp);
    if (this.step && s.st) this.step.restore(s.st);
    if (this.slope && s.sl) this.slope.restore(s.sl);
    if (this.departure && s.dp) this.departure.restore(s.dp);
    if (this.forecast && s.f) this.forecast.restore(s.f);
    if (this.range && s.rg) this.range.restore(s.rg);
    if (this.stuck && s.sk) this.stuck.restore(s.sk);
    if (this.noise && s.n) this.noise.restore(s.n);
    this.score = 0;
  }

  /** The configured rules (for display: limits and standards). */
  get rules(): readonly RuleConfig[] {
    return this.config.rules;
  }

  private finish(score: number): readonly Finding[] {
    this.score = Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
    return this.out.length === 0 ? EMPTY : this.out.splice(0);
  }
}
