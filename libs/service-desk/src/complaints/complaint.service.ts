import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '#contracts';
import type { DbExecutor } from '#database';
import { Clock } from '#platform';
import {
  actorFromPrincipal,
  closeComplaint,
  complaintInvestigationDueAt,
  investigateComplaint,
  isComplaintOverdue,
  openComplaint,
  rateComplaintHandling,
  type Complaint,
  type ComplaintInvestigation,
  type ComplaintResult,
} from '../domain/index.js';
import { FleetLookupRepository } from '../fleet-lookup/fleet-lookup.repository.js';
import { conflict, forbidden, invalidField, notFound, orThrow, unknownReference } from '../shared/http-errors.js';
import { ServiceDeskEvents, type ServiceDeskEventType } from '../shared/service-desk-events.js';
import { iso, isoOrNull } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import { WorkOrderRecorder } from '../work-orders/work-order-recorder.js';
import { WorkOrderRepository } from '../work-orders/work-order.repository.js';
import type { ComplaintCreate, ComplaintListQuery, ComplaintView } from './complaint.api.js';
import { ComplaintRepository, type StoredComplaint } from './complaint.repository.js';

export function toComplaintView(c: Complaint, now: number): ComplaintView {
  return {
    ...c,
    openedAt: iso(c.openedAt),
    investigationDueAt: iso(complaintInvestigationDueAt(c)),
    overdue: isComplaintOverdue(c, now),
    investigatedAt: isoOrNull(c.investigatedAt),
    closedAt: isoOrNull(c.closedAt),
  };
}

/** Complaints: filed by a customer (or for it), investigated within 24 h, closed with an outcome, rated. */
@Injectable()
export class ComplaintService {
  constructor(
    private readonly tx: Transactions,
    private readonly complaints: ComplaintRepository,
    private readonly workOrders: WorkOrderRepository,
    private readonly recorder: WorkOrderRecorder,
    private readonly events: ServiceDeskEvents,
    private readonly fleet: FleetLookupRepository,
    private readonly clock: Clock,
  ) {}

  async file(principal: Principal, dto: ComplaintCreate): Promise<ComplaintView> {
    const now = this.clock.now();
    const customerId = this.customerOf(principal, dto.customerId);
    return this.tx.run(async (tx) => {
      if (!(await this.fleet.customerExists(tx, customerId)))
        throw unknownReference('customerId', 'customer', customerId);
      const complaint = openComplaint(randomUUID(), customerId, dto, now);
      if (dto.workOrderId !== null) {
        const wo = await this.workOrders.find(tx, { kind: 'id', id: dto.workOrderId }, true);
        // Another customer's work order is as unknown as a missing one.
        if (wo === undefined || wo.workOrder.customerId !== customerId) {
          throw unknownReference('workOrderId', 'work order', dto.workOrderId);
        }
        await this.complaints.insert(tx, complaint);
        await this.recorder.recordChange(tx, wo, actorFromPrincipal(principal), now, {
          kind: 'complaint_filed',
          data: { complaintId: complaint.id, subject: complaint.subject },
          event: 'work_order.complaint_filed',
        });
      } else {
        await this.complaints.insert(tx, complaint);
      }
      await this.publish(tx, 'complaint.filed', complaint, now);
      return toComplaintView(complaint, now);
    });
  }

  async list(principal: Principal, q: ComplaintListQuery): Promise<ComplaintView[]> {
    const now = this.clock.now();
    if (principal.role === 'customer' && q.customerId !== undefined && q.customerId !== principal.customerId) return [];
    const rows = await this.complaints.list(this.tx.db, {
      customerId: principal.role === 'customer' ? principal.customerId : q.customerId,
      workOrderId: q.workOrderId,
      open: q.open,
      limit: q.limit,
      offset: q.offset,
    });
    return rows.map((r) => toComplaintView(r.complaint, now));
  }

  async get(principal: Principal, id: string): Promise<ComplaintView> {
    return toComplaintView((await this.load(this.tx.db, principal, id)).complaint, this.clock.now());
  }

  async investigate(principal: Principal, id: string, body: ComplaintInvestigation): Promise<ComplaintView> {
    return this.change(principal, id, 'complaint.investigated', (c, now) => investigateComplaint(c, body, now));
  }

  async close(principal: Principal, id: string): Promise<ComplaintView> {
    return this.change(principal, id, 'complaint.closed', (c, now) => closeComplaint(c, now));
  }

  async rate(principal: Principal, id: string, handlingScore: number): Promise<ComplaintView> {
    return this.change(principal, id, 'complaint.rated', (c) => rateComplaintHandling(c, handlingScore));
  }

  private async change(
    principal: Principal,
    id: string,
    event: ServiceDeskEventType,
    step: (c: Complaint, now: number) => ComplaintResult,
  ): Promise<ComplaintView> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.load(tx, principal, id, true);
      const { complaint } = orThrow(step(stored.complaint, now));
      const saved = await this.complaints.update(tx, complaint, stored.version);
      if (saved === undefined) throw conflict(`complaint ${id} changed meanwhile: reload and retry`);
      await this.publish(tx, event, complaint, now);
      return toComplaintView(complaint, now);
    });
  }

  private async load(db: DbExecutor, principal: Principal, id: string, lock = false): Promise<StoredComplaint> {
    const stored = await this.complaints.find(db, id, lock);
    if (
      stored === undefined ||
      (principal.role === 'customer' && principal.customerId !== stored.complaint.customerId)
    ) {
      throw notFound('complaint', id);
    }
    return stored;
  }

  private customerOf(principal: Principal, requested: string | undefined): string {
    if (principal.role === 'customer') {
      if (requested !== undefined && requested !== principal.customerId) {
        throw forbidden('a customer files complaints only for itself');
      }
      return principal.customerId;
    }
    if (requested === undefined) throw invalidField('customerId', 'name the customer the complaint is from');
    return requested;
  }

  private async publish(tx: DbExecutor, type: ServiceDeskEventType, c: Complaint, now: number): Promise<void> {
    await this.events.other(tx, type, { kind: 'complaint', id: c.id }, c.customerId, now, {
      subject: c.subject,
      workOrderId: c.workOrderId,
      outcome: c.outcome,
      handlingScore: c.handlingScore,
      investigationDueAt: iso(complaintInvestigationDueAt(c)),
    });
  }
}
