/**
 * Change point, slope: at each closed bucket, the Theil-Sen slope of the recent buckets against the
 * Theil-Sen slope of the older ones in the bucket window. A change of slope beyond z standard errors
 * (and beyond a physically meaningful minimum) for `confirm` consecutive buckets is a finding: accelerated
 * coating degradation (DFT), onset of corrosion (metal loss / rate), fading protection (CP).
 * One finding per episode: it re-arms when the change falls back below half the threshold.
 */
import type { BucketSeries } from '../bucket-series.js';
import type { ChangeMeaning, SlopeChangeConfig } from '../config.js';
import { pooledSigma, theilSen } from '../robust-stats.js';
import { excessScore } from '../scoring.js';
import { type StreamContext, formatValue, makeFinding } from '../stream-context.js';
import type { Finding } from '../types.js';

/** [run rising, run falling, armed rising, armed falling, run impossible?, armed impossible?] */
export type SlopeChangeSnapshot = [number, number, number, number, number?, number?];

export class SlopeChangeDetector {
  private runRising = 0;
  private runFalling = 0;
  private armedRising = 1;
  private armedFalling = 1;
  private runImpossible = 0;
  private armedImpossible = 1;

  constructor(
    readonly config: SlopeChangeConfig,
    /** Sensor resolution (the window's minimum spread), metric unit. */
    private readonly resolution: number,
  ) {}

  evaluate(ctx: StreamContext, buckets: BucketSeries, now: number, out: Finding[]): void {
    const c = this.config;
    const n = buckets.ring.size;
    if (n < c.recentBuckets + c.minReferenceBuckets) return;
    const older = buckets.series(n - c.recentBuckets, 0);
    const recent = buckets.series(c.recentBuckets);
    const fitOld = theilSen(older.xs, older.ys);
    const fitNew = theilSen(recent.xs, recent.ys);
    if (!fitOld || !fitNew) return;
    // One residual sigma for both segments (pooled: a MAD of 10 residuals alone is too unsteady for a
    // standard error), floored at the resolution of a daily mean (sensor resolution / sqrt(12)).
    const sigma = Math.max(pooledSigma(fitOld.residuals, fitNew.residuals), this.resolution / Math.sqrt(12), 1e-12);
    const se = Math.hypot(sigma / Math.sqrt(fitOld.sxx), sigma / Math.sqrt(fitNew.sxx));
    const change = fitNew.slope - fitOld.slope;
    const spanDays = c.recentBuckets * (buckets.config.bucketMs / 86_400_000);
    const spread = Number.isFinite(ctx.window.spread) ? ctx.window.spread : 0;
    const threshold = Math.max((c.z / ctx.sensitivity) * se, c.minChangePerDay, (c.spreadFactor * spread) / spanDays);
    const rising = change > threshold;
    const falling = change < -threshold;
    const calm = Math.abs(change) < threshold / 2;

    if (c.rising) {
      this.runRising = rising ? this.runRising + 1 : 0;
      if (calm) this.armedRising = 1;
      if (this.runRising >= c.confirm && this.armedRising === 1) {
        this.armedRising = 0;
        out.push(this.finding(ctx, buckets, c.rising, now, fitOld.slope, fitNew.slope, se, threshold));
      }
    }
    if (c.falling) {
      this.runFalling = falling ? this.runFalling + 1 : 0;
      if (calm) this.armedFalling = 1;
      if (this.runFalling >= c.confirm && this.armedFalling === 1) {
        this.armedFalling = 0;
        out.push(this.finding(ctx, buckets, c.falling, now, fitOld.slope, fitNew.slope, se, threshold));
      }
    }
    if (c.impossible) {
      const seNew = sigma / Math.sqrt(fitNew.sxx);
      const limit = Math.max((c.z / ctx.sensitivity) * seNew, c.minChangePerDay);
      const signed = c.impossible.direction === 'rising' ? fitNew.slope : -fitNew.slope;
      this.runImpossible = signed > limit ? this.runImpossible + 1 : 0;
      if (signed < limit / 2) this.armedImpossible = 1;
      if (this.runImpossible >= c.confirm && this.armedImpossible === 1) {
        this.armedImpossible = 0;
        out.push(this.impossibleFinding(ctx, buckets, c.impossible.meaning, now, fitNew.slope, seNew, limit));
      }
    }
  }

  /** After a change point: the old trend no longer applies; keep the arming so one episode stays one finding. */
  reset(): void {
    this.runRising = 0;
    this.runFalling = 0;
    this.runImpossible = 0;
  }

  private finding(
    ctx: StreamContext,
    buckets: BucketSeries,
    meaning: ChangeMeaning,
    now: number,
    slopeOld: number,
    slopeNew: number,
    se: number,
    threshold: number,
  ): Finding {
    const c = this.config;
    const days = buckets.ring.size - c.recentBuckets;
    const perDay = (x: number) => `${formatValue(x, ctx.unit)}/day`;
    const change = slopeNew - slopeOld;
    return this.event(ctx, buckets, meaning, now, Math.abs(change), se, threshold, {
      text: `The trend of the ${ctx.subject} changed from ${perDay(slopeOld)} over the ${days} days before to ${perDay(slopeNew)} over the last ${c.recentBuckets} days`,
      details: { slopeBeforePerDay: slopeOld, slopeRecentPerDay: slopeNew },
    });
  }

  private impossibleFinding(
    ctx: StreamContext,
    buckets: BucketSeries,
    meaning: ChangeMeaning,
    now: number,
    slope: number,
    se: number,
    threshold: number,
  ): Finding {
    return this.event(ctx, buckets, meaning, now, Math.abs(slope), se, threshold, {
      text: `The ${ctx.subject} has been ${slope > 0 ? 'rising' : 'falling'} by ${formatValue(Math.abs(slope), ctx.unit)}/day over the last ${this.config.recentBuckets} days`,
      details: { slopeRecentPerDay: slope },
    });
  }

  /** The event finding of either test: `magnitude` (unit/day) against `threshold`, onset at the recent segment. */
  private event(
    ctx: StreamContext,
    buckets: BucketSeries,
    meaning: ChangeMeaning,
    now: number,
    magnitude: number,
    se: number,
    threshold: number,
    what: { readonly text: string; readonly details: Record<string, number> },
  ): Finding {
    const ring = buckets.ring;
    return makeFinding(ctx, {
      kind: meaning.kind,
      fault: meaning.fault,
      detector: 'change_point',
      phase: 'raised',
      lifecycle: 'event',
      score: excessScore((magnitude - threshold) / threshold),
      severity: meaning.severity,
      explanation: `${what.text} (${Math.round((magnitude / se) * 10) / 10} standard errors): ${meaning.meaning}.`,
      eventTime: ring.timeAt(ring.size - this.config.recentBuckets),
      detectedAt: now,
      evidence: buckets.evidence(),
      details: { ...what.details, standardError: se, threshold },
    });
  }

  snapshot(): SlopeChangeSnapshot {
    const base: [number, number, number, number] = [
      this.runRising,
      this.runFalling,
      this.armedRising,
      this.armedFalling,
    ];
    return this.config.impossible ? [...base, this.runImpossible, this.armedImpossible] : base;
  }

  restore(s: SlopeChangeSnapshot): void {
    [this.runRising, this.runFalling, this.armedRising, this.armedFalling] = s;
    this.runImpossible = s[4] ?? 0;
    this.armedImpossible = s[5] ?? 1;
  }
}
