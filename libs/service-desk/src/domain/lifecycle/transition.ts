import { invalid, type DomainError } from '../shared/domain-error.js';
import { frozenCopy } from '../shared/deep-freeze.js';
import { resolveSlaTargets } from '../sla/sla-policy.schema.js';
import { deriveDeadlines } from '../sla/sla-deadlines.js';
import type { LifecycleContext } from '../work-order/lifecycle-context.js';
import type { TransitionDetails, WorkOrderLogEntryOf } from '../work-order/work-order-log.schema.js';
import { currentHold, type WorkOrder } from '../work-order/work-order.schema.js';
import { REASONS_NEEDING_A_NOTE, type WorkOrderStatus } from '../work-order/work-order-vocabulary.js';
import type { Actor } from './actor.js';
import { allowedTargets, findRule, type TransitionRule } from './transition-table.js';
import type { TransitionRequest } from './transition-request.schema.js';

/** Sent back to detection when a work order is cancelled as a false alarm, so detectors can be tuned. */
export interface FalseAlarmFeedback {
  readonly workOrderId: string;
  readonly number: string;
  readonly source: WorkOrder['source'];
  readonly assetId: string;
  readonly deviceId: string | null;
  readonly alertId: string | null;
  readonly detectedAt: number | null;
  readonly cancelledAt: number;
  readonly note: string | null;
}

export type TransitionResult =
  | {
      readonly ok: true;
      readonly workOrder: WorkOrder;
      readonly entry: WorkOrderLogEntryOf<'transition'>;
      /** Set when the move cancelled the work order as a false alarm. */
      readonly falseAlarm: FalseAlarmFeedback | null;
    }
  | { readonly ok: false; readonly error: DomainError };

type Applied = { readonly workOrder: WorkOrder; readonly details: TransitionDetails } | DomainError;

/**
 * Applies one lifecycle move. Pure: the input work order is not touched; the result is a new frozen work order
 * (version + 1) and a frozen log entry whose sequence is that new version.
 *
 * Checks, in order (the first failure is the answer):
 * 1. version: `request.version` must equal `workOrder.version`, else `stale_version` (409);
 * 2. legality: the move must be in TRANSITION_TABLE, else `illegal_transition` naming the allowed targets (409);
 * 3. actor: its role must be listed for the move, a technician must be the assigned one and a customer the
 *    owner, else `forbidden` (403);
 * 4. guards on the request, naming the field (400): a technician to assign, a note for reason "other", ...
 */
export function transition(
  workOrder: WorkOrder,
  request: TransitionRequest,
  actor: Actor,
  now: number,
  context: LifecycleContext,
): TransitionResult {
  if (request.version !== workOrder.version) {
    return {
      ok: false,
      error: {
        code: 'stale_version',
        message: `work order ${workOrder.number} is at version ${workOrder.version}, not ${request.version}: reload and retry`,
        expectedVersion: request.version,
        currentVersion: workOrder.version,
      },
    };
  }
  const from = workOrder.status;
  const hold = currentHold(workOrder);
  const heldFrom = hold?.from ?? null;
  const rule = findRule(from, request.to, heldFrom);
  if (rule === null) {
    const allowed = allowedTargets(from, heldFrom);
    return {
      ok: false,
      error: {
        code: 'illegal_transition',
        message:
          `work order ${workOrder.number} cannot go from ${from} to ${request.to}; ` +
          (allowed.length === 0 ? `${from} is final` : `allowed: ${allowed.join(', ')}`),
        from,
        to: request.to,
        allowed,
      },
    };
  }
  const refusal = refuseActor(workOrder, rule, actor, request.to);
  if (refusal !== null) return { ok: false, error: refusal };

  const resuming = from === 'on_hold' && request.to === heldFrom;
  const applied = apply(workOrder, request, actor, now, context, resuming);
  if ('code' in applied) return { ok: false, error: applied };

  const entry: WorkOrderLogEntryOf<'transition'> = {
    workOrderId: workOrder.id,
    sequence: applied.workOrder.version,
    at: now,
    actor,
    note: request.note ?? null,
    kind: 'transition',
    from,
    to: request.to,
    details: resuming ? { ...applied.details, resumed: true } : applied.details,
  };
  const falseAlarm: FalseAlarmFeedback | null =
    request.to === 'cancelled' && request.reason === 'false_alarm'
      ? {
          workOrderId: workOrder.id,
          number: workOrder.number,
          source: workOrder.source,
          assetId: workOrder.assetId,
          deviceId: workOrder.deviceId,
          alertId: workOrder.evidence?.alertId ?? null,
          detectedAt: workOrder.detectedAt,
          cancelledAt: now,
          note: request.note ?? null,
        }
      : null;
  return { ok: true, workOrder: frozenCopy(applied.workOrder), entry: frozenCopy(entry), falseAlarm };
}

