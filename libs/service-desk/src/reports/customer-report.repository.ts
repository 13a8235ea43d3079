import { Injectable } from '@nestjs/common';
import { asc, desc, eq } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import type { Actor } from '../domain/index.js';
import { storedEnum } from '../shared/stored-enum.js';
import { toDate, toMs } from '../shared/time.js';
import { customerReports } from './customer-report.tables.js';

export interface CustomerReportRecord {
  readonly id: string;
  readonly customerId: string;
  readonly assetId: string;
  readonly workOrderId: string;
  readonly title: string;
  readonly description: string;
  readonly faultCategory: string | null;
  readonly reportedAt: number;
  /** linked: the fault already had an open work order; opened: a new customer_report work order. */
  readonly outcome: 'linked' | 'opened';
  /** The detector had opened the work order before this customer's report. */
  readonly platformWasFirst: boolean;
  readonly reportedBy: Actor;
}

/** The `customer_reports` table. */
@Injectable()
export class CustomerReportRepository {
  async insert(db: DbExecutor, report: CustomerReportRecord): Promise<void> {
    await db.insert(customerReports).values({ ...report, reportedAt: toDate(report.reportedAt) });
  }

  async list(
    db: DbExecutor,
    filter: { customerId?: string | undefined; limit: number; offset: number },
  ): Promise<CustomerReportRecord[]> {
    const base = db.select().from(customerReports);
    const rows = await (
      filter.customerId === undefined ? base : base.where(eq(customerReports.customerId, filter.customerId))
    )
      .orderBy(desc(customerReports.reportedAt), asc(customerReports.id))
      .limit(filter.limit)
      .offset(filter.offset);
    return rows.map((r) => ({
      ...r,
      reportedAt: toMs(r.reportedAt),
      outcome: storedEnum(['linked', 'opened'] as const, r.outcome, 'customer_reports.outcome'),
    }));
  }
}
