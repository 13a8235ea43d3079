/**
 * Sensor health, stuck value: the same reading (within tolerance) `count` times in a row, from a sensor
 * whose readings varied before the run started (a sensor that always repeats, e.g. a coarse ER probe on a
 * dormant element, cannot be judged stuck). Clears on the first different reading.
 */
import { type StuckConfig, scaledCount } from '../config.js';
import { type StreamContext, formatTime, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

/** [run value, run length, run start ts, noise before the run, active] */
export type StuckSnapshot = [number, number, number, number, number];

export class StuckDetector {
  private value = Number.NaN;
  private run = 0;
  private start = 0;
  private noiseBefore = 0;
  private active = 0;

  constructor(
    readonly config: StuckConfig,
    private readonly rangeLimits: { readonly min: number; readonly max: number } | null,
  ) {}

  observe(ctx: StreamContext, value: number, ts: number, out: Finding[]): number {
    const c = this.config;
    const pinned =
      c.ignoreAtRangeLimits &&
      this.rangeLimits !== null &&
      (value <= this.rangeLimits.min || value >= this.rangeLimits.max);
    if (!pinned && this.run > 0 && Math.abs(value - this.value) <= c.tolerance) {
      this.run += 1;
    } else {
      if (this.active === 1) {
        this.active = 0;
        out.push(this.finding(ctx, 'cleared', ts, value));
      }
      this.value = value;
      this.run = pinned ? 0 : 1;
      this.start = ts;
      this.noiseBefore = Number.isFinite(ctx.window.noise) ? ctx.window.noise : 0;
    }
    const needed = scaledCount(c.count, ctx.sensitivity, 3);
    if (this.active === 0 && this.run >= needed && this.noiseBefore > c.tolerance) {
      this.active = 1;
      out.push(this.finding(ctx, 'raised', ts, value));
    }
    return this.active === 1 ? 0.5 : 0;
  }

  private finding(ctx: StreamContext, phase: 'raised' | 'cleared', ts: number, value: number): Finding {
    const explanation =
      phase === 'raised'
        ? `The ${ctx.subject} has read exactly ${formatValue(this.value, ctx.unit)} ${this.run} times in a row since ${formatTime(this.start)}, although it varied by about ${formatValue(this.noiseBefore, ctx.unit)} between readings before: the sensor looks stuck.`
        : `The ${ctx.subject} changed again (${formatValue(value, ctx.unit)}): the sensor is no longer stuck.`;
    return makeFinding(ctx, {
      kind: 'sensor_stuck',
      fault: 'sensor',
      detector: 'sensor_health',
      phase,
      lifecycle: 'condition',
      score: phase === 'raised' ? 0.5 + Math.min(0.49, (this.run - this.config.count) / (10 * this.config.count)) : 0,
      severity: 'low',
      explanation,
      eventTime: phase === 'raised' ? this.start : ts,
      detectedAt: ts,
      evidence: ctx.window.evidence(),
      details: { value: this.value, run: this.run, noiseBefore: this.noiseBefore },
    });
  }

  snapshot(): StuckSnapshot {
    return [Number.isFinite(this.value) ? this.value : 0, this.run, this.start, this.noiseBefore, this.active];
  }

  restore(s: StuckSnapshot): void {
    [this.value, this.run, this.start, this.noiseBefore, this.active] = s;
  }
}
