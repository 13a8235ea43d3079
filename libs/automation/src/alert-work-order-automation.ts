import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { AlertListQuerySchema } from '#contracts';
import { type BackgroundWrites, backgroundWrites } from '#platform';
import { type Alert, type AlertChange, AlertService } from '#detection';
import { type AlertAttributionResult, type AlertWorkOrderResult, AlertWorkOrders } from '#service-desk';
import { AUTOMATION_OPTIONS, type AutomationOptions } from './automation-options.js';
import { AutomationMetrics } from './automation-metrics.js';
import { deservesWorkOrder, isTrigger } from './domain/automation-policy.js';
import { KeyedSerialQueue } from './domain/keyed-serial-queue.js';
import { retryDelayMs } from './domain/retry-schedule.js';
import { workOrderRequestOf } from './domain/work-order-request.js';
import { AUTOMATION_PRINCIPAL } from './internal-principal.js';
import { describeError, isTransient } from './transient-error.js';

export type WorkOrderOutcome = AlertWorkOrderResult['outcome'];

/**
 * Alerts -> work orders. Subscribes to every committed alert change (AlertService.alerts$); a raised, reopened
 * or escalated alert worth a visit (AutomationPolicy) opens its work order through the service desk, or joins
 * the one already open for that asset and fault category. Requests are serialised per asset (the order the
 * alerts were committed in) and retried with backoff on a transient failure. The service desk is idempotent on
 * the alert id, so a request sent twice (a retry after a lost answer, a reconciliation) changes nothing.
 *
 * Nothing is lost: an alert whose work order could not be made (the process stopped in between, retries ran
 * out) is still open, and `reconcileOpenAlerts()` (at start and periodically, see AutomationReconciler) sends
 * every open alert again.
 */
