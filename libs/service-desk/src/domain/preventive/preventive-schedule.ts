import { addDays, addMonths, daysBetween, type CalendarDate } from '../calendar/calendar-date.js';
import { localDate } from '../calendar/time-zone.js';
import type { OpenWorkOrderInput } from '../work-order/open-work-order.js';
import type { PlanProgress, PreventivePlan } from './preventive-plan.schema.js';

type Interval = Pick<PreventivePlan, 'every' | 'unit'>;

/** `date` plus `times` intervals. Months are added to the ORIGINAL date, so the 31st does not drift. */
function advance(date: CalendarDate, interval: Interval, times: number): CalendarDate {
  return interval.unit === 'days' ? addDays(date, interval.every * times) : addMonths(date, interval.every * times);
}

/** The k-th due date (k = 0 is the start) of a fixed schedule. */
export function scheduledDueDate(plan: PreventivePlan, k: number): CalendarDate {
  return advance(plan.startDate, plan, k);
}

/** The first date of a fixed schedule strictly after `date`. */
function firstGridDateAfter(plan: PreventivePlan, date: CalendarDate): CalendarDate {
  if (date < plan.startDate) return plan.startDate;
  // Start just below the estimate and walk up: month lengths vary, so the estimate may be one step off.
  const perStep = plan.unit === 'days' ? plan.every : plan.every * 31;
  let k = Math.max(0, Math.floor(daysBetween(plan.startDate, date) / perStep) - 1);
  while (scheduledDueDate(plan, k) <= date) k += 1;
  return scheduledDueDate(plan, k);
}

/**
 * The next due date, or null when there is none to compute yet: with anchor `last_completion`, the next visit
 * depends on when the open one is completed.
 */
export function nextDueDate(plan: PreventivePlan, progress: PlanProgress): CalendarDate | null {
  switch (plan.anchor) {
    case 'schedule':
      return progress.lastDueDate === null ? plan.startDate : firstGridDateAfter(plan, progress.lastDueDate);
    case 'last_completion':
      if (progress.occurrenceOpen) return null;
      if (progress.lastCompletedDate === null) return progress.lastDueDate === null ? plan.startDate : null;
      return advance(progress.lastCompletedDate, plan, 1);
  }
}

/** The day the work order for a visit due on `dueDate` is opened. */
export function openingDate(dueDate: CalendarDate, leadDays: number): CalendarDate {
  return addDays(dueDate, -leadDays);
}

export interface Occurrence {
  readonly dueDate: CalendarDate;
  readonly openOn: CalendarDate;
  /**
   * Due dates of a fixed schedule superseded while nothing was opened (the scheduler was down): only the
   * latest visit that is already due to open is opened, not a backlog of stale ones. Logged by the caller.
   */
  readonly skipped: readonly CalendarDate[];
}

/**
 * What a daily scheduler should open today (a local date), if anything: the next occurrence once its opening
 * date has come. An inactive plan opens nothing. A fixed schedule opens its next visit even if the previous
 * one is still open (the grid does not wait); a completion-anchored plan waits for the completion.
 */
export function occurrenceToOpen(plan: PreventivePlan, progress: PlanProgress, today: CalendarDate): Occurrence | null {
  if (!plan.active) return null;
  let dueDate = nextDueDate(plan, progress);
  if (dueDate === null || today < openingDate(dueDate, plan.leadDays)) return null;
  const skipped: CalendarDate[] = [];
  if (plan.anchor === 'schedule') {
    for (;;) {
      const following = firstGridDateAfter(plan, dueDate);
      if (today < openingDate(following, plan.leadDays)) break;
      skipped.push(dueDate);
      dueDate = following;
    }
  }
  return { dueDate, openOn: openingDate(dueDate, plan.leadDays), skipped };
}

/** occurrenceToOpen at an instant, judged on the local date of the service time zone. */
export function occurrenceToOpenAt(
  plan: PreventivePlan,
  progress: PlanProgress,
  now: number,
  timeZone: string,
): Occurrence | null {
  return occurrenceToOpen(plan, progress, localDate(now, timeZone));
}

export function progressAfterOpening(progress: PlanProgress, occurrence: Occurrence): PlanProgress {
  return { ...progress, lastDueDate: occurrence.dueDate, occurrenceOpen: true };
}

export function progressAfterCompletion(progress: PlanProgress, completedOn: CalendarDate): PlanProgress {
  return { ...progress, lastCompletedDate: completedOn, occurrenceOpen: false };
}

/** The work order a preventive occurrence opens (pass it to openWorkOrder). */
export function preventiveWorkOrderInput(
  plan: PreventivePlan,
  asset: { readonly customerId: string; readonly region: string | null },
  occurrence: Occurrence,
): OpenWorkOrderInput {
  return {
    source: 'preventive_plan',
    assetId: plan.assetId,
    deviceId: null,
    customerId: asset.customerId,
    region: asset.region,
    title: `${plan.title} (due ${occurrence.dueDate})`.slice(0, 200),
    description: plan.description,
    faultCategory: plan.faultCategory,
    priority: plan.priority,
    detectedAt: null,
    customerReportedAt: null,
    evidence: null,
  };
}
