import { z } from 'zod';

/** What opened the work order. Every opener goes through the same lifecycle. */
export const WORK_ORDER_SOURCES = ['detector', 'customer_report', 'preventive_plan', 'complaint', 'manual'] as const;
export type WorkOrderSource = (typeof WORK_ORDER_SOURCES)[number];
export const WorkOrderSourceSchema = z.enum(WORK_ORDER_SOURCES);

/**
 * Service priorities (ARCHITECTURE.md): P1 critical (on site within 2 h), P2 high, P3 normal (answer within
 * 24 h, solution within 48 h), P4 low (remote diagnosis or appointment). Listed most urgent first.
 */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PrioritySchema = z.enum(PRIORITIES);

/** One step more urgent (P4 -> P3 ... P1 stays P1). */
export function raisePriority(priority: Priority): Priority {
  const index = PRIORITIES.indexOf(priority);
  return PRIORITIES[Math.max(0, index - 1)] ?? priority;
}

export const WORK_ORDER_STATUSES = [
  'new',
  'triaged',
  'assigned',
  'en_route',
  'on_site',
  'resolved',
  'accepted',
  'rejected',
  'closed',
  'on_hold',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];
export const WorkOrderStatusSchema = z.enum(WORK_ORDER_STATUSES);

/** No transition leaves these. */
export const TERMINAL_STATUSES: readonly WorkOrderStatus[] = ['closed', 'cancelled'];
export function isOpenStatus(status: WorkOrderStatus): boolean {
  return !TERMINAL_STATUSES.includes(status);
}

/**
 * Why work stopped. Which of them stop the SLA clock is a policy choice (SlaPolicy.pausingHoldReasons,
 * default: only waiting_on_customer, as the issue asks: the customer's delay is not held against us).
 */
export const HOLD_REASONS = [
  'waiting_on_customer',
  'waiting_on_parts',
  'waiting_on_access',
  'weather',
  'other',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
export const HoldReasonSchema = z.enum(HOLD_REASONS);

/**
 * Why a work order was cancelled. `false_alarm` is fed back to detection (a detector opened a work order for
 * a fault that was not there), so the detector can be tuned and its precision measured.
 */
export const CANCEL_REASONS = ['false_alarm', 'duplicate', 'customer_withdrew', 'not_serviceable', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];
export const CancelReasonSchema = z.enum(CANCEL_REASONS);

/** Reasons that need a note saying what happened. */
export const REASONS_NEEDING_A_NOTE: readonly string[] = ['other'];
