import { Inject, Injectable } from '@nestjs/common';
import { PUBLIC_EVENT_PUBLISHER, type PublicEventPublisher } from '#contracts';
import type { DbExecutor } from '#database';
import type { WorkOrder } from '../domain/index.js';
import { iso } from './time.js';

/** Public event types of the service desk (`/api/events`, webhooks). */
export type ServiceDeskEventType =
  | 'work_order.opened'
  | 'work_order.transitioned'
  | 'work_order.escalated'
  | 'work_order.false_alarm'
  | 'work_order.customer_report_linked'
  | 'work_order.alert_linked'
  | 'work_order.alert_attributed'
  | 'work_order.visit_planned'
  | 'work_order.part_added'
  | 'work_order.labour_added'
  | 'work_order.fee_added'
  | 'work_order.warranty_decided'
  | 'work_order.comment_added'
  | 'work_order.survey_recorded'
  | 'work_order.follow_up_scheduled'
  | 'work_order.follow_up_done'
  | 'work_order.complaint_filed'
  | 'complaint.filed'
  | 'complaint.investigated'
  | 'complaint.closed'
  | 'complaint.rated'
  | 'complaint.overdue'
  | 'preventive_plan.created'
  | 'preventive_plan.updated'
  | 'preventive_plan.deleted';

/**
 * Publishes the service desk's public events through the PUBLIC_EVENT_PUBLISHER port, always inside the
 * transaction of the change (the outbox row commits with it: nothing is sent for a change that rolled back).
 */
@Injectable()
export class ServiceDeskEvents {
  constructor(@Inject(PUBLIC_EVENT_PUBLISHER) private readonly publisher: PublicEventPublisher) {}

  /**
   * An event about a work order, visible to its customer and its technician. `internal` hides it from the
   * customer (an internal note): the event then names no customer.
   */
  async workOrder(
    tx: DbExecutor,
    type: ServiceDeskEventType,
    wo: WorkOrder,
    now: number,
    data: Record<string, unknown> = {},
    options: { readonly internal?: boolean } = {},
  ): Promise<void> {
    await this.publisher.publish(
      {
        type,
        at: iso(now),
        subject: { kind: 'work_order', id: wo.id },
        customerId: options.internal === true ? null : wo.customerId,
        technicianId: wo.technicianId,
        data: {
          number: wo.number,
          version: wo.version,
          status: wo.status,
          priority: wo.priority,
          assetId: wo.assetId,
          ...data,
        },
      },
      tx,
    );
  }

  async other(
    tx: DbExecutor,
    type: ServiceDeskEventType,
    subject: { readonly kind: string; readonly id: string },
    customerId: string | null,
    now: number,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.publisher.publish({ type, at: iso(now), subject, customerId, technicianId: null, data }, tx);
  }
}
