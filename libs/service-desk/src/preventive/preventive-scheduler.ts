import { Inject, Injectable, Logger } from '@nestjs/common';
import { occurrenceToOpenAt, preventiveWorkOrderInput, progressAfterOpening, systemActor } from '../domain/index.js';
import { SERVICE_DESK_CONFIG, type ServiceDeskConfig } from '../config/service-desk-options.js';
import { FleetLookupRepository } from '../fleet-lookup/fleet-lookup.repository.js';
import { Transactions } from '../shared/transactions.js';
import { WorkOrderRecorder } from '../work-orders/work-order-recorder.js';
import { PreventivePlanRepository } from './preventive-plan.repository.js';

export interface PreventiveTickResult {
  /** Numbers of the work orders opened. */
  readonly opened: string[];
}

const ACTOR = systemActor('preventive-scheduler');

/**
 * Opens the work orders of preventive plans `leadDays` ahead of their due dates, judged on the local date of
 * the service calendar. Each plan is handled in its own transaction with the plan row locked, so two replicas
 * (or a tick overlapping a PATCH) never open the same occurrence twice.
 */
@Injectable()
export class PreventiveScheduler {
  private readonly logger = new Logger('PreventiveScheduler');

  constructor(
    private readonly tx: Transactions,
    private readonly plans: PreventivePlanRepository,
    private readonly fleet: FleetLookupRepository,
    private readonly recorder: WorkOrderRecorder,
    @Inject(SERVICE_DESK_CONFIG) private readonly config: ServiceDeskConfig,
  ) {}

  async tick(now: number): Promise<PreventiveTickResult> {
    const opened: string[] = [];
    for (const candidate of await this.plans.active(this.tx.db)) {
      const number = await this.tx.run(async (tx) => {
        const stored = await this.plans.find(tx, candidate.plan.id, true);
        if (stored === undefined) return null;
        const occurrence = occurrenceToOpenAt(stored.plan, stored.progress, now, this.config.calendar.timeZone);
        if (occurrence === null) return null;
        const asset = await this.fleet.asset(tx, stored.plan.assetId);
        if (asset === undefined) return null;
        if (occurrence.skipped.length > 0) {
          this.logger.warn(
            `plan ${stored.plan.id}: due dates ${occurrence.skipped.join(', ')} passed without a work order; opening ${occurrence.dueDate}`,
          );
        }
        const input = preventiveWorkOrderInput(stored.plan, asset, occurrence);
        const wo = await this.recorder.open(tx, input, ACTOR, now, { preventivePlanId: stored.plan.id });
        await this.plans.save(
          tx,
          {
            plan: stored.plan,
            progress: progressAfterOpening(stored.progress, occurrence),
            lastWorkOrderId: wo.workOrder.id,
          },
          now,
        );
        return wo.workOrder.number;
      });
      if (number !== null) opened.push(number);
    }
    return { opened };
  }
}
