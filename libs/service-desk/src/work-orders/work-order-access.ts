import { Injectable } from '@nestjs/common';
import type { Principal } from '#contracts';
import type { DbExecutor } from '#database';
import type { WorkOrder } from '../domain/index.js';
import type { WorkOrderRef } from '../shared/id-params.js';
import { forbidden, notFound } from '../shared/http-errors.js';
import type { StoredWorkOrder } from './work-order.mapper.js';
import { WorkOrderRepository } from './work-order.repository.js';

const refText = (ref: WorkOrderRef): string => (ref.kind === 'id' ? ref.id : ref.number);

/**
 * Who sees which work order. Staff (admin, planner, technician) read every work order (a technician needs the
 * asset's history); a customer only its own, and another customer's answers 404 like an unknown one. Acting is
 * the domain's business (a technician moves only its own work orders: 403).
 */
export function visibleTo(principal: Principal, wo: WorkOrder): boolean {
  return principal.role !== 'customer' || principal.customerId === wo.customerId;
}

/** Work on a work order's records (parts, labour, warranty): staff, or the technician assigned to it. */
export function assertMayWorkOn(principal: Principal, wo: WorkOrder): void {
  if (principal.role === 'technician' && wo.technicianId !== principal.technicianId) {
    throw forbidden(`work order ${wo.number} is not assigned to this technician`);
  }
  if (principal.role === 'customer') throw forbidden('a customer may not record work on a work order');
}

@Injectable()
export class WorkOrderAccess {
  constructor(private readonly workOrders: WorkOrderRepository) {}

  /** The work order if the caller may see it; 404 otherwise. `lock` holds the row until the transaction ends. */
  async load(db: DbExecutor, principal: Principal, ref: WorkOrderRef, lock = false): Promise<StoredWorkOrder> {
    const stored = await this.workOrders.find(db, ref, lock);
    if (stored === undefined || !visibleTo(principal, stored.workOrder)) throw notFound('work order', refText(ref));
    return stored;
  }
}