@Injectable()
export class AlertWorkOrderAutomation implements OnModuleInit, BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger('AlertWorkOrderAutomation');
  private readonly queue = new KeyedSerialQueue();
  private subscription: Subscription | undefined;
  private stopping = false;
  private readonly sleeping = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  /** Requests in flight over every asset (`maxConcurrentRequests`); a retry's backoff holds no slot. */
  private readonly inFlight: BackgroundWrites;

  constructor(
    private readonly alerts: AlertService,
    private readonly workOrders: AlertWorkOrders,
    private readonly metrics: AutomationMetrics,
    @Inject(AUTOMATION_OPTIONS) private readonly options: AutomationOptions,
  ) {
    this.inFlight = backgroundWrites(options.maxConcurrentRequests);
  }

  onModuleInit(): void {
    // Before the pipeline starts (it does so at application bootstrap): no alert change is missed.
    this.subscription = this.alerts.alerts$.subscribe((change) => this.onChange(change));
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Finish what is in flight while the database is still there; what does not finish is reconciled next start.
    const drained = await within(this.queue.idle(), this.options.shutdownDrainMs);
    this.stopping = true;
    for (const s of this.sleeping) {
      clearTimeout(s.timer);
      s.resolve();
    }
    if (!drained) this.logger.warn('stopping with work orders still in flight: they are reconciled at next start');
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  /** Requests queued or in flight. */
  get pending(): number {
    return this.queue.size;
  }

  /** Resolves when nothing is queued or in flight. */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /**
   * Queues the work order of an alert (serialised per asset) and answers its outcome, or null when it was
   * left without one for now (a permanent refusal, retries exhausted, shutting down): it is logged and counted,
   * and the next reconciliation tries again while the alert is open.
   */
  submit(alert: Alert): Promise<WorkOrderOutcome | null> {
    const startedAt = Date.now();
    this.metrics.queued.inc();
    return this.queue
      .run(alert.assetId ?? `device:${alert.deviceId}`, () => this.send(alert))
      .then((outcome) => {
        if (outcome !== null) this.metrics.latency.observe((Date.now() - startedAt) / 1000);
        return outcome;
      })
      .finally(() => this.metrics.queued.dec());
  }

  /** Sends every open alert worth a work order again; answers how many got one now (opened or linked). */
  async reconcileOpenAlerts(): Promise<number> {
    const limit = this.options.reconcilePageSize;
    const seen = new Set<string>();
    let caught = 0;
    for (let offset = 0; ; offset += limit) {
      const page = await this.alerts.list(
        AUTOMATION_PRINCIPAL,
        AlertListQuerySchema.parse({ status: 'open', limit, offset }),
      );
      const due = page.filter((a) => !seen.has(a.id) && deservesWorkOrder(a, this.options.policy));
      for (const a of page) seen.add(a.id);
      const outcomes = await Promise.all(due.map((a) => this.submit(a)));
      caught += outcomes.filter((o) => o === 'opened' || o === 'linked').length;
      if (page.length < limit) break;
    }
    if (caught > 0) {
      this.metrics.reconciled.inc({ kind: 'work_order' }, caught);
      this.logger.log(`reconciliation: ${caught} open alert(s) got their work order`);
    }
    return caught;
  }

  private onChange(change: AlertChange): void {
    if (change.type === 'cleared' && change.alert.clearReason === 'sensor_drift') {
      void this.submitAttribution(change.alert, change.note);
      return;
    }
    if (!isTrigger(change.type)) return;
    if (!deservesWorkOrder(change.alert, this.options.policy)) {
      this.metrics.skipped.inc({ reason: 'policy' });
      return;
    }
    // Failures are logged and counted in send(); the alert stays open for the reconciliation.
    void this.submit(change.alert);
  }

  /**
   * An alert cleared because its device's own sensor drifts (detection's drift attribution): its work order,
   * if it has an open one, records that for its planner (serialised per asset after the alert's own request).
   * Answers the outcome, or null when it could not be recorded (logged and counted; the alert keeps the reason).
   */
  submitAttribution(alert: Alert, note?: string | null): Promise<AlertAttributionResult['outcome'] | null> {
    const text = note ?? alert.note ?? `attributed to sensor drift of ${alert.metric} on this device`;
    return this.queue.run(alert.assetId ?? `device:${alert.deviceId}`, async () => {
      const result = await this.attempt(alert, 'attribution', () =>
        this.workOrders.recordAlertAttributed({ alertId: alert.id, note: text }),
      );
      if (result !== null) this.metrics.workOrders.inc({ outcome: `attribution_${result.outcome}` });
      return result?.outcome ?? null;
    });
  }

  private async send(alert: Alert): Promise<WorkOrderOutcome | null> {
    let request;
    try {
      request = workOrderRequestOf(alert);
    } catch (error) {
      return this.leave(alert, 'work order', 'permanent', error);
    }
    const result = await this.attempt(alert, 'work order', () => this.workOrders.openWorkOrderFromAlert(request));
    if (result === null) return null;
    this.metrics.workOrders.inc({ outcome: result.outcome });
    return result.outcome;
  }

  /** One service-desk request (at most `maxConcurrentRequests` in flight), retried with backoff while transient. */
  private async attempt<T>(alert: Alert, what: string, request: () => Promise<T>): Promise<T | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.inFlight(request);
      } catch (error) {
        if (!isTransient(error)) return this.leave(alert, what, 'permanent', error);
        if (this.stopping) return this.leave(alert, what, 'stopping', error);
        const delay = retryDelayMs(this.options.retry, attempt, Math.random());
        if (delay === null) return this.leave(alert, what, 'gave_up', error);
        this.metrics.retries.inc();
        await this.sleep(delay);
      }
    }
  }

  private leave(alert: Alert, what: string, reason: 'permanent' | 'gave_up' | 'stopping', error: unknown): null {
    this.metrics.failures.inc({ reason });
    const message = `no ${what} for alert ${alert.id} (${alert.kind} on ${alert.deviceId}) for now, ${reason}: ${describeError(error)}`;
    if (reason === 'permanent') this.logger.error(message);
    else this.logger.warn(message);
    return null;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeping.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.sleeping.add(entry);
    });
  }
}

async function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
