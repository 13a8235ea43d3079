import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { filter, type Subscription } from 'rxjs';
import { AlertService } from '#detection';
import { EventFeed } from '#events';
import { WorkOrderListQuerySchema, WorkOrderService } from '#service-desk';
import { AUTOMATION_OPTIONS, type AutomationOptions } from './automation-options.js';
import { AutomationMetrics } from './automation-metrics.js';
import { KeyedSerialQueue } from './domain/keyed-serial-queue.js';
import { AUTOMATION_ACTOR, AUTOMATION_PRINCIPAL } from './internal-principal.js';
import { describeError } from './transient-error.js';

export const FALSE_ALARM_EVENT = 'work_order.false_alarm';

export type FeedbackOutcome = 'fed_back' | 'already' | 'unknown_alert' | 'failed';

/** A detector work order cancelled as a false alarm: what detection needs to hear of it. */
export interface FalseAlarm {
  readonly alertId: string;
  /** The work order's number (WO-2026-000123), for the alert's note. */
  readonly workOrder: string;
  readonly note: string | null;
}

/**
 * Work orders cancelled as false alarm -> the alert marked false positive (`AlertService.act`), which lowers the
 * device's sensitivity and records why. Live from the committed `work_order.false_alarm` events of the in-process
 * EventFeed; `reconcile()` (at start and periodically) catches those cancelled while the process was down, from
 * the work orders themselves. One at a time: an alert fed back twice at once is marked once.
 */
@Injectable()
export class FalseAlarmFeedback implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('FalseAlarmFeedback');
  private readonly queue = new KeyedSerialQueue();
  private subscription: Subscription | undefined;

  constructor(
    private readonly feed: EventFeed,
    private readonly alerts: AlertService,
    private readonly workOrders: WorkOrderService,
    private readonly metrics: AutomationMetrics,
    @Inject(AUTOMATION_OPTIONS) private readonly options: AutomationOptions,
  ) {}

  onModuleInit(): void {
    this.subscription = this.feed.events$
      .pipe(filter((e) => e.event.type === FALSE_ALARM_EVENT))
      .subscribe(({ event }) => {
        const alarm = falseAlarmOf(event.data);
        if (alarm !== null) void this.feedBack(alarm);
      });
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Marks the alert false positive unless it already is. Never throws: the outcome says what happened. */
  feedBack(alarm: FalseAlarm): Promise<FeedbackOutcome> {
    return this.queue.run('false-alarm', async () => {
      const outcome = await this.act(alarm);
      this.metrics.falseAlarms.inc({ outcome });
      return outcome;
    });
  }

  /**
   * Feeds back the detector work orders cancelled as false alarm (created within the look-back) whose alert is not
   * marked yet; answers how many.
   */
  async reconcile(): Promise<number> {
    const limit = this.options.reconcilePageSize;
    const from = new Date(Date.now() - this.options.falseAlarmLookbackDays * 86_400_000).toISOString();
    let caught = 0;
    for (let offset = 0; ; offset += limit) {
      const page = await this.workOrders.list(
        AUTOMATION_PRINCIPAL,
        WorkOrderListQuerySchema.parse({ status: 'cancelled', source: 'detector', from, limit, offset }),
      );
      for (const wo of page) {
        const alertId = wo.evidence?.alertId;
        if (wo.cancellation?.reason !== 'false_alarm' || alertId === undefined) continue;
        if (await this.markedAlready(alertId)) continue;
        const outcome = await this.feedBack({ alertId, workOrder: wo.number, note: wo.cancellation.note });
        if (outcome === 'fed_back') caught++;
      }
      if (page.length < limit) break;
    }
    if (caught > 0) {
      this.metrics.reconciled.inc({ kind: 'false_alarm' }, caught);
      this.logger.log(`reconciliation: ${caught} false alarm(s) fed back to detection`);
    }
    return caught;
  }

  private async markedAlready(alertId: string): Promise<boolean> {
    try {
      const { alert } = await this.alerts.get(AUTOMATION_PRINCIPAL, alertId);
      return alert.status === 'false_positive';
    } catch (error) {
      if (error instanceof NotFoundException) return true; // nothing to feed back to
      throw error;
    }
  }

  private async act(alarm: FalseAlarm): Promise<FeedbackOutcome> {
    const note = `work order ${alarm.workOrder} cancelled as false alarm${alarm.note ? `: ${alarm.note}` : ''}`;
    try {
      await this.alerts.act(alarm.alertId, 'false_positive', AUTOMATION_ACTOR, note);
      return 'fed_back';
    } catch (error) {
      // Marked already (by a planner, or by a feedback that raced this one): the sensitivity moved once.
      if (error instanceof ConflictException) return 'already';
      if (error instanceof NotFoundException) return 'unknown_alert';
      this.logger.warn(`false alarm of alert ${alarm.alertId} not fed back for now: ${describeError(error)}`);
      return 'failed';
    }
  }
}

/** The alert of a `work_order.false_alarm` event's data, if it names one (a detector work order). */
export function falseAlarmOf(data: Readonly<Record<string, unknown>>): FalseAlarm | null {
  const alertId = data['alertId'];
  if (typeof alertId !== 'string' || alertId.length === 0) return null;
  const number = data['number'];
  const note = data['note'];
  return {
    alertId,
    workOrder: typeof number === 'string' ? number : 'unknown',
    note: typeof note === 'string' && note.length > 0 ? note : null,
  };
}
