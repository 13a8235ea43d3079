import { mean, median, quantile } from 'simple-statistics';
import { evaluateTarget, slaMetAt, type SlaTargetStateKind } from '../sla/sla-evaluation.js';
import { SLA_TARGETS } from '../sla/sla-policy.schema.js';
import { faultInstantOf } from '../warranty/warranty-decision.js';
import { PRIORITIES, type Priority, type WorkOrderSource } from '../work-order/work-order-vocabulary.js';
import type { KpiComplaintRecord, KpiSurveyRecord, KpiWorkOrderRecord } from './kpi-records.schema.js';

/**
 * KPI definitions (every duration in ms, rounded to the whole millisecond; every rate with its numerator and
 * denominator, null when nothing was measurable):
 *
 * - Cancelled work orders count in `workOrders`, `cancelled` and `falseAlarms` and nowhere else: a work order
 *   that was withdrawn, a duplicate or a false alarm says nothing about how well faults are served.
 * - firstResponse: firstResponseAt - createdAt (wall clock); mean and p90 (simple-statistics' quantile, the
 *   linear interpolation of R type 7 / numpy).
 * - onSiteWithinTarget: over work orders with an on-site target whose outcome is known at `asOf` (met, or
 *   breached: arrived late or still not there past the deadline); pending ones are left out.
 * - firstTimeFix: over work orders whose fix has been judged (accepted, or rejected at least once): fixed first
 *   time = never rejected at acceptance and at most one arrival on site (a resume after a hold is not an arrival).
 * - slaCompliance: per SLA priority, over work orders whose outcome is known: compliant when every applicable
 *   target was met in time, breached as soon as one target is breached; pending ones are left out.
 * - timeToResolve: resolvedAt - createdAt of work orders whose resolution stands (resolved, accepted, closed).
 * - mtbf: per asset, over its fault work orders ordered by when the fault was first known (faultInstantOf):
 *   the mean uptime between the resolution of one fault and the start of the next. Needs 2 faults.
 * - satisfaction: mean survey score and the share who would recommend.
 * - complaintsWithin24h: over complaints whose outcome is known (investigated, or open for more than 24 h):
 *   investigated within 24 h of opening.
 * - proactive: fault work orders opened by detection before any customer report, over all fault work orders.
 *   A fault work order is one opened by the detector, a customer report or a planner (`manual`); preventive
 *   visits and complaint follow-ups are not faults.
 * - detectionLeadTime: for detector work orders the customer reported later too, how much earlier the sensors
 *   saw it: customerReportedAt - (detectedAt ?? createdAt). Faults the customer never reported have no lead time
 *   to measure (they count as proactive, their lead is unbounded).
 */

export interface Ratio {
  readonly numerator: number;
  readonly denominator: number;
  readonly rate: number | null;
}

export interface DurationSummary {
  readonly count: number;
  readonly meanMs: number | null;
}

export interface AssetMtbf {
  readonly assetId: string;
  readonly failures: number;
  readonly intervals: number;
  readonly meanMs: number | null;
}

export interface KpiSet {
  readonly workOrders: number;
  readonly cancelled: number;
  readonly falseAlarms: number;
  readonly firstResponse: DurationSummary & { readonly p90Ms: number | null };
  readonly onSiteWithinTarget: Ratio;
  readonly firstTimeFix: Ratio;
  readonly slaCompliance: Readonly<Record<Priority | 'all', Ratio>>;
  readonly timeToResolve: DurationSummary;
  readonly mtbf: readonly AssetMtbf[];
  readonly satisfaction: {
    readonly responses: number;
    readonly meanScore: number | null;
    readonly wouldRecommend: Ratio;
  };
  readonly complaintsWithin24h: Ratio;
  readonly proactive: Ratio;
  readonly detectionLeadTime: DurationSummary & { readonly medianMs: number | null };
}

const DAY_MS = 24 * 3_600_000;
const FAULT_SOURCES: readonly WorkOrderSource[] = ['detector', 'customer_report', 'manual'];

export function ratio(numerator: number, denominator: number): Ratio {
  return { numerator, denominator, rate: denominator === 0 ? null : numerator / denominator };
}

const roundedMean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : Math.round(mean([...values]));

export function isFaultWorkOrder(record: KpiWorkOrderRecord): boolean {
  return record.status !== 'cancelled' && FAULT_SOURCES.includes(record.source);
}

/** Compliant, breached, or not yet known, for one work order at `asOf`. */
export function slaOutcome(record: KpiWorkOrderRecord, asOf: number): 'compliant' | 'breached' | 'pending' | 'none' {
  const states: SlaTargetStateKind[] = SLA_TARGETS.map((t) => evaluateTarget(record, t, asOf).state);
  if (states.includes('breached')) return 'breached';
  if (states.includes('pending')) return 'pending';
  return states.includes('met') ? 'compliant' : 'none';
}

