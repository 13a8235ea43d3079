import { Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import { PRIORITIES, ratio, type KpiGroupBy, type Priority, type Ratio } from '../domain/index.js';
import { toDate } from '../shared/time.js';
import type { KpiSetView } from './kpi.api.js';
import { monthBuckets } from './kpi-months.js';

/**
 * The KPIs of kpi-measures.ts computed by PostgreSQL, for large histories: over 100 000 work orders, shipping
 * the rows to JavaScript costs seconds on the embedded database while aggregating them in SQL costs a fraction
 * of that. Every expression below mirrors one definition of the domain (kpi-measures.ts, sla-evaluation.ts);
 * a medium test checks that both paths give the same report on a varied history, boundaries included.
 * Means are computed in JS from exact integer sums (as the domain does); percentiles by percentile_cont, the
 * same linear interpolation as simple-statistics' quantile (R type 7).
 *
 * One statement computes the whole period and, when grouped, every group (GROUPING SETS), over one scan.
 */

export interface KpiAggregateQuery {
  readonly from: number;
  readonly to: number;
  readonly asOf: number;
  readonly groupBy: KpiGroupBy | null;
  readonly timeZone: string;
  readonly mtbfByAsset: boolean;
}

export interface KpiAggregates {
  readonly overall: KpiSetView;
  readonly groups: ReadonlyArray<{ readonly key: string | null; readonly kpis: KpiSetView }>;
}

type Num = number | string | null;
const num = (v: Num): number => (v === null ? 0 : Number(v));
const roundedMean = (sum: Num, count: Num): number | null =>
  num(count) === 0 ? null : Math.round(num(sum) / num(count));
const rounded = (v: Num): number | null => (v === null ? null : Math.round(Number(v)));

/** Milliseconds between two timestamptz, as an exact bigint. */
const msBetween = (a: string, b: string): string => `round(date_part('epoch', ${a} - ${b}) * 1000)::bigint`;

/** A row of a grouped aggregate: `overall` is 1 on the row of the whole period (GROUPING() of the key). */
interface Keyed {
  k: string | null;
  overall: number;
}

interface WorkOrderAggregate extends Keyed, Record<string, unknown> {
  n: Num;
  cancelled: Num;
  false_alarms: Num;
  fr_count: Num;
  fr_sum: Num;
  fr_p90: Num;
  os_known: Num;
  os_met: Num;
  ftf_judged: Num;
  ftf_fixed: Num;
  ttr_count: Num;
  ttr_sum: Num;
  faults: Num;
  proactive: Num;
  lead_count: Num;
  lead_sum: Num;
  lead_median: Num;
}
interface MtbfAggregate extends Keyed {
  assets: Num;
  intervals: Num;
  weighted: Num;
}
interface AssetMtbfRow extends Keyed {
  asset_id: string;
  failures: Num;
  intervals: Num;
  up_sum: Num;
}
interface SurveyAggregate extends Keyed, Record<string, unknown> {
  responses: Num;
  score_sum: Num;
  recommend: Num;
}
interface ComplaintAggregate extends Keyed, Record<string, unknown> {
  known: Num;
  in_time: Num;
}

interface Keys {
  readonly workOrder: SQL;
  readonly survey: SQL;
  readonly complaint: SQL;
}

async function rows<T extends Record<string, unknown>>(db: DbExecutor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

@Injectable()
export class KpiAggregatesRepository {
  /**
   * In one read-only transaction: a consistent snapshot, and room to sort in memory (the MTBF window and the
   * percentiles sort up to every work order of the period).
   */
  async aggregate(db: DbExecutor, q: KpiAggregateQuery): Promise<KpiAggregates> {
    return db.transaction(async (tx) => {
      await tx.execute(sql`set local work_mem = '64MB'`);
      return this.aggregateIn(tx, q);
    });
  }

  private async aggregateIn(db: DbExecutor, q: KpiAggregateQuery): Promise<KpiAggregates> {
    const keys = this.keys(q);
    const grouped = q.groupBy !== null;
    const from = toDate(q.from);
    const to = toDate(q.to);
    const asOf = toDate(q.asOf);
    const inRange = sql`w.created_at >= ${from}::timestamptz and w.created_at < ${to}::timestamptz`;
    // With a grouping: the whole period (grouping set ()) and each group ((k)) in one pass.
    const groupBy = grouped ? sql`group by grouping sets ((), (k))` : sql``;
    const overallFlag = grouped ? sql`grouping(k)` : sql`1`;
    const key = grouped ? sql`k` : sql`null::text`;

    const { workOrders, mtbf, assets } = await this.workOrderAggregates(db, q, keys, inRange, asOf, {
      groupBy,
      overallFlag,
      key,
    });
    const surveys = await rows<SurveyAggregate>(
      db,
      sql`select ${key} as k, ${overallFlag} as overall, count(*) as responses, sum(score) as score_sum,
          count(*) filter (where would_recommend) as recommend
        from (
          select ${keys.survey} as k, s.score, s.would_recommend
          from work_order_surveys s left join work_orders w on w.id = s.work_order_id and ${inRange}
          where s.submitted_at >= ${from}::timestamptz and s.submitted_at < ${to}::timestamptz
        ) x ${groupBy}`,
    );
    const complaints = await rows<ComplaintAggregate>(
      db,
      sql`select ${key} as k, ${overallFlag} as overall,
          count(*) filter (where investigated_at is not null or ${asOf}::timestamptz - opened_at > interval '24 hours') as known,
          count(*) filter (where investigated_at is not null and investigated_at - opened_at <= interval '24 hours') as in_time
        from (
          select ${keys.complaint} as k, c.opened_at, c.investigated_at
          from complaints c left join work_orders w on w.id = c.work_order_id and ${inRange}
          where c.opened_at >= ${from}::timestamptz and c.opened_at < ${to}::timestamptz
        ) x ${groupBy}`,
    );

    const overall = emptySet();
    const groups = new Map<string | null, KpiSetView>();
    const setOf = (row: Keyed): KpiSetView => {
      if (Number(row.overall) === 1) return overall;
      let set = groups.get(row.k);
      if (set === undefined) {
        set = emptySet();
        groups.set(row.k, set);
      }
      return set;
    };
    for (const r of workOrders) Object.assign(setOf(r), workOrderKpis(r));
    const byAsset = q.mtbfByAsset ? assetLists(assets) : undefined;
    for (const r of mtbf) {
      const intervals = num(r.intervals);
      setOf(r).mtbf = {
        assets: num(r.assets),
        intervals,
        meanMs: intervals === 0 ? null : Math.round(num(r.weighted) / intervals),
      };
    }
    for (const r of surveys) {
      const responses = num(r.responses);
      setOf(r).satisfaction = {
        responses,
        meanScore: responses === 0 ? null : num(r.score_sum) / responses,
        wouldRecommend: ratio(num(r.recommend), responses),
      };
    }
    for (const r of complaints) setOf(r).complaintsWithin24h = ratio(num(r.in_time), num(r.known));
    if (byAsset !== undefined) {
      overall.mtbf.byAsset = byAsset.overall;
      for (const [k, set] of groups) set.mtbf.byAsset = byAsset.groups.get(k) ?? [];
    }
    const sorted = [...groups.entries()]
      .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b)))
      .map(([key, kpis]) => ({ key, kpis }));
    return { overall, groups: grouped ? sorted : [] };
  }

  /** The work-order KPIs and MTBF, overall and per group, from one scan of the period's work orders. */
  private async workOrderAggregates(
    db: DbExecutor,
    q: KpiAggregateQuery,
    keys: Keys,
    inRange: SQL,
    asOf: Date,
    grouping: { readonly groupBy: SQL; readonly overallFlag: SQL; readonly key: SQL },
  ): Promise<{ workOrders: WorkOrderAggregate[]; mtbf: MtbfAggregate[]; assets: AssetMtbfRow[] }> {
    const grouped = q.groupBy !== null;
    const { groupBy, overallFlag, key } = grouping;
    // Stage 1, per work order: when each SLA target was met and where the clock stands (sla-evaluation.ts).
    const facts = sql`
      select ${keys.workOrder} as k, w.id, w.asset_id, w.source, w.status, w.sla_priority, w.cancel_reason,
        w.created_at, w.detected_at, w.customer_reported_at, w.first_response_at, w.resolved_at, w.accepted_at,
        w.rejection_count, w.on_site_arrivals, w.due_first_response, w.due_on_site, w.due_resolution,
        (w.status <> 'cancelled') as served,
        (w.status <> 'cancelled' and w.source in ('detector', 'customer_report', 'manual')) as fault,
        (case when w.status in ('resolved', 'accepted', 'closed') then w.resolved_at end) as res_met,
        coalesce(w.on_site_at, case when w.remote_resolution and w.status in ('resolved', 'accepted', 'closed')
          then w.resolved_at end) as os_met,
        least(${asOf}::timestamptz, coalesce(w.clock_stopped_at, ${asOf}::timestamptz)) as clock
      from work_orders w where ${inRange} offset 0`;
    // Stage 2: the state of each target (evaluateTarget) and the durations the KPIs average (kpi-measures.ts).
    const state = (due: string, met: string): string =>
      `(case when ${due} is null then 'n' when ${met} is not null then (case when ${met} <= ${due} then 'm' else 'b' end)
        when status = 'cancelled' then 'v' when clock > ${due} then 'b' else 'p' end)`;
    const proactive = `(fault and source = 'detector' and (customer_reported_at is null or created_at < customer_reported_at))`;
    const measures = sql.raw(`
      select k, id, asset_id, sla_priority, served, fault, resolved_at,
        (not served and cancel_reason = 'false_alarm') as false_alarm,
        least(detected_at, customer_reported_at, created_at) as fault_at,
        ${state('due_first_response', 'first_response_at')} as s_fr,
        ${state('due_on_site', 'os_met')} as s_os,
        ${state('due_resolution', 'res_met')} as s_res,
        case when served and first_response_at is not null then ${msBetween('first_response_at', 'created_at')} end as fr_ms,
        case when served and res_met is not null then ${msBetween('res_met', 'created_at')} end as ttr_ms,
        ${proactive} as proactive,
        case when ${proactive} and customer_reported_at is not null
          then ${msBetween('customer_reported_at', 'coalesce(detected_at, created_at)')} end as lead_ms,
        (served and (accepted_at is not null or rejection_count > 0)) as ftf_judged,
        (served and (accepted_at is not null or rejection_count > 0) and rejection_count = 0 and on_site_arrivals <= 1) as ftf_fixed`);
    // Stage 3: the work order's SLA outcome (slaOutcome) as one code per priority. Each stage is fenced (OFFSET 0,
    // MATERIALIZED) so that every expression is computed once per row, not once per reference.
    const outcome = `(case when not served then null when 'b' in (s_fr, s_os, s_res) then 'b'
        when 'p' in (s_fr, s_os, s_res) then 'p' when 'm' in (s_fr, s_os, s_res) then 'm' end)`;
    const slaColumns = PRIORITIES.flatMap((p) => [
      // Unquoted identifiers are folded to lower case by PostgreSQL.
      `count(*) filter (where sla_priority = '${p}' and outcome in ('m', 'b')) as sla_${p.toLowerCase()}_known`,
      `count(*) filter (where sla_priority = '${p}' and outcome = 'm') as sla_${p.toLowerCase()}_met`,
    ]).join(',\n');
    // MTBF per asset: faults ordered by when they were first known; uptime from one's resolution to the next.
    const perAsset = (partition: string) => `
        select ${partition === 'asset_id' ? 'null::text as k, 1 as overall' : 'k, 0 as overall'}, asset_id,
          count(*) as failures, count(up) as intervals, sum(up) as up_sum
        from (
          select k, asset_id, case when prev_resolved is not null
            then greatest(0, ${msBetween('fault_at', 'prev_resolved')}) end as up
          from (
            select k, asset_id, fault_at, lag(resolved_at) over (partition by ${partition} order by fault_at, id) as prev_resolved
            from r where fault
          ) seq
        ) ups
        group by ${partition === 'asset_id' ? 'asset_id' : 'k, asset_id'}`;
    const assetSets = grouped ? `${perAsset('asset_id')} union all ${perAsset('k, asset_id')}` : perAsset('asset_id');
    const [result] = await rows<{ result: string }>(
      db,
      sql`with r as materialized (
          select m.*, ${sql.raw(outcome)} as outcome from (${measures} from (${facts}) f offset 0) m
        ),
        agg as (
          select ${key} as k, ${overallFlag} as overall, count(*) as n,
            count(*) filter (where not served) as cancelled,
            count(*) filter (where false_alarm) as false_alarms,
            count(fr_ms) as fr_count, sum(fr_ms) as fr_sum,
            percentile_cont(0.9) within group (order by fr_ms) as fr_p90,
            count(*) filter (where served and s_os in ('m', 'b')) as os_known,
            count(*) filter (where served and s_os = 'm') as os_met,
            count(*) filter (where ftf_judged) as ftf_judged,
            count(*) filter (where ftf_fixed) as ftf_fixed,
            count(ttr_ms) as ttr_count, sum(ttr_ms) as ttr_sum,
            count(*) filter (where fault) as faults, count(*) filter (where proactive) as proactive,
            count(lead_ms) as lead_count, sum(lead_ms) as lead_sum,
            percentile_cont(0.5) within group (order by lead_ms) as lead_median,
            ${sql.raw(slaColumns)}
          from r ${groupBy}
        ),
        per_asset as (${sql.raw(assetSets)}),
        mtbf as (
          select k, overall, count(*) as assets, sum(intervals) as intervals,
            sum(round(up_sum::numeric / intervals) * intervals) filter (where intervals > 0) as weighted
          from per_asset group by k, overall
        )
        select json_build_object(
          'workOrders', (select coalesce(json_agg(agg), '[]') from agg),
          'mtbf', (select coalesce(json_agg(mtbf), '[]') from mtbf),
          'assets', ${q.mtbfByAsset ? sql`(select coalesce(json_agg(per_asset), '[]') from per_asset)` : sql`'[]'::json`}
        )::text as result`,
    );
    return JSON.parse(result?.result ?? '{"workOrders":[],"mtbf":[],"assets":[]}') as {
      workOrders: WorkOrderAggregate[];
      mtbf: MtbfAggregate[];
      assets: AssetMtbfRow[];
    };
  }

  /** The group key of a work order, a survey (its work order's, or its own month) and a complaint. */
  private keys(q: KpiAggregateQuery): Keys {
    switch (q.groupBy) {
      case null:
        return { workOrder: sql`null::text`, survey: sql`null::text`, complaint: sql`null::text` };
      case 'technician':
        return {
          workOrder: sql`w.technician_id::text`,
          survey: sql`w.technician_id::text`,
          complaint: sql`w.technician_id::text`,
        };
      case 'region':
        return { workOrder: sql`w.region`, survey: sql`w.region`, complaint: sql`w.region` };
      case 'customer':
        return {
          workOrder: sql`w.customer_id::text`,
          survey: sql`w.customer_id::text`,
          complaint: sql`c.customer_id::text`,
        };
      case 'month': {
        // Months cut in the service time zone by the domain's own calendar code, not a time-zone database in SQL.
        const { labels, starts } = monthBuckets(q.from, q.to, q.timeZone);
        const thresholds = sql`array[${sql.join(
          starts.map((s) => sql`${toDate(s)}::timestamptz`),
          sql`, `,
        )}]`;
        const names = sql`array[${sql.join(
          labels.map((l) => sql`${l}`),
          sql`, `,
        )}]::text[]`;
        // width_bucket answers 1 for the first month; the labels array maps it back to YYYY-MM.
        const labelled = (column: SQL): SQL => sql`(${names})[width_bucket(${column}, ${thresholds})]`;
        return {
          workOrder: labelled(sql`w.created_at`),
          survey: labelled(sql`s.submitted_at`),
          complaint: labelled(sql`c.opened_at`),
        };
      }
    }
  }
}

