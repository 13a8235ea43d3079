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
    const after = ctx.window.ring.recentValues(run);
    const before = ctx.window.median;
    const magnitude = median(after) - before;
    const meaning = up ? c.up : c.down;
    const cooling = up ? this.cooldownUp > 0 : this.cooldownDown > 0;
    if (meaning !== null && !cooling && Math.abs(magnitude) >= c.minMagnitude) {
      out.push(this.finding(ctx, meaning, ts, run, before, magnitude));
      if (up) this.cooldownUp = this.cooldown;
      else this.cooldownDown = this.cooldown;
    }
    this.reset();
    return { score, changedKeepLast: run };
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
