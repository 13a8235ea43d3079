/**
 * Change point, departure towards a limit: the recent level has left the multi-day baseline towards a limit by
 * a large part of the distance between them. A CP potential relaxing after a rectifier or anode failure takes
 * hours to days to cross -850 mV; the daily-bucket slope needs days and the CUSUM step sees only jumps, so this
 * is the early warning for that kind of slow ramp.
 *
 * At each baseline refresh: level = median of the last `recentReadings` readings (a spike is harmless);
 * baseline = median of the last `baselineBuckets` closed daily means. A departure towards the limit beyond
 * max(minDeparture, fractionOfDistance x |limit - baseline|, spreadFactor x usual robust spread of the window), all
 * divided by the device's sensitivity, for `confirm` consecutive refreshes is a finding. The spread term keeps a
 * daily cycle (tidal or telluric currents) from looking like a departure. One finding per episode; it re-arms
 * when the departure falls below half the threshold.
 */
import { median } from 'simple-statistics';
import type { BucketSeries } from '../bucket-series.js';
import { type DepartureConfig, scaledCount } from '../config.js';
import { excessScore } from '../scoring.js';
import { type StreamContext, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

/** [consecutive refreshes beyond the threshold, armed] */
export type DepartureSnapshot = [number, number];

export class DepartureDetector {
  private run = 0;
  private armed = 1;
  /** The baseline only changes when a bucket closes: cached by the time of the newest closed bucket. */
  private baselineOf = Number.NaN;
  private baseline = Number.NaN;

  constructor(readonly config: DepartureConfig) {}

  /** Called after each baseline refresh. */
  evaluate(ctx: StreamContext, buckets: BucketSeries, ts: number, out: Finding[]): void {
    const c = this.config;
    const ring = buckets.ring;
    if (ring.size < c.baselineBuckets || ctx.window.ring.size < c.recentReadings) return;
    const newest = ring.lastTime();
    if (newest !== this.baselineOf) {
      this.baselineOf = newest;
      this.baseline = median(buckets.series(c.baselineBuckets).ys);
    }
    const baseline = this.baseline;
    const level = median(ctx.window.ring.recentValues(c.recentReadings));
    const towards = c.direction === 'rising' ? 1 : -1;
    const distance = (c.limit - baseline) * towards;
    // Already at or past the limit: the domain rule speaks, not the early warning.
    if (distance <= 0) return;
    const departure = (level - baseline) * towards;
    // The usual spread, not the current one: the ramp itself must not raise the bar it has to pass.
    const spread = Number.isFinite(ctx.window.typicalSpread) ? ctx.window.typicalSpread : 0;
    const threshold =
      Math.max(c.minDeparture, c.fractionOfDistance * distance, c.spreadFactor * spread) / ctx.sensitivity;
    if (departure < threshold / 2) this.armed = 1;
    this.run = departure > threshold ? this.run + 1 : 0;
    if (this.run < scaledCount(c.confirm, ctx.sensitivity) || this.armed === 0) return;
    this.armed = 0;
    const v = (x: number) => formatValue(x, ctx.unit);
    const m = c.meaning;
    out.push(
      makeFinding(ctx, {
        kind: m.kind,
        fault: m.fault,
        detector: 'change_point',
        phase: 'raised',
        lifecycle: 'event',
        score: excessScore((departure - threshold) / threshold),
        severity: m.severity,
        explanation: `The ${ctx.subject} moved from its ${c.baselineBuckets}-day level of ${v(baseline)} to ${v(level)}, ${Math.round((100 * departure) / distance)} % of the way to ${c.limitText}: ${m.meaning}.`,
        eventTime: ctx.window.ring.timeAt(ctx.window.ring.size - c.recentReadings),
        detectedAt: ts,
        evidence: ctx.window.evidence(),
        details: { baseline, level, departure, threshold, limit: c.limit },
      }),
    );
  }

  /** After a step: the episode's arming is kept so one episode stays one finding. */
  reset(): void {
    this.run = 0;
    this.baselineOf = Number.NaN;
  }

  snapshot(): DepartureSnapshot {
    return [this.run, this.armed];
  }

  restore(s: DepartureSnapshot): void {
    [this.run, this.armed] = s;
  }
}