function mtbfByAsset(faults: readonly KpiWorkOrderRecord[]): AssetMtbf[] {
  const byAsset = new Map<string, KpiWorkOrderRecord[]>();
  for (const record of faults) {
    const list = byAsset.get(record.assetId) ?? [];
    list.push(record);
    byAsset.set(record.assetId, list);
  }
  return [...byAsset.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([assetId, records]) => {
      const ordered = records
        .map((record) => ({ record, faultAt: faultInstantOf(record) }))
        .sort((a, b) => a.faultAt - b.faultAt || (a.record.id < b.record.id ? -1 : a.record.id > b.record.id ? 1 : 0));
      const uptimes: number[] = [];
      for (let i = 1; i < ordered.length; i++) {
        const previous = ordered[i - 1]!.record;
        if (previous.resolvedAt === null) continue; // never back in service: no uptime to measure
        uptimes.push(Math.max(0, ordered[i]!.faultAt - previous.resolvedAt));
      }
      return { assetId, failures: records.length, intervals: uptimes.length, meanMs: roundedMean(uptimes) };
    });
}

/** Every KPI over one set of records (the whole history or one group). */
export function measureKpis(
  workOrders: readonly KpiWorkOrderRecord[],
  surveys: readonly KpiSurveyRecord[],
  complaints: readonly KpiComplaintRecord[],
  asOf: number,
): KpiSet {
  const served = workOrders.filter((r) => r.status !== 'cancelled');

  const responseTimes = served.flatMap((r) => (r.firstResponseAt === null ? [] : [r.firstResponseAt - r.createdAt]));

  let onSiteMet = 0;
  let onSiteKnown = 0;
  let fixedFirstTime = 0;
  let fixJudged = 0;
  const resolveTimes: number[] = [];
  const compliance = new Map<Priority, { compliant: number; known: number }>(
    PRIORITIES.map((p) => [p, { compliant: 0, known: 0 }]),
  );
  for (const record of served) {
    const onSite = evaluateTarget(record, 'onSite', asOf);
    if (onSite.state === 'met' || onSite.state === 'breached') {
      onSiteKnown += 1;
      if (onSite.state === 'met') onSiteMet += 1;
    }
    if (record.acceptedAt !== null || record.rejectionCount > 0) {
      fixJudged += 1;
      if (record.rejectionCount === 0 && record.onSiteArrivals <= 1) fixedFirstTime += 1;
    }
    const resolvedAt = slaMetAt(record, 'resolution');
    if (resolvedAt !== null) resolveTimes.push(resolvedAt - record.createdAt);
    const outcome = slaOutcome(record, asOf);
    const bucket = compliance.get(record.slaPriority)!;
    if (outcome === 'compliant' || outcome === 'breached') {
      bucket.known += 1;
      if (outcome === 'compliant') bucket.compliant += 1;
    }
  }
  const slaCompliance = Object.fromEntries([
    ...PRIORITIES.map((p) => [p, ratio(compliance.get(p)!.compliant, compliance.get(p)!.known)] as const),
    [
      'all',
      ratio(
        [...compliance.values()].reduce((n, b) => n + b.compliant, 0),
        [...compliance.values()].reduce((n, b) => n + b.known, 0),
      ),
    ] as const,
  ]) as Record<Priority | 'all', Ratio>;

  const faults = workOrders.filter(isFaultWorkOrder);
  const proactive = faults.filter(
    (r) => r.source === 'detector' && (r.customerReportedAt === null || r.createdAt < r.customerReportedAt),
  );
  const leadTimes = proactive.flatMap((r) =>
    r.customerReportedAt === null ? [] : [r.customerReportedAt - (r.detectedAt ?? r.createdAt)],
  );

  const complaintsKnown = complaints.filter((c) => c.investigatedAt !== null || asOf - c.openedAt > DAY_MS);
  const complaintsInTime = complaintsKnown.filter(
    (c) => c.investigatedAt !== null && c.investigatedAt - c.openedAt <= DAY_MS,
  );

  return {
    workOrders: workOrders.length,
    cancelled: workOrders.length - served.length,
    falseAlarms: workOrders.filter((r) => r.status === 'cancelled' && r.cancelReason === 'false_alarm').length,
    firstResponse: {
      count: responseTimes.length,
      meanMs: roundedMean(responseTimes),
      p90Ms: responseTimes.length === 0 ? null : Math.round(quantile([...responseTimes], 0.9)),
    },
    onSiteWithinTarget: ratio(onSiteMet, onSiteKnown),
    firstTimeFix: ratio(fixedFirstTime, fixJudged),
    slaCompliance,
    timeToResolve: { count: resolveTimes.length, meanMs: roundedMean(resolveTimes) },
    mtbf: mtbfByAsset(faults),
    satisfaction: {
      responses: surveys.length,
      meanScore: surveys.length === 0 ? null : mean(surveys.map((s) => s.score)),
      wouldRecommend: ratio(surveys.filter((s) => s.wouldRecommend).length, surveys.length),
    },
    complaintsWithin24h: ratio(complaintsInTime.length, complaintsKnown.length),
    proactive: ratio(proactive.length, faults.length),
    detectionLeadTime: {
      count: leadTimes.length,
      meanMs: roundedMean(leadTimes),
      medianMs: leadTimes.length === 0 ? null : Math.round(median([...leadTimes])),
    },
  };
}
