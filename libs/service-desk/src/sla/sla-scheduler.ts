import { Injectable } from '@nestjs/common';
import { escalate, systemActor } from '../domain/index.js';
import { ServiceDeskEvents } from '../shared/service-desk-events.js';
import { Transactions } from '../shared/transactions.js';
import { logRecordOf } from '../work-orders/work-order-log.js';
import { WorkOrderRecorder } from '../work-orders/work-order-recorder.js';
import { WorkOrderRepository } from '../work-orders/work-order.repository.js';

export interface SlaTickResult {
  /** One line per escalation: number, target, new priority. */
  readonly escalated: Array<{ number: string; target: string; toPriority: string }>;
}

const ACTOR = systemActor('sla-scheduler');
/** Work orders handled per tick: a backlog drains over a few ticks instead of one long transaction storm. */
const BATCH = 500;

/**
 * SLA breach detection and escalation: every outstanding target past its deadline raises the work order's
 * priority one step, once per target (the domain's escalate), with a log entry and `work_order.escalated`.
 * Each work order is written in its own transaction under optimistic concurrency: a planner's move made in
 * the meantime wins, and the next tick looks again.
 */
@Injectable()
export class SlaScheduler {
  constructor(
    private readonly tx: Transactions,
    private readonly workOrders: WorkOrderRepository,
    private readonly recorder: WorkOrderRecorder,
    private readonly events: ServiceDeskEvents,
  ) {}

  async tick(now: number): Promise<SlaTickResult> {
    const escalated: SlaTickResult['escalated'] = [];
    for (const candidate of await this.workOrders.escalationCandidates(this.tx.db, now, BATCH)) {
      const outcome = escalate(candidate.workOrder, now, ACTOR);
      if (outcome.escalations.length === 0) continue;
      try {
        await this.tx.run(async (tx) => {
          const saved = await this.recorder.save(
            tx,
            candidate,
            outcome.workOrder,
            outcome.entries.map(logRecordOf),
            now,
          );
          for (const e of outcome.escalations) {
            await this.events.workOrder(tx, 'work_order.escalated', saved.workOrder, now, {
              target: e.target,
              fromPriority: e.fromPriority,
              toPriority: e.toPriority,
              overdueMs: e.overdueMs,
            });
          }
        });
      } catch (error) {
        // Changed since it was read (409): the next tick re-reads it. Anything else is a real failure.
        if ((error as { getStatus?: () => number }).getStatus?.() === 409) continue;
        throw error;
      }
      for (const e of outcome.escalations) {
        escalated.push({ number: candidate.workOrder.number, target: e.target, toPriority: e.toPriority });
      }
    }
    return { escalated };
  }
}
