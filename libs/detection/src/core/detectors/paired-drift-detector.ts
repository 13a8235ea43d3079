/**
 * Sensor health, drift against a paired sensor: two sensors of the same metric that should read alike (two
 * DFT gauges on one panel, a logger's temperature against the site's). The difference of near-simultaneous
 * readings is compared with the offset learnt while both were healthy (median of the first `warmup` pairs);
 * an EWMA of the deviation beyond `limit` for `confirm` pairs is drift, cleared below half the limit.
 * State is O(1) plus a warm-up ring; which sensors pair up is the wiring's decision.
 */
import { median } from 'simple-statistics';
import { ConfirmedCondition, type ConditionSnapshot } from '../condition.js';
import { RingBuffer, type RingSnapshot } from '../ring-buffer.js';
import { roundSig } from '../robust-stats.js';
import { excessScore } from '../scoring.js';
import { formatTime, formatValue } from '../stream-context.js';
import type { Finding, ObservedReading } from '../types.js';

export interface PairedDriftConfig {
  /** Deviation from the learnt offset that counts as drift, metric unit. */
  readonly limit: number;
  /** Readings of the two sensors pair up when at most this far apart in event time. Default 2 h. */
  readonly maxSkewMs: number;
  /** Pairs used to learn the normal offset. Default 24. */
  readonly warmup: number;
  /** EWMA weight of each pair. Default 0.1. */
  readonly alpha: number;
  readonly confirm: number;
  readonly clearConfirm: number;
}

export const DEFAULT_PAIRED_DRIFT: Omit<PairedDriftConfig, 'limit'> = {
  maxSkewMs: 2 * 3_600_000,
  warmup: 24,
  alpha: 0.1,
  confirm: 6,
  clearConfirm: 6,
};

/** Default drift limits of the catalog metrics (instrument tolerances, project defaults). */
export const DEFAULT_DRIFT_LIMITS: Readonly<Record<string, number>> = {
  coating_thickness_um: 15,
  cp_potential_mv: 50,
  temperature_c: 2,
  humidity_pct: 8,
  corrosion_rate_mm_y: 0.02,
  metal_loss_um: 5,
  battery_v: 0.2,
};

export interface PairedDriftSnapshot {
  /** Latest reading of each side: [ts, value, paired]. */
  readonly a: [number, number, number] | null;
  readonly b: [number, number, number] | null;
  readonly w: RingSnapshot;
  /** [offset or null, ewma, pairs] */
  readonly s: [number | null, number, number];
  readonly c: ConditionSnapshot;
}

export class PairedDriftDetector {
  private lastA: [number, number, number] | null = null;
  private lastB: [number, number, number] | null = null;
  private readonly warmupRing: RingBuffer;
  private offset = Number.NaN;
  private ewma = 0;
  private pairs = 0;
  private readonly condition = new ConfirmedCondition();

  constructor(
    /** The sensor the finding is reported on (device / metric), and its partner. */
    readonly primary: { readonly deviceId: string; readonly metric: string },
    readonly partner: { readonly deviceId: string; readonly metric: string },
    readonly config: PairedDriftConfig,
    private readonly unit = '',
  ) {
    this.warmupRing = new RingBuffer(config.warmup);
  }

  /** Feed a reading of either sensor (others are ignored). Out-of-order readings of a side are ignored. */
  update(reading: ObservedReading): readonly Finding[] {
    const isA = reading.deviceId === this.primary.deviceId && reading.metric === this.primary.metric;
    const isB = reading.deviceId === this.partner.deviceId && reading.metric === this.partner.metric;
    if (!isA && !isB) return [];
    if (!Number.isFinite(reading.value)) return [];
    const own = isA ? this.lastA : this.lastB;
    if (own !== null && reading.ts <= own[0]) return [];
    const entry: [number, number, number] = [reading.ts, reading.value, 0];
    if (isA) this.lastA = entry;
    else this.lastB = entry;
    const other = isA ? this.lastB : this.lastA;
    // Each reading pairs at most once, with the partner's latest unpaired reading close enough in time.
    if (other === null || other[2] === 1 || Math.abs(other[0] - reading.ts) > this.config.maxSkewMs) return [];
    entry[2] = 1;
    other[2] = 1;
    const a = isA ? entry : other;
    const b = isA ? other : entry;
    return this.pair(a[1] - b[1], reading.ts);
  }

  private pair(difference: number, ts: number): Finding[] {
    const c = this.config;
    this.pairs += 1;
    this.warmupRing.push(ts, difference);
    if (!Number.isFinite(this.offset)) {
      if (this.warmupRing.full) this.offset = roundSig(median(this.warmupRing.unorderedValues()));
      return [];
    }
    this.ewma = roundSig(this.ewma + c.alpha * (difference - this.offset - this.ewma));
    const deviation = Math.abs(this.ewma);
    const transition = this.condition.observe(
      deviation > c.limit,
      deviation < c.limit / 2,
      'low',
      ts,
      c.confirm,
      c.clearConfirm,
    );
    if (transition === null || transition === 'escalated') return [];
    const points = [];
    for (let i = 0; i < this.warmupRing.size; i++) {
      points.push({ ts: this.warmupRing.timeAt(i), value: this.warmupRing.valueAt(i) });
    }
    const partner = `${this.partner.deviceId}/${this.partner.metric}`;
    return [
      {
        deviceId: this.primary.deviceId,
        metric: this.primary.metric,
        kind: 'sensor_drift',
        fault: 'sensor',
        detector: 'sensor_health',
        phase: transition,
        lifecycle: 'condition',
        score: transition === 'raised' ? excessScore((deviation - c.limit) / c.limit) : 0,
        severity: 'low',
        explanation:
          transition === 'raised'
            ? `Since about ${formatTime(this.condition.onset)} this sensor has drifted ${formatValue(this.ewma, this.unit)} away from its partner ${partner} (usual offset ${formatValue(this.offset, this.unit)}, limit ${formatValue(c.limit, this.unit)}): recalibrate or replace one of them.`
            : `This sensor agrees with its partner ${partner} again (deviation ${formatValue(this.ewma, this.unit)}).`,
        eventTime: transition === 'raised' ? this.condition.onset : ts,
        detectedAt: ts,
        evidence: { from: points[0]?.ts ?? ts, to: ts, points, series: 'paired_differences' },
        details: { offset: this.offset, deviation: this.ewma, limit: c.limit, partner },
      },
    ];
  }

  snapshot(): PairedDriftSnapshot {
    return {
      a: this.lastA ? [...this.lastA] : null,
      b: this.lastB ? [...this.lastB] : null,
      w: this.warmupRing.snapshot(),
      s: [Number.isFinite(this.offset) ? this.offset : null, this.ewma, this.pairs],
      c: this.condition.snapshot(),
    };
  }

  restore(s: PairedDriftSnapshot): void {
    this.lastA = s.a ? [...s.a] : null;
    this.lastB = s.b ? [...s.b] : null;
    this.warmupRing.restore(s.w);
    this.offset = s.s[0] ?? Number.NaN;
    this.ewma = s.s[1];
    this.pairs = s.s[2];
    this.condition.restore(s.c);
  }
}
