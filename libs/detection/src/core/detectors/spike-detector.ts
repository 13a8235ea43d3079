/**
 * Statistical anomaly: robust z of each reading against the median / MAD of the readings before it.
 * Tells a spike from a level shift by the length of the outlier run: a run of at most `maxRun` outliers
 * followed by a normal reading is a spike; a run reaching `shiftRun` on one side is a level shift (reported
 * here only when no CUSUM step detector runs on the stream, which reports steps with their domain meaning).
 */
import type { SpikeConfig } from '../config.js';
import { excessScore, logisticScore } from '../scoring.js';
import { type StreamContext, formatTime, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

/** [run length, run sign, peak ts, peak value, peak z, median at peak, shift reported] */
export type SpikeSnapshot = [number, number, number, number, number, number, number];

export class SpikeDetector {
  private run = 0;
  private sign = 0;
  private peakTs = 0;
  private peakValue = 0;
  private peakZ = 0;
  private peakMedian = 0;
  private shiftReported = 0;

  constructor(readonly config: SpikeConfig) {}

  threshold(sensitivity: number): number {
    return this.config.zThreshold / sensitivity;
  }

  /** Observes a reading with its robust z (NaN while warming up); returns its score. */
  observe(ctx: StreamContext, z: number, ts: number, value: number, out: Finding[]): number {
    if (!Number.isFinite(z)) {
      this.reset();
      return 0;
    }
    const threshold = this.threshold(ctx.sensitivity);
    const outlier = Math.abs(z) > threshold;
    const sign = Math.sign(z);
    if (this.run > 0 && (!outlier || sign !== this.sign)) {
      this.endRun(ctx, ts, threshold, out);
    }
    if (outlier) {
      if (this.run === 0) this.sign = sign;
      this.run += 1;
      if (Math.abs(z) >= Math.abs(this.peakZ)) {
        this.peakTs = ts;
        this.peakValue = value;
        this.peakZ = z;
        this.peakMedian = ctx.window.median;
      }
      if (this.config.reportShifts && this.run === this.config.shiftRun && this.shiftReported === 0) {
        this.shiftReported = 1;
        const direction = this.sign > 0 ? 'up' : 'down';
        out.push(
          makeFinding(ctx, {
            kind: 'level_shift',
            fault: 'anomaly',
            detector: 'statistical',
            phase: 'raised',
            lifecycle: 'event',
            score: excessScore((Math.abs(z) - threshold) / threshold),
            severity: 'low',
            explanation: `The ${ctx.subject} shifted ${direction}: ${this.run} consecutive readings more than ${round1(threshold)} robust standard deviations from the recent median of ${formatValue(ctx.window.median, ctx.unit)} (latest ${formatValue(value, ctx.unit)}); a level shift, not a spike.`,
            eventTime: ctx.window.ring.timeAt(ctx.window.ring.size - this.run),
            detectedAt: ts,
            evidence: ctx.window.evidence(),
            details: { z: round1(z), threshold: round1(threshold), run: this.run, median: ctx.window.median },
          }),
        );
      }
    }
    return logisticScore(Math.abs(z), threshold, threshold / 8);
  }

  /** Forget the run in progress (after a change point re-baselines the stream). */
  reset(): void {
    this.run = 0;
    this.sign = 0;
    this.peakZ = 0;
    this.shiftReported = 0;
  }

  private endRun(ctx: StreamContext, ts: number, threshold: number, out: Finding[]): void {
    if (this.run <= this.config.maxRun) {
      const direction = this.peakZ > 0 ? 'above' : 'below';
      const readings = this.run === 1 ? 'A single reading' : `${this.run} consecutive readings`;
      out.push(
        makeFinding(ctx, {
          kind: 'spike',
          fault: 'anomaly',
          detector: 'statistical',
          phase: 'raised',
          lifecycle: 'event',
          score: excessScore((Math.abs(this.peakZ) - threshold) / threshold),
          severity: 'low',
          explanation: `${readings} peaking at ${formatValue(this.peakValue, ctx.unit)} at ${formatTime(this.peakTs)} stood ${round1(Math.abs(this.peakZ))} robust standard deviations ${direction} the recent median of ${formatValue(this.peakMedian, ctx.unit)}, and the next reading was back to normal: a spike (glitch or momentary event), not a change of level.`,
          eventTime: this.peakTs,
          detectedAt: ts,
          evidence: ctx.window.evidence(),
          details: { z: round1(this.peakZ), threshold: round1(threshold), run: this.run, median: this.peakMedian },
        }),
      );
    }
    this.reset();
  }

  snapshot(): SpikeSnapshot {
    return [this.run, this.sign, this.peakTs, this.peakValue, this.peakZ, this.peakMedian, this.shiftReported];
  }

  restore(s: SpikeSnapshot): void {
    [this.run, this.sign, this.peakTs, this.peakValue, this.peakZ, this.peakMedian, this.shiftReported] = s;
  }
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
