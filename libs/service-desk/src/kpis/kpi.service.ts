import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import { checkPromises, computeKpis, MS_PER_DAY, type KpiSet } from '../domain/index.js';
import { SERVICE_DESK_CONFIG, type ServiceDeskConfig } from '../config/service-desk-options.js';
import { iso } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import type { KpiQuery, KpiReportView, KpiSetView } from './kpi.api.js';
import { KpiRepository } from './kpi.repository.js';

const DEFAULT_PERIOD_MS = 90 * MS_PER_DAY;

function kpiSetView(k: KpiSet, byAsset: boolean): KpiSetView {
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

/**
 * KPIs of a period: the domain's computeKpis over the work orders created, the surveys submitted and the
 * complaints opened in [from, to), judged now (pending deadlines against the clock), months cut in the service
 * calendar's time zone.
 */
@Injectable()
export class KpiService {
  constructor(
    private readonly tx: Transactions,
    private readonly kpis: KpiRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_DESK_CONFIG) private readonly config: ServiceDeskConfig,
  ) {}

  async report(q: KpiQuery): Promise<KpiReportView> {
    const now = this.clock.now();
    const to = q.to ?? now;
    const from = q.from ?? to - DEFAULT_PERIOD_MS;
    const history = await this.kpis.history(this.tx.db, from, to);
    const report = computeKpis(history, {
      asOf: now,
      groupBy: q.groupBy ?? null,
      timeZone: this.config.calendar.timeZone,
    });
    const byAsset = q.mtbfByAsset ?? false;
    return {
      from: iso(from),
      to: iso(to),
      asOf: iso(report.asOf),
      groupBy: report.groupBy,
      timeZone: report.timeZone,
      overall: kpiSetView(report.overall, byAsset),
      groups: report.groups.map((g) => ({ key: g.key, kpis: kpiSetView(g.kpis, byAsset) })),
      promises: checkPromises(report.overall),
    };
  }
}
