import { Injectable } from '@nestjs/common';
import { Clock } from '#platform';
import type { DbExecutor } from '#database';
import {
  findOpenWorkOrderForReport,
  isOpenStatus,
  OpenWorkOrderInputSchema,
  systemActor,
  type Actor,
} from '../domain/index.js';
import { FleetLookupRepository } from '../fleet-lookup/fleet-lookup.repository.js';
import { invalidField, unknownReference } from '../shared/http-errors.js';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../shared/pg-error.js';
import { iso } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import type { WorkOrderView } from '../work-orders/work-order.api.js';
import type { StoredWorkOrder } from '../work-orders/work-order.mapper.js';
import { WorkOrderRecorder } from '../work-orders/work-order-recorder.js';
import { WorkOrderRepository } from '../work-orders/work-order.repository.js';
import { toWorkOrderView } from '../work-orders/work-order.view.js';
import {
  AlertAttributionSchema,
  AlertWorkOrderRequestSchema,
  PRIORITY_BY_SEVERITY,
  type AlertAttribution,
  type AlertWorkOrderRequest,
} from './alert-work-order.schema.js';

export interface AlertWorkOrderResult {
  /**
   * opened: a new detector work order; linked: the asset already had an open work order for that fault, the
   * alert's evidence was attached to it; already_linked: this alert id was handled before (a re-delivery).
   */
  readonly outcome: 'opened' | 'linked' | 'already_linked';
  readonly workOrder: WorkOrderView;
}

export interface AlertAttributionResult {
  /**
   * recorded: an `alert_attributed` entry on the alert's open work order; already_recorded: it was recorded
   * before (a re-delivery); no_open_work_order: the alert has no work order, or it is closed or cancelled.
   */
  readonly outcome: 'recorded' | 'already_recorded' | 'no_open_work_order';
  readonly workOrderId: string | null;
}

const DEFAULT_ACTOR = systemActor('detection');

/**
 * The application service the detection automation calls (issue 5): one open work order per asset and fault
 * kind, evidence attached, priority from the alert's severity, idempotent on the alert id; a predicted fault
 * (`plannedBy`) gets a `visit_planned` log entry with the date to work before. Cancelling such a
 * work order as a false alarm publishes `work_order.false_alarm` with the alert id (detection subscribes).
 */
@Injectable()
export class AlertWorkOrders {
  constructor(
    private readonly tx: Transactions,
    private readonly workOrders: WorkOrderRepository,
    private readonly recorder: WorkOrderRecorder,
    private readonly fleet: FleetLookupRepository,
    private readonly clock: Clock,
  ) {}

  async openWorkOrderFromAlert(
    request: AlertWorkOrderRequest,
    actor: Actor = DEFAULT_ACTOR,
  ): Promise<AlertWorkOrderResult> {
    const alert = AlertWorkOrderRequestSchema.parse(request);
    try {
      return await this.decide(alert, actor);
    } catch (error) {
      // The same alert sent twice at once: both found it unhandled, the second one's link then hit the alert
      // id's primary key (work_order_alerts) once the first committed, and rolled back. Asked again, it is a
      // re-delivery. (Checking again under the asset lock instead would cost every new alert one more read.)
      if (pgErrorCode(error) !== PG_UNIQUE_VIOLATION) throw error;
      return this.decide(alert, actor);
    }
  }

