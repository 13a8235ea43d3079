import type { KpiSet } from './kpi-measures.js';

/**
 * The measurable service promises of ARCHITECTURE.md that are aggregates. (The per-work-order promises, such
 * as "critical faults on site within 2 h" and "answered within 24 h", are SLA targets: see slaCompliance and
 * onSiteWithinTarget.)
 */
export const SERVICE_PROMISES = {
  meanFirstResponseMs: { max: 4 * 3_600_000, text: 'mean response time <= 4 h' },
  firstTimeFixRate: { min: 0.9, text: 'first-time-fix rate >= 90 %' },
  meanSatisfaction: { min: 4.5, text: 'satisfaction >= 4.5 / 5' },
  recommendShare: { min: 0.8, text: '>= 80 % would recommend' },
  complaintsWithin24hRate: { min: 1, text: 'complaints investigated within 24 h' },
} as const;
export type ServicePromise = keyof typeof SERVICE_PROMISES;

export interface PromiseCheck {
  readonly promise: ServicePromise;
  readonly text: string;
  readonly actual: number | null;
  /** null when there was nothing to measure. */
  readonly kept: boolean | null;
}

/** Whether each aggregate promise was kept by a KPI set. */
export function checkPromises(kpis: KpiSet): PromiseCheck[] {
  const atMost = (actual: number | null, max: number) => (actual === null ? null : actual <= max);
  const atLeast = (actual: number | null, min: number) => (actual === null ? null : actual >= min);
  const p = SERVICE_PROMISES;
  return [
    {
      promise: 'meanFirstResponseMs',
      text: p.meanFirstResponseMs.text,
      actual: kpis.firstResponse.meanMs,
      kept: atMost(kpis.firstResponse.meanMs, p.meanFirstResponseMs.max),
    },
    {
      promise: 'firstTimeFixRate',
      text: p.firstTimeFixRate.text,
      actual: kpis.firstTimeFix.rate,
      kept: atLeast(kpis.firstTimeFix.rate, p.firstTimeFixRate.min),
    },
    {
      promise: 'meanSatisfaction',
      text: p.meanSatisfaction.text,
      actual: kpis.satisfaction.meanScore,
      kept: atLeast(kpis.satisfaction.meanScore, p.meanSatisfaction.min),
    },
    {
      promise: 'recommendShare',
      text: p.recommendShare.text,
      actual: kpis.satisfaction.wouldRecommend.rate,
      kept: atLeast(kpis.satisfaction.wouldRecommend.rate, p.recommendShare.min),
    },
    {
      promise: 'complaintsWithin24hRate',
      text: p.complaintsWithin24hRate.text,
      actual: kpis.complaintsWithin24h.rate,
      kept: atLeast(kpis.complaintsWithin24h.rate, p.complaintsWithin24hRate.min),
    },
  ];
}
