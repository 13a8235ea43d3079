import { z } from 'zod';
import { localDate } from '../calendar/time-zone.js';
import { isValidTimeZone } from '../calendar/time-zone.js';
import { EpochMsSchema } from '../work-order/work-order.schema.js';
import type { KpiComplaintRecord, KpiSurveyRecord, KpiWorkOrderRecord } from './kpi-records.schema.js';
import { measureKpis, type KpiSet } from './kpi-measures.js';

export const KPI_GROUP_BY = ['technician', 'region', 'customer', 'month'] as const;
export type KpiGroupBy = (typeof KPI_GROUP_BY)[number];

export const KpiOptionsSchema = z.strictObject({
  asOf: EpochMsSchema.describe('the instant the KPIs are judged at: pending deadlines are compared to it'),
  groupBy: z.enum(KPI_GROUP_BY).nullable().default(null),
  timeZone: z
    .string()
    .refine(isValidTimeZone, { message: 'timeZone must be an IANA zone or an offset' })
    .default('UTC')
    .describe('zone in which months are cut'),
});
export type KpiOptions = z.infer<typeof KpiOptionsSchema>;

export interface KpiHistory {
  readonly workOrders: readonly KpiWorkOrderRecord[];
  readonly surveys: readonly KpiSurveyRecord[];
  readonly complaints: readonly KpiComplaintRecord[];
}

export interface KpiGroup {
  /** Technician id, region, customer id or `YYYY-MM`; null gathers what has none (unassigned, no region...). */
  readonly key: string | null;
  readonly kpis: KpiSet;
}

export interface KpiReport {
  readonly asOf: number;
  readonly groupBy: KpiGroupBy | null;
  readonly timeZone: string;
  readonly overall: KpiSet;
  /** Sorted by key, the null group last; empty when not grouped. */
  readonly groups: readonly KpiGroup[];
}

/**
 * KPIs over a history the caller has already selected (e.g. work orders created in [from, to), surveys and
 * complaints of the same period). Grouping:
 * - technician / region / customer: a work order by its own field; a survey by its work order's; a complaint
 *   by its own customer, or by its work order's technician / region (none when it names no work order);
 * - month: every record by the local month (in `timeZone`) of its own date: a work order's creation, a survey's
 *   submission, a complaint's opening.
 * MTBF per asset is computed within each group from the group's fault work orders.
 */
export function computeKpis(history: KpiHistory, options: KpiOptions): KpiReport {
  const { asOf, groupBy, timeZone } = options;
  const overall = measureKpis(history.workOrders, history.surveys, history.complaints, asOf);
  if (groupBy === null) return { asOf, groupBy, timeZone, overall, groups: [] };

  const month = (instant: number): string => localDate(instant, timeZone).slice(0, 7);
  const workOrderKey = (record: KpiWorkOrderRecord): string | null => {
    switch (groupBy) {
      case 'technician':
        return record.technicianId;
      case 'region':
        return record.region;
      case 'customer':
        return record.customerId;
      case 'month':
        return month(record.createdAt);
    }
  };
  const byId = new Map(history.workOrders.map((r) => [r.id, r]));
  const keyOfLinked = (workOrderId: string | null): string | null => {
    const record = workOrderId === null ? undefined : byId.get(workOrderId);
    return record === undefined ? null : workOrderKey(record);
  };
  const surveyKey = (survey: KpiSurveyRecord): string | null =>
    groupBy === 'month' ? month(survey.submittedAt) : keyOfLinked(survey.workOrderId);
  const complaintKey = (complaint: KpiComplaintRecord): string | null => {
    if (groupBy === 'month') return month(complaint.openedAt);
    if (groupBy === 'customer') return complaint.customerId;
    return keyOfLinked(complaint.workOrderId);
  };

  const buckets = new Map<string | null, { w: KpiWorkOrderRecord[]; s: KpiSurveyRecord[]; c: KpiComplaintRecord[] }>();
  const bucket = (key: string | null) => {
    let b = buckets.get(key);
    if (b === undefined) {
      b = { w: [], s: [], c: [] };
      buckets.set(key, b);
    }
    return b;
  };
  for (const record of history.workOrders) bucket(workOrderKey(record)).w.push(record);
  for (const survey of history.surveys) bucket(surveyKey(survey)).s.push(survey);
  for (const complaint of history.complaints) bucket(complaintKey(complaint)).c.push(complaint);

  const groups = [...buckets.entries()]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
    .map(([key, b]) => ({ key, kpis: measureKpis(b.w, b.s, b.c, asOf) }));
  return { asOf, groupBy, timeZone, overall, groups };
}
