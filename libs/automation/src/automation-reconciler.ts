import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { AlertWorkOrderAutomation } from './alert-work-order-automation.js';
import { AUTOMATION_OPTIONS, type AutomationOptions } from './automation-options.js';
import { FalseAlarmFeedback } from './false-alarm-feedback.js';
import { describeError } from './transient-error.js';

export interface ReconcileReport {
  /** Open alerts that got their work order only now. */
  readonly workOrders: number;
  /** False alarms fed back only now. */
  readonly falseAlarms: number;
}

/**
 * Catches up on what the live subscriptions missed: once at start (the process may have stopped between an
 * alert's commit and its work order, or a cancellation and its feedback) and every `reconcileIntervalMs` (what
 * ran out of retries). Both passes are idempotent, so they may overlap the live handling.
 */
@Injectable()
export class AutomationReconciler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AutomationReconciler');
  private running: Promise<ReconcileReport> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly workOrders: AlertWorkOrderAutomation,
    private readonly falseAlarms: FalseAlarmFeedback,
    @Inject(AUTOMATION_OPTIONS) private readonly options: AutomationOptions,
  ) {}

  onApplicationBootstrap(): void {
    void this.reconcile().catch(() => undefined);
    if (this.options.reconcileIntervalMs > 0) {
      this.timer = setInterval(() => void this.reconcile().catch(() => undefined), this.options.reconcileIntervalMs);
      this.timer.unref();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass (or the one already running). Rejects when a pass failed; the next one tries again. */
  reconcile(): Promise<ReconcileReport> {
    if (this.stopped) return Promise.resolve({ workOrders: 0, falseAlarms: 0 });
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Resolves once no reconciliation, work order or feedback is in flight (tests, the eval). */
  async idle(): Promise<void> {
    for (;;) {
      await this.running?.catch(() => undefined);
      await this.workOrders.idle();
      await this.falseAlarms.idle();
      if (this.running === null && this.workOrders.pending === 0) return;
    }
  }

  private async pass(): Promise<ReconcileReport> {
    try {
      const workOrders = await this.workOrders.reconcileOpenAlerts();
      const falseAlarms = await this.falseAlarms.reconcile();
      return { workOrders, falseAlarms };
    } catch (error) {
      this.logger.warn(
        `reconciliation failed, tried again in ${this.options.reconcileIntervalMs} ms: ${describeError(error)}`,
      );
      throw error;
    }
  }
}
