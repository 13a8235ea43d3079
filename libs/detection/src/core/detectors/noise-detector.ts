/**
 * Sensor health, noise growth: the difference-based noise of the window (robust to level, slow trend and a
 * single step) against a slowly updated reference noise. Evaluated at each baseline refresh; confirmed over
 * `confirm` refreshes, cleared with hysteresis. The reference only learns from refreshes in the normal regime
 * (ratio within [1/r, r]) so a stuck or noisy episode does not teach it a new normal.
 *
 * A sensor whose noise is a fraction of its reading (`relative`: corrosion-rate probes) is judged on noise over
 * level (the window median, at least `minLevel`), the reference too: real corrosion that raises the rate
 * tenfold raises the probe's noise tenfold, and that is not a failing probe.
 */
import { type NoiseConfig, scaledCount } from '../config.js';
import { ConfirmedCondition, type ConditionSnapshot } from '../condition.js';
import { roundSig } from '../robust-stats.js';
import { excessScore } from '../scoring.js';
import { type StreamContext, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

/**
 * [reference noise or null, condition], and 1 when the reference is relative to the level: a reference stored
 * in the other kind (a setting changed, an older state) is learnt again rather than misread.
 */
export type NoiseSnapshot = [number | null, ConditionSnapshot] | [number | null, ConditionSnapshot, 1];

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

  /** Called after each baseline refresh with the window's current noise and level (median). */
  evaluate(ctx: StreamContext, windowNoise: number, level: number, ts: number, out: Finding[]): void {
    const c = this.config;
    // Relative: every quantity in units of the level, so the ratio below is of noise-to-level ratios.
    const unit = c.relative ? Math.max(Math.abs(level), c.relative.minLevel) : 1;
    if (!Number.isFinite(windowNoise) || !Number.isFinite(unit)) return;
    const noise = windowNoise / unit;
    if (!Number.isFinite(this.reference)) {
      this.reference = roundSig(noise);
      return;
    }
    const floor = this.floor / unit;
    const reference = Math.max(this.reference, floor, (c.minReference ?? 0) / unit);
    const ratio = Math.max(noise, floor) / reference;
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
            ? `The ${ctx.subject} has become noisy: reading-to-reading noise ${formatValue(windowNoise, ctx.unit)} is ${r} times its usual ${c.relative ? `(${formatValue(reference * 100, '%')} of the reading)` : formatValue(reference, ctx.unit)}: loose connection, moisture in the probe or a failing sensor.`
            : `The ${ctx.subject} noise is back to ${r} times its usual level.`,
        eventTime: transition === 'raised' ? this.condition.onset : ts,
        detectedAt: ts,
        evidence: ctx.window.evidence(),
        details: c.relative
          ? { noise: windowNoise, level: unit, relativeNoise: roundSig(noise), reference, ratio: r, limit }
          : { noise, reference, ratio: r, limit },
      }),
    );
  }

  snapshot(): NoiseSnapshot {
    const reference = Number.isFinite(this.reference) ? this.reference : null;
    return this.config.relative ? [reference, this.condition.snapshot(), 1] : [reference, this.condition.snapshot()];
  }

  restore(s: NoiseSnapshot): void {
    const relative = s[2] === 1;
    this.reference = relative === Boolean(this.config.relative) ? (s[0] ?? Number.NaN) : Number.NaN;
    this.condition.restore(s[1]);
  }
}
