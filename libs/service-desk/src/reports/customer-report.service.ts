import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '#contracts';
import { Clock } from '#platform';
import {
  actorFromPrincipal,
  findOpenWorkOrderForReport,
  linkCustomerReport,
  OpenWorkOrderInputSchema,
} from '../domain/index.js';
import { FleetLookupRepository } from '../fleet-lookup/fleet-lookup.repository.js';
import { orThrow, unknownReference } from '../shared/http-errors.js';
import { ServiceDeskEvents } from '../shared/service-desk-events.js';
import { iso } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import { logRecordOf } from '../work-orders/work-order-log.js';
import { WorkOrderRecorder } from '../work-orders/work-order-recorder.js';
import { WorkOrderRepository } from '../work-orders/work-order.repository.js';
import { toWorkOrderView } from '../work-orders/work-order.view.js';
import type {
  CustomerReportCreate,
  CustomerReportListQuery,
  CustomerReportResult,
  CustomerReportView,
} from './customer-report.api.js';
import { CustomerReportRepository } from './customer-report.repository.js';

/**
 * Customer self-service: a fault report on one of the customer's assets lands on the work order already open for
 * that asset and fault if there is one (and records that the platform was first when the detector had opened
 * it), or opens a customer_report work order. Decided under a per-asset lock, so a report racing an alert never
 * ends up as two work orders.
 */
@Injectable()
export class CustomerReportService {
  constructor(
    private readonly tx: Transactions,
    private readonly workOrders: WorkOrderRepository,
    private readonly reports: CustomerReportRepository,
    private readonly recorder: WorkOrderRecorder,
    private readonly fleet: FleetLookupRepository,
    private readonly events: ServiceDeskEvents,
    private readonly clock: Clock,
  ) {}

  async report(principal: Principal, dto: CustomerReportCreate): Promise<CustomerReportResult> {
    const now = this.clock.now();
    const actor = actorFromPrincipal(principal);
    return this.tx.run(async (tx) => {
      const asset = await this.fleet.asset(tx, dto.assetId);
      // Another customer's asset is as unknown as a missing one.
      if (asset === undefined || (principal.role === 'customer' && asset.customerId !== principal.customerId)) {
        throw unknownReference('assetId', 'asset', dto.assetId);
      }
      await this.workOrders.lockAsset(tx, asset.id);
      const faultCategory = dto.faultCategory ?? null;
      const open = await this.workOrders.openOnAsset(tx, asset.id, true);
      const match = findOpenWorkOrderForReport(
        open.map((s) => s.workOrder),
        { assetId: asset.id, faultCategory },
      );
      const reportId = randomUUID();
      const base = {
        id: reportId,
        customerId: asset.customerId,
        assetId: asset.id,
        title: dto.title,
        description: dto.description,
        faultCategory,
        reportedAt: now,
        reportedBy: actor,
      };
      if (match !== null) {
        let stored = open.find((s) => s.workOrder.id === match.id)!;
        const linked = orThrow(linkCustomerReport(stored.workOrder, actor, now));
        if (linked.entry !== null) {
          stored = await this.recorder.save(tx, stored, linked.workOrder, [logRecordOf(linked.entry)], now);
          await this.events.workOrder(tx, 'work_order.customer_report_linked', stored.workOrder, now, {
            reportId,
            detectionWasFirst: linked.detectionWasFirst,
            customerReportedAt: iso(now),
          });
        }
        await this.reports.insert(tx, {
          ...base,
          workOrderId: stored.workOrder.id,
          outcome: 'linked',
          platformWasFirst: linked.detectionWasFirst,
        });
        return {
          reportId,
          outcome: 'linked',
          platformWasFirst: linked.detectionWasFirst,
          workOrder: toWorkOrderView(stored, now),
        };
      }
      const input = OpenWorkOrderInputSchema.parse({
        source: 'customer_report',
        assetId: asset.id,
        customerId: asset.customerId,
        region: asset.region,
        title: dto.title,
        description: dto.description,
        faultCategory,
        priority: dto.priority,
        customerReportedAt: now,
      });
      const stored = await this.recorder.open(tx, input, actor, now);
      await this.reports.insert(tx, {
        ...base,
        workOrderId: stored.workOrder.id,
        outcome: 'opened',
        platformWasFirst: false,
      });
      return { reportId, outcome: 'opened', platformWasFirst: false, workOrder: toWorkOrderView(stored, now) };
    });
  }

  async list(principal: Principal, q: CustomerReportListQuery): Promise<CustomerReportView[]> {
    if (principal.role === 'customer' && q.customerId !== undefined && q.customerId !== principal.customerId) return [];
    const rows = await this.reports.list(this.tx.db, {
      customerId: principal.role === 'customer' ? principal.customerId : q.customerId,
      limit: q.limit,
      offset: q.offset,
    });
    return rows.map(({ reportedBy: _by, ...r }) => ({ ...r, reportedAt: iso(r.reportedAt) }));
  }
}