function refuseActor(
  workOrder: WorkOrder,
  rule: TransitionRule,
  actor: Actor,
  to: WorkOrderStatus,
): DomainError | null {
  const move = `${workOrder.status} -> ${to}`;
  if (!rule.roles.includes(actor.role)) {
    return { code: 'forbidden', message: `a ${actor.role} may not move a work order ${move}` };
  }
  if (actor.role === 'technician' && workOrder.technicianId !== actor.technicianId) {
    return { code: 'forbidden', message: `work order ${workOrder.number} is not assigned to this technician` };
  }
  if (actor.role === 'customer' && workOrder.customerId !== actor.customerId) {
    return { code: 'forbidden', message: `work order ${workOrder.number} belongs to another customer` };
  }
  return null;
}

const isBlank = (text: string): boolean => text.trim().length === 0;

function needsNote(reason: string, note: string | undefined): DomainError | null {
  return REASONS_NEEDING_A_NOTE.includes(reason) && note === undefined
    ? invalid('note', `reason "${reason}" needs a note saying what happened`)
    : null;
}

/** The work order after the move (not yet frozen) and what the log entry records about it. */
function apply(
  wo: WorkOrder,
  request: TransitionRequest,
  actor: Actor,
  now: number,
  context: LifecycleContext,
  resuming: boolean,
): Applied {
  const milestones = { ...wo.milestones };
  if (wo.status === 'new') milestones.firstResponseAt ??= now;
  let holds = wo.holds;
  if (wo.status === 'on_hold') {
    // Leaving a hold (resume or cancel) closes it.
    holds = wo.holds.map((h, i) => (i === wo.holds.length - 1 && h.endedAt === null ? { ...h, endedAt: now } : h));
  }
  let next: WorkOrder = {
    ...wo,
    version: wo.version + 1,
    status: request.to,
    milestones,
    holds,
    sla: {
      ...wo.sla,
      due:
        holds === wo.holds
          ? wo.sla.due
          : deriveDeadlines({ ...wo.sla, createdAt: wo.createdAt, holds }, context.calendar),
    },
  };

  if (resuming) {
    const extra = resumeExtraField(request, wo);
    return extra ?? { workOrder: next, details: {} };
  }

  switch (request.to) {
    case 'new':
      // Only reachable as a resume (no table edge leads to `new` otherwise).
      return { workOrder: next, details: {} };
    case 'triaged': {
      const changesSla = request.priority !== undefined || request.faultCategory !== undefined;
      if (changesSla && actor.role === 'technician') {
        return { code: 'forbidden', message: 'a technician may hand a work order back but not re-prioritise it' };
      }
      milestones.triagedAt ??= now;
      const details: TransitionDetails = {};
      if (wo.technicianId !== null) {
        next = { ...next, technicianId: null };
        details.technicianId = null;
        details.previousTechnicianId = wo.technicianId;
      }
      if (changesSla) {
        const priority = request.priority ?? wo.priority;
        const faultCategory = request.faultCategory ?? wo.faultCategory;
        const targets = resolveSlaTargets(context.slaPolicy, priority, faultCategory);
        const due = deriveDeadlines({ ...wo.sla, targets, createdAt: wo.createdAt, holds }, context.calendar);
        next = { ...next, priority, faultCategory, sla: { ...next.sla, priority, targets, due } };
        details.priority = priority;
        if (request.faultCategory !== undefined) details.faultCategory = request.faultCategory;
      }
      return { workOrder: next, details };
    }
    case 'assigned': {
      if (request.technicianId === undefined) {
        return invalid('technicianId', 'assigning a work order needs the technician to assign');
      }
      if (wo.status === 'assigned' && request.technicianId === wo.technicianId) {
        return invalid('technicianId', 'the work order is already assigned to this technician');
      }
      milestones.assignedAt = now;
      next = { ...next, technicianId: request.technicianId };
      return {
        workOrder: next,
        details: { technicianId: request.technicianId, previousTechnicianId: wo.technicianId },
      };
    }
    case 'en_route':
      if (wo.technicianId === null) return invalid('technicianId', 'no technician is assigned');
      milestones.enRouteAt ??= now;
      return { workOrder: next, details: {} };
    case 'on_site':
      if (wo.technicianId === null) return invalid('technicianId', 'no technician is assigned');
      milestones.onSiteAt ??= now;
      return { workOrder: { ...next, onSiteArrivals: wo.onSiteArrivals + 1 }, details: {} };
    case 'resolved':
      // The schema already demands these; checked again for callers that build requests in code (automation).
      if (isBlank(request.resolution.summary)) return invalid('resolution.summary', 'say what was done to resolve it');
      milestones.resolvedAt = now;
      return {
        workOrder: {
          ...next,
          resolution: {
            summary: request.resolution.summary,
            diagnosis: request.resolution.diagnosis ?? null,
            rootCause: request.resolution.rootCause ?? null,
            remote: wo.status === 'assigned',
          },
        },
        details: {},
      };
    case 'accepted':
      if (isBlank(request.acceptance.signedBy)) return invalid('acceptance.signedBy', 'who signed off is required');
      if (isBlank(request.acceptance.signatureRef)) {
        return invalid('acceptance.signatureRef', 'the reference of the signature is required');
      }
      milestones.acceptedAt ??= now;
      return {
        workOrder: { ...next, acceptance: { ...request.acceptance, at: now } },
        details: {},
      };
    case 'rejected':
      if (isBlank(request.reason)) return invalid('reason', 'a rejection needs the reason the customer gave');
      return {
        workOrder: {
          ...next,
          rejectionCount: wo.rejectionCount + 1,
          lastRejection: { reason: request.reason, at: now },
        },
        details: { rejectionReason: request.reason },
      };
    case 'closed':
      milestones.closedAt ??= now;
      return { workOrder: next, details: {} };
    case 'on_hold': {
      const missing = needsNote(request.reason, request.note);
      if (missing !== null) return missing;
      const hold = {
        reason: request.reason,
        from: wo.status,
        startedAt: now,
        endedAt: null,
        note: request.note ?? null,
      };
      return { workOrder: { ...next, holds: [...wo.holds, hold] }, details: { holdReason: request.reason } };
    }
    case 'cancelled': {
      if (actor.role === 'customer' && request.reason !== 'customer_withdrew') {
        return invalid('reason', 'a customer cancels a work order only by withdrawing it (customer_withdrew)');
      }
      const missing = needsNote(request.reason, request.note);
      if (missing !== null) return missing;
      milestones.cancelledAt ??= now;
      return {
        workOrder: { ...next, cancellation: { reason: request.reason, note: request.note ?? null, at: now } },
        details: { cancelReason: request.reason },
      };
    }
  }
}

/** A resume returns to where the hold began and carries nothing else: a field would be silently dropped. */
function resumeExtraField(request: TransitionRequest, wo: WorkOrder): DomainError | null {
  if (request.to === 'assigned' && request.technicianId !== undefined && request.technicianId !== wo.technicianId) {
    return invalid('technicianId', 'a resume returns to the same technician; reassign after resuming');
  }
  if (request.to === 'triaged' && (request.priority !== undefined || request.faultCategory !== undefined)) {
    return invalid(request.priority !== undefined ? 'priority' : 'faultCategory', 'a resume does not re-triage');
  }
  return null;
}
