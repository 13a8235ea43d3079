import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import { checkPromises, computeKpis, MS_PER_DAY, type KpiHistory, type KpiSet } from '../domain/index.js';
import { SERVICE_DESK_CONFIG, type ServiceDeskConfig } from '../config/service-desk-options.js';
import { iso } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import type { KpiQuery, KpiReportView, KpiSetView } from './kpi.api.js';
import { KpiAggregatesRepository } from './kpi-aggregates.repository.js';
import { KpiRepository } from './kpi.repository.js';

const DEFAULT_PERIOD_MS = 90 * MS_PER_DAY;

/** The API view of a domain KPI set: MTBF summarised (mean over every interval), per asset on request. */
export function kpiSetView(k: KpiSet, byAsset: boolean): KpiSetView {
  let intervals = 0;
  let uptime = 0;
  for (const a of k.mtbf) {
    if (a.meanMs === null) continue;
    intervals += a.intervals;
    uptime += a.meanMs * a.intervals;
  }
  return {
    ...k,
    slaCompliance: { ...k.slaCompliance },
    mtbf: {
      assets: k.mtbf.length,
      intervals,
      meanMs: intervals === 0 ? null : Math.round(uptime / intervals),
      ...(byAsset ? { byAsset: k.mtbf.map((a) => ({ ...a })) } : {}),
    },
  };
}

interface Period {
  readonly from: number;
  readonly to: number;
  readonly asOf: number;
}

/**
 * KPIs of a period: the work orders created, the surveys submitted and the complaints opened in [from, to),
 * judged now (pending deadlines against the clock), months cut in the service calendar's time zone.
 *
 * `report` aggregates in SQL (KpiAggregatesRepository): fast on a large history. `reportFromRecords` loads the
 * records and runs the domain's computeKpis: the reference definition, which the SQL path is tested against.
 */
@Injectable()
export class KpiService {
  constructor(
    private readonly tx: Transactions,
    private readonly records: KpiRepository,
    private readonly aggregates: KpiAggregatesRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_DESK_CONFIG) private readonly config: ServiceDeskConfig,
  ) {}

  async report(q: KpiQuery): Promise<KpiReportView> {
    const period = this.period(q);
    const { overall, groups } = await this.aggregates.aggregate(this.tx.db, {
      ...period,
      groupBy: q.groupBy ?? null,
      timeZone: this.config.calendar.timeZone,
      mtbfByAsset: q.mtbfByAsset ?? false,
    });
    return this.view(period, q, overall, groups);
  }

  async reportFromRecords(q: KpiQuery): Promise<KpiReportView> {
    const period = this.period(q);
    const history = await this.history(period.from, period.to);
    const report = computeKpis(history, {
      asOf: period.asOf,
      groupBy: q.groupBy ?? null,
      timeZone: this.config.calendar.timeZone,
    });
    const byAsset = q.mtbfByAsset ?? false;
    return this.view(
      period,
      q,
      kpiSetView(report.overall, byAsset),
      report.groups.map((g) => ({ key: g.key, kpis: kpiSetView(g.kpis, byAsset) })),
    );
  }

  /** The records of a period: work orders created, surveys submitted and complaints opened in [from, to). */
  history(from: number, to: number): Promise<KpiHistory> {
    return this.records.history(this.tx.db, from, to);
  }

  private period(q: KpiQuery): Period {
    const asOf = this.clock.now();
    const to = q.to ?? asOf;
    return { from: q.from ?? to - DEFAULT_PERIOD_MS, to, asOf };
  }

  private view(
    period: Period,
    q: KpiQuery,
    overall: KpiSetView,
    groups: ReadonlyArray<{ readonly key: string | null; readonly kpis: KpiSetView }>,
  ): KpiReportView {
    return {
      from: iso(period.from),
      to: iso(period.to),
      asOf: iso(period.asOf),
      groupBy: q.groupBy ?? null,
      timeZone: this.config.calendar.timeZone,
      overall,
      groups: [...groups],
      // The promises read aggregates only; MTBF per asset is not one of them.
      promises: checkPromises({ ...overall, mtbf: [] }),
    };
  }
}
