import type { BusinessCalendar } from '../calendar/business-calendar.schema.js';
import { addBusinessDuration, businessDurationBetween, endOfNthWorkingDay } from '../calendar/business-duration.js';
import { MS_PER_HOUR } from '../shared/time.js';
import type { HoldPeriod, SlaDeadlines } from '../work-order/work-order.schema.js';
import type { HoldReason } from '../work-order/work-order-vocabulary.js';
import { SLA_TARGETS, type SlaTargetSpec, type SlaTargets } from './sla-policy.schema.js';

/** When a target started at `start` falls due, before any pause. */
export function targetDueAt(start: number, spec: SlaTargetSpec, calendar: BusinessCalendar): number {
  switch (spec.basis) {
    case 'wall_clock':
      return start + Math.round(spec.hours * MS_PER_HOUR);
    case 'business_hours':
      return addBusinessDuration(start, Math.round(spec.hours * MS_PER_HOUR), calendar);
    case 'business_days':
      return endOfNthWorkingDay(start, spec.days, calendar);
  }
}

/** The deadlines of all targets counted from `start` (a work order's creation), before any pause. */
export function computeDeadlines(start: number, targets: SlaTargets, calendar: BusinessCalendar): SlaDeadlines {
  return {
    firstResponse: targets.firstResponse === null ? null : targetDueAt(start, targets.firstResponse, calendar),
    onSite: targets.onSite === null ? null : targetDueAt(start, targets.onSite, calendar),
    resolution: targets.resolution === null ? null : targetDueAt(start, targets.resolution, calendar),
  };
}

/** Time spent in FINISHED holds whose reason stops the clock, on both clocks. */
export interface PausedTime {
  readonly wallMs: number;
  readonly businessMs: number;
}

export function pausedTime(
  holds: readonly HoldPeriod[],
  pausingReasons: readonly HoldReason[],
  calendar: BusinessCalendar,
): PausedTime {
  let wallMs = 0;
  let businessMs = 0;
  for (const hold of holds) {
    if (hold.endedAt === null || !pausingReasons.includes(hold.reason)) continue;
    wallMs += hold.endedAt - hold.startedAt;
    businessMs += businessDurationBetween(hold.startedAt, hold.endedAt, calendar);
  }
  return { wallMs, businessMs };
}

export interface DeadlineInputs {
  readonly createdAt: number;
  readonly targets: SlaTargets;
  readonly pausingHoldReasons: readonly HoldReason[];
  readonly holds: readonly HoldPeriod[];
}

/**
 * The effective deadlines: each target counted from creation, then pushed out by the paused time ON ITS OWN
 * CLOCK. A wall-clock target moves by the elapsed pause; a business target moves by the business time the
 * pause covered (a pause over a weekend costs a business clock nothing, so it gains nothing). Pushing the old
 * deadline by the paused business time equals restarting the remaining business time at the resume, since
 * business time is additive; it is derived from the whole hold log each time, so it never drifts.
 *
 * A hold still in progress is not counted here: while it lasts, breach evaluation stops the clock at its start
 * (see evaluateSla); once it ends, this pushes the deadlines.
 */
export function deriveDeadlines(inputs: DeadlineInputs, calendar: BusinessCalendar): SlaDeadlines {
  const base = computeDeadlines(inputs.createdAt, inputs.targets, calendar);
  const paused = pausedTime(inputs.holds, inputs.pausingHoldReasons, calendar);
  const push = (due: number | null, spec: SlaTargetSpec | null): number | null => {
    if (due === null || spec === null) return null;
    return spec.basis === 'wall_clock' ? due + paused.wallMs : addBusinessDuration(due, paused.businessMs, calendar);
  };
  const result: Record<(typeof SLA_TARGETS)[number], number | null> = {
    firstResponse: null,
    onSite: null,
    resolution: null,
  };
  for (const target of SLA_TARGETS) result[target] = push(base[target], inputs.targets[target]);
  return result;
}
