import { Injectable } from '@nestjs/common';
import { sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import type {
  CancelReason,
  KpiComplaintRecord,
  KpiHistory,
  KpiSurveyRecord,
  KpiWorkOrderRecord,
  Priority,
  WorkOrderSource,
  WorkOrderStatus,
} from '../domain/index.js';
import { toDate } from '../shared/time.js';

/** A timestamptz column as epoch milliseconds, computed by PostgreSQL (no Date objects built per row). */
const ms = (column: string): SQL => sql.raw(`(extract(epoch from ${column}) * 1000)::float8`);

interface WorkOrderKpiRow extends Record<string, unknown> {
  id: string;
  source: WorkOrderSource;
  status: WorkOrderStatus;
  sla_priority: Priority;
  technician_id: string | null;
  region: string | null;
  customer_id: string;
  asset_id: string;
  created_at: number;
  detected_at: number | null;
  customer_reported_at: number | null;
  first_response_at: number | null;
  on_site_at: number | null;
  resolved_at: number | null;
  accepted_at: number | null;
  cancel_reason: CancelReason | null;
  remote_resolution: boolean;
  rejection_count: number;
  on_site_arrivals: number;
  due_first_response: number | null;
  due_on_site: number | null;
  due_resolution: number | null;
  clock_stopped_at: number | null;
}

async function rows<T extends Record<string, unknown>>(db: DbExecutor, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

/**
 * The KPI history of a period in three flat queries: work orders created, surveys submitted and complaints
 * opened in [from, to). Only the columns the KPIs read, times converted to epoch ms in SQL: over 100 000 work
 * orders, building rows is what costs, not the scan. Columns hold only validated values, so no re-validation.
 */
@Injectable()
export class KpiRepository {
  async history(db: DbExecutor, from: number, to: number): Promise<KpiHistory> {
    const range = (column: string): SQL =>
      sql`${sql.raw(column)} >= ${toDate(from)}::timestamptz and ${sql.raw(column)} < ${toDate(to)}::timestamptz`;
    const [workOrders, surveys, complaints] = await Promise.all([
      rows<WorkOrderKpiRow>(
        db,
        sql`select id, source, status, sla_priority, technician_id, region, customer_id, asset_id,
          ${ms('created_at')} as created_at, ${ms('detected_at')} as detected_at,
          ${ms('customer_reported_at')} as customer_reported_at, ${ms('first_response_at')} as first_response_at,
          ${ms('on_site_at')} as on_site_at, ${ms('resolved_at')} as resolved_at, ${ms('accepted_at')} as accepted_at,
          cancel_reason, remote_resolution, rejection_count, on_site_arrivals,
          ${ms('due_first_response')} as due_first_response, ${ms('due_on_site')} as due_on_site,
          ${ms('due_resolution')} as due_resolution, ${ms('clock_stopped_at')} as clock_stopped_at
        from work_orders where ${range('created_at')}`,
      ),
      rows<{ work_order_id: string; score: number; would_recommend: boolean; submitted_at: number }>(
        db,
        sql`select work_order_id, score, would_recommend, ${ms('submitted_at')} as submitted_at
        from work_order_surveys where ${range('submitted_at')}`,
      ),
      rows<{
        id: string;
        customer_id: string;
        work_order_id: string | null;
        opened_at: number;
        investigated_at: number | null;
      }>(
        db,
        sql`select id, customer_id, work_order_id, ${ms('opened_at')} as opened_at, ${ms('investigated_at')} as investigated_at
        from complaints where ${range('opened_at')}`,
      ),
    ]);
    return {
      workOrders: workOrders.map((r): KpiWorkOrderRecord => ({
        id: r.id,
        source: r.source,
        status: r.status,
        slaPriority: r.sla_priority,
        technicianId: r.technician_id,
        region: r.region,
        customerId: r.customer_id,
        assetId: r.asset_id,
        createdAt: r.created_at,
        detectedAt: r.detected_at,
        customerReportedAt: r.customer_reported_at,
        firstResponseAt: r.first_response_at,
        onSiteAt: r.on_site_at,
        resolvedAt: r.resolved_at,
        acceptedAt: r.accepted_at,
        cancelReason: r.cancel_reason,
        remoteResolution: r.remote_resolution,
        rejectionCount: r.rejection_count,
        onSiteArrivals: r.on_site_arrivals,
        due: { firstResponse: r.due_first_response, onSite: r.due_on_site, resolution: r.due_resolution },
        clockStoppedAt: r.clock_stopped_at,
      })),
      surveys: surveys.map((r): KpiSurveyRecord => ({
        workOrderId: r.work_order_id,
        score: r.score,
        wouldRecommend: r.would_recommend,
        submittedAt: r.submitted_at,
      })),
      complaints: complaints.map((r): KpiComplaintRecord => ({
        id: r.id,
        customerId: r.customer_id,
        workOrderId: r.work_order_id,
        openedAt: r.opened_at,
        investigatedAt: r.investigated_at,
      })),
    };
  }
}
