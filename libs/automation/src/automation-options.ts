import { type AutomationPolicy, DEFAULT_AUTOMATION_POLICY } from './domain/automation-policy.js';
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './domain/retry-schedule.js';

/** Tuning of the automation; every field has a default (DEFAULT_AUTOMATION_OPTIONS). */
export interface AutomationOptions {
  /** Which alerts are worth a work order. */
  readonly policy: AutomationPolicy;
  /** Backoff of a transient failure to open a work order. */
  readonly retry: RetrySchedule;
  /**
   * How often open alerts without a work order, and false alarms not fed back, are looked for (also once at
   * start): what a crash between the alert's commit and its work order, or retries that ran out, left behind.
   * 0 turns the periodic pass off (the one at start still runs).
   */
  readonly reconcileIntervalMs: number;
  /** Work orders cancelled as false alarm are looked for among those created within this many days. */
  readonly falseAlarmLookbackDays: number;
  /** Rows read per page during a reconciliation. */
  readonly reconcilePageSize: number;
  /**
   * Work-order requests in flight at once, over every asset (each is serialised per asset anyway), each started
   * on a new turn of the event loop (`backgroundWrites`): a burst of alerts on many assets must not stall the
   * ingest's acks.
   */
  readonly maxConcurrentRequests: number;
  /** At shutdown, how long to wait for work in flight. */
  readonly shutdownDrainMs: number;
}

export const DEFAULT_AUTOMATION_OPTIONS: AutomationOptions = {
  policy: DEFAULT_AUTOMATION_POLICY,
  retry: DEFAULT_RETRY_SCHEDULE,
  reconcileIntervalMs: 5 * 60_000,
  falseAlarmLookbackDays: 90,
  reconcilePageSize: 500,
  maxConcurrentRequests: 2,
  shutdownDrainMs: 5_000,
};

export const AUTOMATION_OPTIONS = Symbol('AutomationOptions');

export function resolveAutomationOptions(options: Partial<AutomationOptions> = {}): AutomationOptions {
  return { ...DEFAULT_AUTOMATION_OPTIONS, ...options };
}
