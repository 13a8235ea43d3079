import { PRIORITIES } from '../domain/index.js';
import type { KpiReportView, KpiSetView } from './kpi.api.js';

type Cell = string | number | null;

const COLUMNS: ReadonlyArray<readonly [string, (k: KpiSetView) => Cell]> = [
  ['work_orders', (k) => k.workOrders],
  ['cancelled', (k) => k.cancelled],
  ['false_alarms', (k) => k.falseAlarms],
  ['first_response_count', (k) => k.firstResponse.count],
  ['first_response_mean_ms', (k) => k.firstResponse.meanMs],
  ['first_response_p90_ms', (k) => k.firstResponse.p90Ms],
  ['on_site_within_target_rate', (k) => k.onSiteWithinTarget.rate],
  ['on_site_within_target', (k) => k.onSiteWithinTarget.numerator],
  ['on_site_judged', (k) => k.onSiteWithinTarget.denominator],
  ['first_time_fix_rate', (k) => k.firstTimeFix.rate],
  ['fixed_first_time', (k) => k.firstTimeFix.numerator],
  ['fixes_judged', (k) => k.firstTimeFix.denominator],
  ...[...PRIORITIES, 'all' as const].map(
    (p) => [`sla_compliance_${p.toLowerCase()}_rate`, (k: KpiSetView) => k.slaCompliance[p]?.rate ?? null] as const,
  ),
  ['time_to_resolve_count', (k) => k.timeToResolve.count],
  ['time_to_resolve_mean_ms', (k) => k.timeToResolve.meanMs],
  ['mtbf_assets', (k) => k.mtbf.assets],
  ['mtbf_intervals', (k) => k.mtbf.intervals],
  ['mtbf_mean_ms', (k) => k.mtbf.meanMs],
  ['survey_responses', (k) => k.satisfaction.responses],
  ['satisfaction_mean', (k) => k.satisfaction.meanScore],
  ['would_recommend_rate', (k) => k.satisfaction.wouldRecommend.rate],
  ['complaints_judged', (k) => k.complaintsWithin24h.denominator],
  ['complaints_within_24h_rate', (k) => k.complaintsWithin24h.rate],
  ['fault_work_orders', (k) => k.proactive.denominator],
  ['proactive', (k) => k.proactive.numerator],
  ['proactive_rate', (k) => k.proactive.rate],
  ['detection_lead_time_count', (k) => k.detectionLeadTime.count],
  ['detection_lead_time_mean_ms', (k) => k.detectionLeadTime.meanMs],
  ['detection_lead_time_median_ms', (k) => k.detectionLeadTime.medianMs],
];

/** RFC 4180: quote a field holding a comma, a quote or a line break; double the quotes. */
function field(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * The KPI report as CSV: one row for the whole period (`scope` overall), then one per group (`scope` = the
 * grouping, `key` = its value; empty for the group of records without one). Lines end with CRLF (RFC 4180).
 */
export function kpiReportCsv(report: KpiReportView): string {
  const header = ['scope', 'key', 'from', 'to', ...COLUMNS.map(([name]) => name)];
  const row = (scope: string, key: string | null, kpis: KpiSetView): string =>
    [scope, key, report.from, report.to, ...COLUMNS.map(([, get]) => get(kpis))].map(field).join(',');
  const lines = [
    header.join(','),
    row('overall', null, report.overall),
    ...report.groups.map((g) => row(report.groupBy ?? 'group', g.key, g.kpis)),
  ];
  return lines.join('\r\n') + '\r\n';
}
