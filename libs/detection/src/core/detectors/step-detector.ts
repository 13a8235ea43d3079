/**
 * Change point, step: two-sided CUSUM (Page 1954) on the robust z of each reading against the median of
 * the readings before it, z clipped to +-clip so a single spike adds at most clip - k (a spike is the
 * spike detector's business, not a step). An alarm means the level moved: the stream re-baselines on the
 * readings after the change, and the finding carries the domain meaning of the direction (a DFT step down
 * is coating damage, a CP step towards positive is depolarisation...).
 *
 * Slow trends do not accumulate: over the 24-reading window they move the level by a fraction of the noise.
 * A ramp much steeper than the noise does alarm, which is what it is: the level is leaving its baseline.
 * After a finding, further findings in the same direction wait `cooldown` readings (re-baselining goes on),
 * so a ramp gives one finding, not one every window.
 */
import { median } from 'simple-statistics';
import { type ChangeMeaning, type StepConfig } from '../config.js';
import { excessScore, logisticScore } from '../scoring.js';
import { type StreamContext, formatTime, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

/** [g+, g-, run+, run-, cooldown up, cooldown down] */
export type StepSnapshot = [number, number, number, number, number, number];

export interface StepOutcome {
  readonly score: number;
  /** Readings after the detected change (keep them, drop the rest), or 0 when no change. */
  readonly changedKeepLast: number;
}

const NO_CHANGE_ZERO: StepOutcome = { score: 0, changedKeepLast: 0 };
/** Smallest step worth reporting, in robust sigmas of the window. */
const MIN_STEP_SIGMAS = 2;

export class StepDetector {
  private gPos = 0;
  private gNeg = 0;
  private runPos = 0;
  private runNeg = 0;
  private cooldownUp = 0;
  private cooldownDown = 0;

  constructor(
    readonly config: StepConfig,
    /** Readings during which a second finding in the same direction is withheld. */
    private readonly cooldown: number,
  ) {}

  observe(ctx: StreamContext, z: number, ts: number, out: Finding[]): StepOutcome {
    if (this.cooldownUp > 0) this.cooldownUp -= 1;
    if (this.cooldownDown > 0) this.cooldownDown -= 1;
    if (!Number.isFinite(z)) return NO_CHANGE_ZERO;
    const c = this.config;
    const zc = Math.max(-c.clip, Math.min(c.clip, z));
    this.gPos = Math.max(0, this.gPos + zc - c.k);
    this.gNeg = Math.max(0, this.gNeg - zc - c.k);
    this.runPos = this.gPos > 0 ? this.runPos + 1 : 0;
    this.runNeg = this.gNeg > 0 ? this.runNeg + 1 : 0;
    const h = c.h / ctx.sensitivity;
    const score = logisticScore(Math.max(this.gPos, this.gNeg), h, h / 8);
    const up = this.gPos > h;
    if (!up && !(this.gNeg > h)) return { score, changedKeepLast: 0 };

    const run = Math.min(up ? this.runPos : this.runNeg, ctx.window.ring.size);
    this.reset();
    const after = ctx.window.ring.recentValues(run);
    const before = ctx.window.median;
    const magnitude = median(after) - before;
    if (!this.isStep(after, magnitude, ctx.window.spread)) {
      // A ramp or a change within the noise: no step. The window follows it by itself; nothing to restart.
      return { score, changedKeepLast: 0 };
    }
    const meaning = up ? c.up : c.down;
    const cooling = up ? this.cooldownUp > 0 : this.cooldownDown > 0;
    if (meaning !== null && !cooling) {
      out.push(this.finding(ctx, meaning, ts, run, before, magnitude));
      if (up) this.cooldownUp = this.cooldown;
      else this.cooldownDown = this.cooldown;
    }
    return { score, changedKeepLast: run };
  }

  /**
   * A step moves the level by at least MIN_STEP_SIGMAS robust sigmas (and the configured minimum) and then
   * stays flat: the later half of the readings after the change sits where the earlier half does. A ramp
   * fails the flatness test and is left to the slope-change detector.
   */
  private isStep(after: readonly number[], magnitude: number, spread: number): boolean {
    if (Math.abs(magnitude) < Math.max(this.config.minMagnitude, MIN_STEP_SIGMAS * spread)) return false;
    if (after.length < 4) return true;
    const half = Math.floor(after.length / 2);
    const drift = median(after.slice(after.length - half)) - median(after.slice(0, half));
    return Math.abs(drift) <= 0.5 * Math.abs(magnitude);
  }

  reset(): void {
    this.gPos = 0;
    this.gNeg = 0;
    this.runPos = 0;
    this.runNeg = 0;
  }

  private finding(
    ctx: StreamContext,
    meaning: ChangeMeaning,
    ts: number,
    run: number,
    before: number,
    magnitude: number,
  ): Finding {
    const ring = ctx.window.ring;
    const onset = ring.timeAt(ring.size - run);
    const sigmas = Math.abs(magnitude) / ctx.window.spread;
    const direction = magnitude < 0 ? 'dropped' : 'rose';
    return makeFinding(ctx, {
      kind: meaning.kind,
      fault: meaning.fault,
      detector: 'change_point',
      phase: 'raised',
      lifecycle: 'event',
      score: excessScore((sigmas - 2) / 4),
      severity: meaning.severity,
      explanation: `The ${ctx.subject} ${direction} by ${formatValue(Math.abs(magnitude), ctx.unit)} (from a median of ${formatValue(before, ctx.unit)} to ${formatValue(before + magnitude, ctx.unit)}, ${Math.round(sigmas * 10) / 10} robust standard deviations) from ${formatTime(onset)}, confirmed by CUSUM over ${run} readings: ${meaning.meaning}.`,
      eventTime: onset,
      detectedAt: ts,
      evidence: ctx.window.evidence(),
      details: {
        before,
        after: before + magnitude,
        magnitude,
        sigmas: Math.round(sigmas * 10) / 10,
        readingsAfterChange: run,
      },
    });
  }

  snapshot(): StepSnapshot {
    return [this.gPos, this.gNeg, this.runPos, this.runNeg, this.cooldownUp, this.cooldownDown];
  }

  restore(s: StepSnapshot): void {
    [this.gPos, this.gNeg, this.runPos, this.runNeg, this.cooldownUp, this.cooldownDown] = s;
  }
}
