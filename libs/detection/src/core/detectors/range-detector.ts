/**
 * Sensor health, out of range: readings outside the plausible range of the metric (for DFT, above 3x the
 * nominal: suspect per ISO 19840 / ARCHITECTURE.md). Such readings are kept out of every model; the
 * condition is confirmed over `confirm` readings and cleared after `clearConfirm` plausible ones.
 */
import type { RangeConfig } from '../config.js';
import { ConfirmedCondition, type ConditionSnapshot } from '../condition.js';
import { excessScore } from '../scoring.js';
import { type StreamContext, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

export class RangeDetector {
  private readonly condition = new ConfirmedCondition();

  constructor(readonly config: RangeConfig) {}

  /** Returns the score of the reading (0 when plausible); `inRange(value)` tells whether to model it. */
  inRange(value: number): boolean {
    return value >= this.config.min && value <= this.config.max;
  }

  observe(ctx: StreamContext, value: number, ts: number, out: Finding[]): number {
    const c = this.config;
    const plausible = this.inRange(value);
    const width = Math.max(c.max - c.min, 1e-9);
    const excess = plausible ? 0 : (value < c.min ? c.min - value : value - c.max) / (0.1 * width);
    const transition = this.condition.observe(!plausible, plausible, 'low', ts, c.confirm, c.clearConfirm);
    const score = plausible ? 0 : excessScore(excess);
    if (transition === null) return score;
    const range = `${formatValue(c.min, ctx.unit)} to ${formatValue(c.max, ctx.unit)}`;
    const explanation =
      transition === 'cleared'
        ? `The ${ctx.subject} readings are back within the plausible range ${range} (latest ${formatValue(value, ctx.unit)}).`
        : `The ${ctx.subject} read ${formatValue(value, ctx.unit)}, outside the plausible range ${range} (${c.reason}), for ${this.condition.run} readings: check the sensor; these readings are left out of the analysis.`;
    out.push(
      makeFinding(ctx, {
        kind: 'sensor_out_of_range',
        fault: 'sensor',
        detector: 'sensor_health',
        phase: transition,
        lifecycle: 'condition',
        score: transition === 'cleared' ? 0 : score,
        severity: 'low',
        explanation,
        eventTime: transition === 'cleared' ? ts : this.condition.onset,
        detectedAt: ts,
        evidence: { from: ts, to: ts, points: [{ ts, value }], series: 'readings' },
        ...(c.standard !== null ? { standard: c.standard } : {}),
        details: { value, min: c.min, max: c.max },
      }),
    );
    return score;
  }

  snapshot(): ConditionSnapshot {
    return this.condition.snapshot();
  }

  restore(s: ConditionSnapshot): void {
    this.condition.restore(s);
  }
}
