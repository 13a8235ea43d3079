import { Injectable } from '@nestjs/common';
import type { Principal } from '#contracts';
import { Clock } from '#platform';
import { actorFromPrincipal, OpenWorkOrderInputSchema, type TransitionRequest } from '../domain/index.js';
import { FleetLookupRepository } from '../fleet-lookup/fleet-lookup.repository.js';
import type { WorkOrderRef } from '../shared/id-params.js';
import { invalidField, unknownReference } from '../shared/http-errors.js';
import { Transactions } from '../shared/transactions.js';
import { logVisibleToCustomer } from './work-order-log.js';
import type {
  AcceptanceRequest,
  WorkOrderCreate,
  WorkOrderDetail,
  WorkOrderListQuery,
  WorkOrderView,
} from './work-order.api.js';
import { WorkOrderAccess } from './work-order-access.js';
import { WorkOrderRecorder } from './work-order-recorder.js';
import { WorkOrderRepository } from './work-order.repository.js';
import { toLogEntryView, toWorkOrderView } from './work-order.view.js';

/** Work orders over the API: open, list, read with the log, move through the lifecycle. */
@Injectable()
export class WorkOrderService {
  constructor(
    private readonly tx: Transactions,
    private readonly workOrders: WorkOrderRepository,
    private readonly access: WorkOrderAccess,
    private readonly recorder: WorkOrderRecorder,
    private readonly fleet: FleetLookupRepository,
    private readonly clock: Clock,
  ) {}

  /** A planner opens a work order on an asset; customer and region come from the asset, deadlines from the policy. */
  async create(principal: Principal, dto: WorkOrderCreate): Promise<WorkOrderView> {
    const now = this.clock.now();
    const stored = await this.tx.run(async (tx) => {
      const asset = await this.fleet.asset(tx, dto.assetId);
      if (asset === undefined) throw unknownReference('assetId', 'asset', dto.assetId);
      if (dto.deviceId !== undefined && (await this.fleet.deviceAsset(tx, dto.deviceId)) !== asset.id) {
        throw invalidField('deviceId', `device ${dto.deviceId} is not attached to asset ${asset.id}`);
      }
      const reportedAt = dto.customerReportedAt === undefined ? null : Date.parse(dto.customerReportedAt);
      if (reportedAt !== null && dto.source !== 'customer_report') {
        throw invalidField('customerReportedAt', 'only a customer_report has a report time');
      }
      const input = OpenWorkOrderInputSchema.parse({
        source: dto.source,
        assetId: asset.id,
        deviceId: dto.deviceId ?? null,
        customerId: asset.customerId,
        region: asset.region,
        title: dto.title,
        description: dto.description,
        faultCategory: dto.faultCategory ?? null,
        priority: dto.priority,
        customerReportedAt: reportedAt,
      });
      return this.recorder.open(tx, input, actorFromPrincipal(principal), now);
    });
    return toWorkOrderView(stored, now);
  }

  async list(principal: Principal, q: WorkOrderListQuery): Promise<WorkOrderView[]> {
    const now = this.clock.now();
    if (principal.role === 'customer' && q.customerId !== undefined && q.customerId !== principal.customerId) return [];
    const rows = await this.workOrders.list(this.tx.db, {
      status: q.status,
      priority: q.priority,
      assetId: q.assetId,
      customerId: principal.role === 'customer' ? principal.customerId : q.customerId,
      technicianId: q.technicianId,
      source: q.source,
      breached: q.breached === undefined ? undefined : { now, negate: !q.breached },
      createdFrom: q.from,
      createdTo: q.to,
      limit: q.limit,
      offset: q.offset,
    });
    return rows.map((r) => toWorkOrderView(r, now));
  }

  async get(principal: Principal, ref: WorkOrderRef): Promise<WorkOrderDetail> {
    const now = this.clock.now();
    const stored = await this.access.load(this.tx.db, principal, ref);
    const log = await this.workOrders.logOf(this.tx.db, stored.workOrder.id);
    const visible = principal.role === 'customer' ? log.filter(logVisibleToCustomer) : log;
    return { ...toWorkOrderView(stored, now), log: visible.map(toLogEntryView) };
  }

  async transition(principal: Principal, ref: WorkOrderRef, request: TransitionRequest): Promise<WorkOrderView> {
    const now = this.clock.now();
    const stored = await this.tx.run(async (tx) => {
      const current = await this.access.load(tx, principal, ref);
      return this.recorder.transition(tx, current, request, actorFromPrincipal(principal), now);
    });
    return toWorkOrderView(stored, now);
  }

  /** The customer's verdict: sign-off, or rejection (rework, counted against first-time fix). */
  async acceptance(principal: Principal, ref: WorkOrderRef, body: AcceptanceRequest): Promise<WorkOrderView> {
    const request: TransitionRequest =
      body.verdict === 'accepted'
        ? {
            to: 'accepted',
            version: body.version,
            acceptance: { signedBy: body.signedBy, signatureRef: body.signatureRef },
            ...(body.note === undefined ? {} : { note: body.note }),
          }
        : {
            to: 'rejected',
            version: body.version,
            reason: body.reason,
            ...(body.note === undefined ? {} : { note: body.note }),
          };
    return this.transition(principal, ref, request);
  }
}