/** The work-order part of a KPI set from its aggregate row. */
function workOrderKpis(r: WorkOrderAggregate): Partial<KpiSetView> {
  const sla = (p: Priority): Ratio =>
    ratio(num(r[`sla_${p.toLowerCase()}_met`] as Num), num(r[`sla_${p.toLowerCase()}_known`] as Num));
  const perPriority = PRIORITIES.map((p) => [p, sla(p)] as const);
  return {
    workOrders: num(r.n),
    cancelled: num(r.cancelled),
    falseAlarms: num(r.false_alarms),
    firstResponse: { count: num(r.fr_count), meanMs: roundedMean(r.fr_sum, r.fr_count), p90Ms: rounded(r.fr_p90) },
    onSiteWithinTarget: ratio(num(r.os_met), num(r.os_known)),
    firstTimeFix: ratio(num(r.ftf_fixed), num(r.ftf_judged)),
    slaCompliance: {
      ...(Object.fromEntries(perPriority) as Record<Priority, Ratio>),
      all: ratio(
        perPriority.reduce((n, [, x]) => n + x.numerator, 0),
        perPriority.reduce((n, [, x]) => n + x.denominator, 0),
      ),
    },
    timeToResolve: { count: num(r.ttr_count), meanMs: roundedMean(r.ttr_sum, r.ttr_count) },
    proactive: ratio(num(r.proactive), num(r.faults)),
    detectionLeadTime: {
      count: num(r.lead_count),
      meanMs: roundedMean(r.lead_sum, r.lead_count),
      medianMs: rounded(r.lead_median),
    },
  };
}

