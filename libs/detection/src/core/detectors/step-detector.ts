/**
 * Change point, step: two-sided CUSUM (Page 1954) on the robust z of each reading against the median of
 * the readings before it, z clipped to +-clip so a single spike adds at most clip - k (a spike is the
 * spike detector's business, not a step). An alarm that measures up as a step re-baselines the stream on
 * the readings after the change, and the finding carries the domain meaning of the direction (a DFT step
 * down is coating damage, a CP step towards positive is depolarisation...).
 *
 * With k = 1 a daily cycle inside the window (|z| around 1 or below) does not accumulate. A ramp steep
 * against the noise does alarm, but the measurement subtracts the trend of the readings before the change,
 * so a ramp is not reported as a step (the slope-change detector reports it on daily means).
 * After a finding, further findings in the same direction wait `cooldown` readings (re-baselining goes on).
 */
import { median, medianAbsoluteDeviation } from 'simple-statistics';
import { type ChangeMeaning, type StepConfig } from '../config.js';
import { MAD_TO_SIGMA } from '../robust-stats.js';
import { excessScore, logisticScore } from '../scoring.js';
import { type StreamContext, formatTime, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

/** [g+, g-, run+, run-, cooldown up, cooldown down] */
export type StepSnapshot = [number, number, number, number, number, number];

interface Change {
  readonly before: number;
  readonly after: number;
  /** The change net of the trend before it (after - before on a flat series). */
  readonly step: number;
}

/** A new level is seen in at least this many consecutive readings beyond k. */
const MIN_READINGS_AFTER = 3;
/** Largest drift between the halves of the readings before a step, as a share of the step. */
const MAX_DRIFT_SHARE = 0.3;
/** Smallest step worth reporting, in robust sigmas of the window. */
const MIN_STEP_SIGMAS = 3;

export class StepDetector {
  private gPos = 0;
  private gNeg = 0;
  private runPos = 0;
  private runNeg = 0;
  private cooldownUp = 0;
  private cooldownDown = 0;
  /**
   * Set by each `observe`: readings after the change it detected (keep them, drop the rest), or 0 when no
   * change. A field rather than part of the return value, so the no-change path allocates nothing.
   */
  changedKeepLast = 0;

  constructor(
    readonly config: StepConfig,
    /** Readings during which a second finding in the same direction is withheld. */
    private readonly cooldown: number,
  ) {}

  /** Observes a reading's robust z; returns its score and sets `changedKeepLast`. */
  observe(ctx: StreamContext, z: number, ts: number, out: Finding[]): number {
    this.changedKeepLast = 0;
    if (this.cooldownUp > 0) this.cooldownUp -= 1;
    if (this.cooldownDown > 0) this.cooldownDown -= 1;
    if (!Number.isFinite(z)) return 0;
    const c = this.config;
    const zc = Math.max(-c.clip, Math.min(c.clip, z));
    this.gPos = Math.max(0, this.gPos + zc - c.k);
    this.gNeg = Math.max(0, this.gNeg - zc - c.k);
    this.runPos = this.gPos > 0 ? this.runPos + 1 : 0;
    this.runNeg = this.gNeg > 0 ? this.runNeg + 1 : 0;
    const h = c.h / ctx.sensitivity;
    const score = logisticScore(Math.max(this.gPos, this.gNeg), h, h / 8);
    const up = this.gPos > h;
    if (!up && !(this.gNeg > h)) return score;

    const sign = up ? 1 : -1;
    const run = this.readingsAfterChange(ctx, sign, up ? this.runPos : this.runNeg);
    this.reset();
    // Fewer than 3 readings beyond k: the alarm rests on a few extreme readings (spikes, a burst of noise).
    if (run < MIN_READINGS_AFTER) return score;
    const change = this.measure(ctx, run, sign);
    // Not a step (a ramp, a slow cycle, noise): the window follows it by itself; nothing to restart.
    if (change === null) return score;
    const meaning = up ? c.up : c.down;
    const cooling = up ? this.cooldownUp > 0 : this.cooldownDown > 0;
    if (meaning !== null && !cooling) {
      out.push(this.finding(ctx, meaning, ts, run, change));
      if (up) this.cooldownUp = this.cooldown;
      else this.cooldownDown = this.cooldown;
    }
    this.changedKeepLast = run;
    return score;
  }

  reset(): void {
    this.gPos = 0;
    this.gNeg = 0;
    this.runPos = 0;
    this.runNeg = 0;
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

  /**
   * Is the alarm a step, and how large? Level before = median of the window's readings before the change,
   * level after = median of the readings after it. If the readings before were trending (their two halves
   * differ by more than twice the noise of that comparison), the continuation of that trend is subtracted:
   * a ramp is not a step, and what drift there was must stay under 30 % of the step. A step then moves the level by at least MIN_STEP_SIGMAS robust sigmas (and the
   * configured minimum) in the alarm's direction, to a new level whose own spread is smaller than the step
   * and not many times the spread before (a burst of noise is the noise detector's business).
   */
  private measure(ctx: StreamContext, run: number, sign: number): Change | null {
    const window = ctx.window;
    const all = window.ring.recentValues();
    const after = all.slice(all.length - run);
    const before = all.slice(0, all.length - run);
    const levelAfter = median(after);
    const levelBefore = before.length >= 4 ? median(before) : window.median;
    let trend = 0;
    let drift = 0;
    if (before.length >= 8) {
      const half = Math.floor(before.length / 2);
      drift = median(before.slice(before.length - half)) - median(before.slice(0, half));
      // Two medians of `half` readings differ by noise with sd about 1.25 * sqrt(2 / half) sigma.
      if (Math.abs(drift) > 2 * 1.25 * Math.sqrt(2 / half) * window.spread) {
        trend = (drift / half) * ((before.length + after.length) / 2);
      }
    }
    const step = levelAfter - levelBefore - trend;
    if (Math.sign(step) !== sign) return null;
    // The level before must have been steady compared with the step (a curve is not a step either).
    if (Math.abs(drift) > MAX_DRIFT_SHARE * Math.abs(step)) return null;
    if (Math.abs(step) < Math.max(this.config.minMagnitude, MIN_STEP_SIGMAS * window.spread)) return null;
    const spreadAfter = medianAbsoluteDeviation(after) * MAD_TO_SIGMA;
    if (spreadAfter > Math.abs(step) || spreadAfter > 4 * window.spread) return null;
    return { before: levelBefore, after: levelAfter, step };
  }

  private finding(ctx: StreamContext, meaning: ChangeMeaning, ts: number, run: number, change: Change): Finding {
    const ring = ctx.window.ring;
    const onset = ring.timeAt(ring.size - run);
    const magnitude = change.after - change.before;
    const sigmas = Math.abs(change.step) / ctx.window.spread;
    const direction = magnitude < 0 ? 'dropped' : 'rose';
    const trendNote =
      Math.abs(change.step - magnitude) > 1e-9 * Math.max(1, Math.abs(magnitude))
        ? ` (${formatValue(Math.abs(change.step), ctx.unit)} beyond its previous trend)`
        : '';
    return makeFinding(ctx, {
      kind: meaning.kind,
      fault: meaning.fault,
      detector: 'change_point',
      phase: 'raised',
      lifecycle: 'event',
      score: excessScore((sigmas - MIN_STEP_SIGMAS) / 4),
      severity: meaning.severity,
      explanation: `The ${ctx.subject} ${direction} by ${formatValue(Math.abs(magnitude), ctx.unit)}${trendNote}, from a median of ${formatValue(change.before, ctx.unit)} to ${formatValue(change.after, ctx.unit)} (${Math.round(sigmas * 10) / 10} robust standard deviations) from ${formatTime(onset)}, confirmed by CUSUM over ${run} readings: ${meaning.meaning}.`,
      eventTime: onset,
      detectedAt: ts,
      evidence: ctx.window.evidence(),
      details: {
        before: change.before,
        after: change.after,
        magnitude,
        step: change.step,
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
