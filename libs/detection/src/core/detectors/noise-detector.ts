/**
 * Sensor health, noise growth: the difference-based noise of the window (robust to level, slow trend and a
 * single step) against a slowly updated reference noise. Evaluated at each baseline refresh; confirmed over
 * `confirm` refreshes, cleared with hysteresis. The reference only learns from refreshes in the normal regime
 * (ratio within [1/r, r]) so a stuck or noisy episode does not teach it a new normal.
 */
import { type NoiseConfig, scaledCount } from '../config.js';
import { ConfirmedCondition, type ConditionSnapshot } from '../condition.js';
import { roundSig } from '../robust-stats.js';
import { excessScore } from '../scoring.js';
import { type StreamContext, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

/** [reference noise or null, condition] */
export type NoiseSnapshot = [number | null, ConditionSnapshot];

export class NoiseDetector {
  private reference = Number.NaN;
  private readonly condition = new ConfirmedCondition();

  constructor(
    readonly config: NoiseConfig,
    /** Noise below this is resolution, not signal (the window's minimum spread). */
    private readonly floor: number,
  ) {}

  get active(): boolean {
    return this.condition.isActive;
  }

  /** Called after each baseline refresh with the window's current noise. */
  evaluate(ctx: StreamContext, noise: number, ts: number, out: Finding[]): void {
    if (!Number.isFinite(noise)) return;
    if (!Number.isFinite(this.reference)) {
      this.reference = roundSig(noise);
      return;
    }
    const c = this.config;
    const reference = Math.max(this.reference, this.floor, c.minReference ?? 0);
    const ratio = Math.max(noise, this.floor) / reference;
    const limit = 1 + (c.ratio - 1) / ctx.sensitivity;
    const violating = ratio > limit;
    const clearing = ratio < 1 + (limit - 1) / 2;
    if (!this.condition.isActive && ratio <= limit && ratio >= 1 / limit) {
      this.reference = roundSig(this.reference + c.referenceAlpha * (noise - this.reference));
    }
    const confirm = scaledCount(c.confirm, ctx.sensitivity);
    const transition = this.condition.observe(violating, clearing, 'low', ts, confirm, c.clearConfirm);
    if (transition === null || transition === 'escalated') return;
    const r = Math.round(ratio * 10) / 10;
    out.push(
      makeFinding(ctx, {
        kind: 'sensor_noise',
        fault: 'sensor',
        detector: 'sensor_health',
        phase: transition,
        lifecycle: 'condition',
        score: transition === 'raised' ? excessScore((ratio - limit) / limit) : 0,
        severity: 'low',
        explanation:
          transition === 'raised'
            ? `The ${ctx.subject} has become noisy: reading-to-reading noise ${formatValue(noise, ctx.unit)} is ${r} times its usual ${formatValue(reference, ctx.unit)}: loose connection, moisture in the probe or a failing sensor.`
            : `The ${ctx.subject} noise is back to ${r} times its usual level.`,
        eventTime: transition === 'raised' ? this.condition.onset : ts,
        detectedAt: ts,
        evidence: ctx.window.evidence(),
        details: { noise, reference, ratio: r, limit },
      }),
    );
  }

  snapshot(): NoiseSnapshot {
    return [Number.isFinite(this.reference) ? this.reference : null, this.condition.snapshot()];
  }

  restore(s: NoiseSnapshot): void {
    this.reference = s[0] ?? Number.NaN;
    this.condition.restore(s[1]);
  }
}
