import { z } from 'zod';
import type { Actor } from '../lifecycle/actor.js';
import { invalid, type DomainError } from '../shared/domain-error.js';
import { frozenCopy } from '../shared/deep-freeze.js';
import { resolveSlaTargets } from '../sla/sla-policy.schema.js';
import { deriveDeadlines } from '../sla/sla-deadlines.js';
import type { LifecycleContext } from './lifecycle-context.js';
import { parseWorkOrderNumber } from './work-order-number.js';
import type { WorkOrderLogEntryOf } from './work-order-log.schema.js';
import { DetectorEvidenceSchema, EpochMsSchema, FaultCategorySchema, type WorkOrder } from './work-order.schema.js';
import { PrioritySchema, WorkOrderSourceSchema } from './work-order-vocabulary.js';

/** What it takes to open a work order, whoever opens it. */
export const OpenWorkOrderInputSchema = z.strictObject({
  source: WorkOrderSourceSchema,
  assetId: z.uuid(),
  deviceId: z.string().min(1).max(128).nullable().default(null),
  customerId: z.uuid(),
  region: z.string().max(100).nullable().default(null),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).default(''),
  faultCategory: FaultCategorySchema.nullable().default(null),
  priority: PrioritySchema,
  detectedAt: EpochMsSchema.nullable().default(null).describe('detector: event time; defaults to the evidence'),
  customerReportedAt: EpochMsSchema.nullable().default(null).describe('customer_report: defaults to now'),
  evidence: DetectorEvidenceSchema.nullable().default(null),
});
export type OpenWorkOrderInput = z.infer<typeof OpenWorkOrderInputSchema>;

/** Identity allocated by the store before the domain builds the work order. */
export interface WorkOrderIdentity {
  readonly id: string;
  readonly number: string;
}

export type OpenWorkOrderResult =
  | { readonly ok: true; readonly workOrder: WorkOrder; readonly entry: WorkOrderLogEntryOf<'created'> }
  | { readonly ok: false; readonly error: DomainError };

/**
 * Builds a new work order (status `new`, version 1) with its SLA deadlines computed from `now`, and the first
 * log entry. A detector work order must carry its evidence (alert, readings window, forecast); evidence on any
 * other source is refused so that "opened by detection" stays unambiguous for the proactive-rate KPI.
 */
export function openWorkOrder(
  input: OpenWorkOrderInput,
  identity: WorkOrderIdentity,
  actor: Actor,
  now: number,
  context: LifecycleContext,
): OpenWorkOrderResult {
  if (parseWorkOrderNumber(identity.number) === null) {
    return {
      ok: false,
      error: invalid('number', `"${identity.number}" is not a work-order number like WO-2026-000123`),
    };
  }
  if (input.source === 'detector' && input.evidence === null) {
    return { ok: false, error: invalid('evidence', 'a detector work order needs its evidence (alert and readings)') };
  }
  if (input.source !== 'detector' && input.evidence !== null) {
    return { ok: false, error: invalid('evidence', 'only a detector work order carries detector evidence') };
  }
  if (input.customerReportedAt !== null && input.customerReportedAt > now) {
    return { ok: false, error: invalid('customerReportedAt', 'must not be in the future') };
  }

  const targets = resolveSlaTargets(context.slaPolicy, input.priority, input.faultCategory);
  const pausingHoldReasons = [...context.slaPolicy.pausingHoldReasons];
  const workOrder: WorkOrder = {
    id: identity.id,
    number: identity.number,
    version: 1,
    source: input.source,
    assetId: input.assetId,
    deviceId: input.deviceId ?? input.evidence?.deviceId ?? null,
    customerId: input.customerId,
    region: input.region,
    title: input.title,
    description: input.description,
    faultCategory: input.faultCategory,
    priority: input.priority,
    status: 'new',
    technicianId: null,
    createdAt: now,
    detectedAt: input.detectedAt ?? input.evidence?.eventTime ?? null,
    customerReportedAt: input.customerReportedAt ?? (input.source === 'customer_report' ? now : null),
    milestones: {
      firstResponseAt: null,
      triagedAt: null,
      assignedAt: null,
      enRouteAt: null,
      onSiteAt: null,
      resolvedAt: null,
      acceptedAt: null,
      closedAt: null,
      cancelledAt: null,
    },
    onSiteArrivals: 0,
    rejectionCount: 0,
    holds: [],
    sla: {
      priority: input.priority,
      targets,
      pausingHoldReasons,
      due: deriveDeadlines({ createdAt: now, targets, pausingHoldReasons, holds: [] }, context.calendar),
      escalated: [],
    },
    resolution: null,
    acceptance: null,
    lastRejection: null,
    cancellation: null,
    evidence: input.evidence,
  };
  const entry: WorkOrderLogEntryOf<'created'> = {
    workOrderId: identity.id,
    sequence: 1,
    at: now,
    actor,
    note: null,
    kind: 'created',
    to: 'new',
    source: input.source,
  };
  return { ok: true, workOrder: frozenCopy(workOrder), entry: frozenCopy(entry) };
}