  /**
   * Records on the alert's open work order that detection attributed the alert to its device's drifting
   * sensor (`alert_attributed` log entry, `work_order.alert_attributed` event). The work order is not moved:
   * other alerts may share it, and cancelling it as a false alarm would lower the device's sensitivity for a
   * fault that was the sensor's; its planner decides. Idempotent on the alert id.
   */
  async recordAlertAttributed(
    attribution: AlertAttribution,
    actor: Actor = DEFAULT_ACTOR,
  ): Promise<AlertAttributionResult> {
    const { alertId, note } = AlertAttributionSchema.parse(attribution);
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const linked = await this.workOrders.workOrderOfAlert(tx, alertId);
      const stored =
        linked === undefined ? undefined : await this.workOrders.find(tx, { kind: 'id', id: linked }, true);
      if (stored === undefined || !isOpenStatus(stored.workOrder.status)) {
        return { outcome: 'no_open_work_order', workOrderId: stored?.workOrder.id ?? null };
      }
      const log = await this.workOrders.logOf(tx, stored.workOrder.id);
      if (log.some((e) => e.kind === 'alert_attributed' && e.data['alertId'] === alertId)) {
        return { outcome: 'already_recorded', workOrderId: stored.workOrder.id };
      }
      await this.recorder.recordChange(tx, stored, actor, now, {
        kind: 'alert_attributed',
        note,
        data: { alertId, reason: 'sensor_drift' },
        event: 'work_order.alert_attributed',
      });
      return { outcome: 'recorded', workOrderId: stored.workOrder.id };
    });
  }

  private decide(alert: AlertWorkOrderRequest, actor: Actor): Promise<AlertWorkOrderResult> {
    const { evidence } = alert;
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const seen = await this.alreadyHandled(tx, evidence.alertId);
      if (seen !== undefined) return { outcome: 'already_linked', workOrder: toWorkOrderView(seen, now) };

      const deviceAsset = await this.fleet.deviceAsset(tx, evidence.deviceId);
      const assetId = alert.assetId ?? deviceAsset;
      if (assetId === undefined) throw unknownReference('evidence.deviceId', 'device', evidence.deviceId);
      if (deviceAsset !== undefined && deviceAsset !== assetId) {
        throw invalidField(
          'assetId',
          `device ${evidence.deviceId} is attached to asset ${deviceAsset}, not ${assetId}`,
        );
      }
      const asset = await this.fleet.asset(tx, assetId);
      if (asset === undefined) throw unknownReference('assetId', 'asset', assetId);

      await this.workOrders.lockAsset(tx, asset.id);

      const open = await this.workOrders.openOnAsset(tx, asset.id, true);
      const match = findOpenWorkOrderForReport(
        open.map((s) => s.workOrder),
        { assetId: asset.id, faultCategory: alert.faultCategory },
      );
      if (match !== null) {
        const existing = open.find((s) => s.workOrder.id === match.id)!;
        await this.workOrders.linkAlert(tx, evidence, match.id, now);
        const after = await this.recorder.recordChange(tx, existing, actor, now, {
          kind: 'alert_linked',
          data: {
            alertId: evidence.alertId,
            deviceId: evidence.deviceId,
            metric: evidence.metric,
            severity: alert.severity,
            finding: evidence.finding,
          },
          event: 'work_order.alert_linked',
        });
        return { outcome: 'linked', workOrder: toWorkOrderView(after, now) };
      }

      const input = OpenWorkOrderInputSchema.parse({
        source: 'detector',
        assetId: asset.id,
        deviceId: evidence.deviceId,
        customerId: asset.customerId,
        region: asset.region,
        title: alert.title,
        description: alert.description,
        faultCategory: alert.faultCategory,
        priority: PRIORITY_BY_SEVERITY[alert.severity],
        evidence,
      });
      let stored = await this.recorder.open(tx, input, actor, now, { alertId: evidence.alertId });
      await this.workOrders.linkAlert(tx, evidence, stored.workOrder.id, now);
      if (alert.plannedBy !== undefined) {
        // A predicted fault: the visit is planned before the predicted date, kept in the log (and its event)
        // rather than in a new work-order field, so the domain and the SLA clock stay as they are.
        stored = await this.recorder.recordChange(tx, stored, actor, now, {
          kind: 'visit_planned',
          data: { plannedBy: iso(alert.plannedBy), alertId: evidence.alertId },
          event: 'work_order.visit_planned',
        });
      }
      return { outcome: 'opened', workOrder: toWorkOrderView(stored, now) };
    });
  }

  private async alreadyHandled(tx: DbExecutor, alertId: string): Promise<StoredWorkOrder | undefined> {
    const workOrderId = await this.workOrders.workOrderOfAlert(tx, alertId);
    return workOrderId === undefined ? undefined : this.workOrders.find(tx, { kind: 'id', id: workOrderId });
  }
}
