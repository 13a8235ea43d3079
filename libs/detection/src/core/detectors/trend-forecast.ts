/**
 * Trend forecast / remaining life: Theil-Sen regression over the closed buckets (30 daily means by default)
 * extrapolated to the limit (80 % of nominal DFT, the ER metal-loss allowance, -850 mV CP...).
 *
 * Confidence = P(the value at the end of the lead horizon is beyond the limit) under a normal forecast error
 * with the slope's standard error (robust residual sigma / sqrt(Sxx)) and the level's standard error.
 * The crossing band (about 90 %) uses slope +- 1.645 se and level +- 1.645 se (a conservative approximation).
 * A predictive finding is raised when the point estimate of the crossing is inside the horizon with at least
 * the minimum confidence for `confirm` consecutive buckets; it escalates as the crossing nears (<= 14 days
 * medium, <= 7 days high) and clears when the prediction clearly no longer holds.
 */
import type { BucketSeries } from '../bucket-series.js';
import { type ForecastConfig } from '../config.js';
import { ConfirmedCondition, type ConditionSnapshot } from '../condition.js';
import { normalCdf, theilSen } from '../robust-stats.js';
import { type StreamContext, formatDate, formatDays, formatValue, makeFinding } from '../stream-context.js';
import type { Finding, Prediction, Severity } from '../types.js';

const DAY = 86_400_000;
const Z90 = 1.645;

export interface ForecastOutcome {
  readonly prediction: Prediction;
  /** Fitted level is already beyond the limit. */
  readonly crossed: boolean;
}

export function effectiveConfidence(minConfidence: number, sensitivity: number): number {
  return Math.min(0.99, Math.max(0.5, 1 - (1 - minConfidence) * sensitivity));
}

export class TrendForecast {
  private readonly condition = new ConfirmedCondition();

  constructor(
    readonly config: ForecastConfig,
    /** Sensor resolution (the window's minimum spread), metric unit. */
    private readonly resolution = 0,
  ) {}

  get active(): boolean {
    return this.condition.isActive;
  }

  /** The forecast from the closed buckets, evaluated at event time `now`; null when it cannot be made. */
  forecast(buckets: BucketSeries, now: number): ForecastOutcome | null {
    const c = this.config;
    const n = buckets.ring.size;
    if (n < c.minBuckets) return null;
    const { xs, ys } = buckets.series();
    const fit = theilSen(xs, ys);
    if (!fit || fit.sxx <= 0) return null;
    const xLast = xs[n - 1] ?? 0;
    const level = fit.intercept + fit.slope * xLast;
    const sigma = Math.max(fit.residualSigma, this.resolution / Math.sqrt(12), Math.abs(level) * 1e-6, 1e-12);
    const seSlope = sigma / Math.sqrt(fit.sxx);
    const seLevel = sigma * Math.sqrt(1 / n + (xLast - fit.xMean) ** 2 / fit.sxx);
    const tLast = buckets.ring.lastTime();
    const falling = c.direction === 'falling';
    const distance = falling ? level - c.limit : c.limit - level;
    const rate = falling ? -fit.slope : fit.slope;
    const horizonDays = Math.max(0, (now + c.horizonMs - tLast) / DAY);
    const spread = Math.hypot(seSlope * horizonDays, seLevel);
    const confidence = normalCdf((rate * horizonDays - distance) / spread);
    const crossingDays = rate > 0 ? Math.max(0, distance) / rate : Number.POSITIVE_INFINITY;
    const earliestDays = Math.max(0, distance - Z90 * seLevel) / (rate + Z90 * seSlope);
    const lateRate = rate - Z90 * seSlope;
    const latestDays = lateRate > 0 ? (distance + Z90 * seLevel) / lateRate : null;
    return {
      crossed: distance <= 0,
      prediction: {
        limit: c.limit,
        crossingTime: Number.isFinite(crossingDays) ? Math.round(tLast + crossingDays * DAY) : Number.MAX_SAFE_INTEGER,
        earliest: Number.isFinite(earliestDays) && earliestDays >= 0 ? Math.round(tLast + earliestDays * DAY) : tLast,
        latest: latestDays === null ? null : Math.round(tLast + latestDays * DAY),
        confidence: Math.round(confidence * 1000) / 1000,
        horizonMs: c.horizonMs,
        slopePerDay: fit.slope,
        level,
      },
    };
  }

  evaluate(ctx: StreamContext, buckets: BucketSeries, now: number, out: Finding[]): void {
    const c = this.config;
    const outcome = this.forecast(buckets, now);
    if (!outcome) return;
    const p = outcome.prediction;
    const needed = effectiveConfidence(c.minConfidence, ctx.sensitivity);
    const untilCrossing = p.crossingTime - now;
    const predicted = !outcome.crossed && untilCrossing <= c.horizonMs && p.confidence >= needed;
    // Hysteresis: clears only when the crossing moved well past the horizon or the confidence fell well short.
    const gone = !outcome.crossed && (untilCrossing > c.horizonMs * 1.5 || p.confidence < needed - 0.15);
    const severity: Severity = untilCrossing <= 7 * DAY ? 'high' : untilCrossing <= 14 * DAY ? 'medium' : 'low';
    const severityBefore = this.condition.severity;
    const transition = this.condition.observe(predicted, gone, severity, now, c.confirm, c.clearConfirm);
    if (transition === null) return;
    const when = `${formatDate(p.crossingTime)} (90 % band ${formatDate(p.earliest)} to ${p.latest === null ? 'open' : formatDate(p.latest)})`;
    const verb = c.direction === 'falling' ? 'fall below' : 'rise above';
    const rate = `${formatValue(p.slopePerDay, ctx.unit)}/day over the last ${buckets.ring.size} days`;
    let explanation: string;
    switch (transition) {
      case 'raised':
      case 'escalated':
        explanation = `At the current trend (${rate}), the ${c.subject} is predicted to ${verb} ${c.limitText} on ${when}, ${formatDays(Math.max(0, untilCrossing))} from now; confidence ${p.confidence} that it happens within ${formatDays(c.horizonMs)}.`;
        break;
      case 'cleared':
        explanation = `The ${c.subject} is no longer predicted to ${verb} ${c.limitText} within ${formatDays(c.horizonMs)} (trend ${rate}, confidence ${p.confidence}).`;
        break;
    }
    out.push(
      makeFinding(ctx, {
        kind: c.kind,
        fault: c.fault,
        detector: 'trend_forecast',
        phase: transition,
        lifecycle: 'condition',
        score: transition === 'cleared' ? 0 : Math.max(0.5, p.confidence),
        severity: transition === 'cleared' ? severityBefore : this.condition.severity,
        explanation,
        eventTime: transition === 'cleared' ? now : this.condition.onset,
        detectedAt: now,
        evidence: buckets.evidence(),
        prediction: p,
        ...(c.standard !== null ? { standard: c.standard } : {}),
        details: { minConfidence: needed },
      }),
    );
  }

  /** After a change point: the old trend no longer applies; an active prediction waits for new buckets. */
  reset(): void {
    this.condition.resetRun();
  }

  snapshot(): ConditionSnapshot {
    return this.condition.snapshot();
  }

  restore(s: ConditionSnapshot): void {
    this.condition.restore(s);
  }
}
