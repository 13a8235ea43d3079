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
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { MAD_TO_SIGMA } from '../robust-stats.js';
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
/** A new level is seen in at least this many consecutive readings beyond k. */
const MIN_READINGS_AFTER = 3;
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

    const run = this.readingsAfterChange(ctx, up ? 1 : -1, up ? this.runPos : this.runNeg);
    this.reset();
    if (run < MIN_READINGS_AFTER) {
      // The alarm rests on one or two extreme readings among ordinary ones: spikes or a burst of noise.
      return { score, changedKeepLast: 0 };
    }
    const after = ctx.window.ring.recentValues(run);
    const before = ctx.window.median;
    const magnitude = median(after) - before;
    if (!this.isStep(ctx, run, after, magnitude)) {
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
   * A step moves the level by at least MIN_STEP_SIGMAS robust sigmas (and the configured minimum), to a
   * new level whose own spread is smaller than the step, away from a level that was flat before it: the two halves of the readings before the change agree to within
   * 30 % of the step. A ramp (or a slow cycle) fails that test: it is left to the slope-change detector and
   * the window follows it by itself.
   */
  private isStep(ctx: StreamContext, run: number, after: readonly number[], magnitude: number): boolean {
    const window = ctx.window;
    if (Math.abs(magnitude) < Math.max(this.config.minMagnitude, MIN_STEP_SIGMAS * window.spread)) return false;
    // The new level is a level: its own spread is smaller than the step and not many times the spread before
    // (a burst of noise is the noise detector's business, not a step).
    const spreadAfter = medianAbsoluteDeviation(after) * MAD_TO_SIGMA;
    if (spreadAfter > Math.abs(magnitude) || spreadAfter > 4 * window.spread) return false;
    const before = window.ring.recentValues(window.ring.size).slice(0, window.ring.size - run);
    if (before.length < 8) return true;
    const half = Math.floor(before.length / 2);
    const trend = median(before.slice(before.length - half)) - median(before.slice(0, half));
    return Math.abs(trend) <= 0.3 * Math.abs(magnitude);
  }

  /**
   * Where the change started. The CUSUM run can begin a few readings early (noise above k before the step),
   * so the readings after the change are the tail of the run that stays beyond k on the alarm's side.
   */
  private readingsAfterChange(ctx: StreamContext, sign: number, run: number): number {
    const ring = ctx.window.ring;
    const limit = Math.min(run, ring.size);
    let tail = 0;
    while (tail < limit && sign * ctx.window.z(ring.valueAt(ring.size - 1 - tail)) > this.config.k) tail += 1;
    return tail;
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