type AssetMtbfView = NonNullable<KpiSetView['mtbf']['byAsset']>[number];

/** MTBF per asset, overall and per group, sorted as the domain sorts them (by id, code-unit order). */
function assetLists(rows: readonly AssetMtbfRow[]): {
  overall: AssetMtbfView[];
  groups: Map<string | null, AssetMtbfView[]>;
} {
  const overall: AssetMtbfView[] = [];
  const groups = new Map<string | null, AssetMtbfView[]>();
  const sorted = [...rows].sort((a, b) => (a.asset_id < b.asset_id ? -1 : a.asset_id > b.asset_id ? 1 : 0));
  for (const r of sorted) {
    const view = {
      assetId: r.asset_id,
      failures: num(r.failures),
      intervals: num(r.intervals),
      meanMs: roundedMean(r.up_sum, r.intervals),
    };
    if (Number(r.overall) === 1) {
      overall.push(view);
    } else {
      const list = groups.get(r.k) ?? [];
      list.push(view);
      groups.set(r.k, list);
    }
  }
  return { overall, groups };
}

function emptySet(): KpiSetView {
  const none = ratio(0, 0);
  return {
    workOrders: 0,
    cancelled: 0,
    falseAlarms: 0,
    firstResponse: { count: 0, meanMs: null, p90Ms: null },
    onSiteWithinTarget: none,
    firstTimeFix: none,
    slaCompliance: { P1: none, P2: none, P3: none, P4: none, all: none },
    timeToResolve: { count: 0, meanMs: null },
    mtbf: { assets: 0, intervals: 0, meanMs: null },
    satisfaction: { responses: 0, meanScore: null, wouldRecommend: none },
    complaintsWithin24h: none,
    proactive: none,
    detectionLeadTime: { count: 0, meanMs: null, medianMs: null },
  };
}
