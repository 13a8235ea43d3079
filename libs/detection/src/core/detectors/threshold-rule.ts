/**
 * Domain rule: a limit from a standard (ISO 19840 DFT, NACE SP0775 rate bands, CP criterion...) with
 * confirmation over k readings, escalation through more extreme bands, and hysteresis for clearing.
 */
import { type Band, type RuleConfig, scaledCount } from '../config.js';
import { ConfirmedCondition, type ConditionSnapshot } from '../condition.js';
import { excessScore } from '../scoring.js';
import { type StreamContext, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

function beyond(value: number, band: Band, violates: 'below' | 'above'): boolean {
  if (violates === 'below') return band.strict ? value < band.limit : value <= band.limit;
  return band.strict ? value > band.limit : value >= band.limit;
}

export class ThresholdRule {
  private readonly condition = new ConfirmedCondition();

  constructor(readonly config: RuleConfig) {}

  get active(): boolean {
    return this.condition.isActive;
  }

  /** Observes one input; returns its score for the anomaly score (0 when not violating). */
  observe(ctx: StreamContext, value: number, ts: number, out: Finding[]): number {
    const c = this.config;
    const first = c.bands[0];
    if (!first) return 0;
    let bandIndex = -1;
    for (let i = 0; i < c.bands.length; i++) {
      const band = c.bands[i];
      if (band && beyond(value, band, c.violates)) bandIndex = i;
    }
    // Outside [activeFrom, activeUntil) the rule raises nothing new, but an active condition can still clear.
    const violating =
      bandIndex >= 0 &&
      (c.activeUntil === undefined || ts < c.activeUntil) &&
      (c.activeFrom === undefined || ts >= c.activeFrom);
    if (!violating && !this.condition.isActive) {
      // The usual case, nothing to raise or clear: only the condition's run counters reset (score 0).
      this.condition.observe(false, false, first.severity, ts, 1, c.clearConfirm);
      return 0;
    }
    const clearing =
      c.violates === 'below' ? value >= first.limit + c.clearMargin : value <= first.limit - c.clearMargin;
    const severity = c.bands[Math.max(0, bandIndex)]?.severity ?? first.severity;
    const confirm = scaledCount(c.confirm, ctx.sensitivity);
    const severityBefore = this.condition.severity;
    const transition = this.condition.observe(violating, clearing, severity, ts, confirm, c.clearConfirm);
    // Relative distance beyond the raise limit, in units of 10 % of the limit (or of the clear margin).
    const scale = Math.max(Math.abs(first.limit) * 0.1, c.clearMargin, 1e-9);
    const excess = violating ? Math.abs(value - first.limit) / scale : 0;
    const score = violating ? excessScore(excess) : 0;
    if (transition === null) return score;
    const side = c.violates === 'below' ? 'below' : 'above';
    const v = formatValue(value, ctx.unit);
    const n = this.condition.run;
    let explanation: string;
    switch (transition) {
      case 'raised':
        explanation = `The ${c.subject} has been ${side} ${c.limitText} for ${n} consecutive readings (latest ${v}).`;
        break;
      case 'escalated':
        explanation = `The ${c.subject} went further ${side} the limit: ${v} is now ${this.condition.severity} severity (limit ${c.limitText}).`;
        break;
      case 'cleared':
        explanation = `The ${c.subject} is back ${c.violates === 'below' ? 'above' : 'below'} ${c.limitText} with margin for ${c.clearConfirm} readings (latest ${v}).`;
        break;
    }
    out.push(
      makeFinding(ctx, {
        kind: c.kind,
        fault: c.fault,
        detector: 'domain_rule',
        phase: transition,
        lifecycle: 'condition',
        score: transition === 'cleared' ? 0 : score,
        severity: transition === 'cleared' ? severityBefore : this.condition.severity,
        explanation,
        eventTime: transition === 'cleared' ? ts : this.condition.onset,
        detectedAt: ts,
        evidence: ctx.window.evidence(),
        ...(c.standard !== null ? { standard: c.standard } : {}),
        details: {
          value,
          limit: first.limit,
          clearLevel: first.limit + (c.violates === 'below' ? 1 : -1) * c.clearMargin,
        },
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
