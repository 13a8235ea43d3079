import type { Actor } from '../lifecycle/actor.js';
import { conflict, forbidden, type DomainError } from '../shared/domain-error.js';
import type { WorkOrder } from '../work-order/work-order.schema.js';
import type { Survey, SurveyInput } from './survey.schema.js';

/**
 * Whether a survey may be taken now: once per work order, after acceptance (accepted or closed), by the owning
 * customer or by staff recording it on the customer's behalf (a phone survey). Null when allowed.
 */
export function surveyRefusal(workOrder: WorkOrder, actor: Actor, alreadySurveyed: boolean): DomainError | null {
  if (actor.role === 'technician' || actor.role === 'system') {
    return forbidden("a survey is the customer's: a technician or the system cannot rate its own work");
  }
  if (actor.role === 'customer' && actor.customerId !== workOrder.customerId) {
    return forbidden(`work order ${workOrder.number} belongs to another customer`);
  }
  if (workOrder.status !== 'accepted' && workOrder.status !== 'closed') {
    return conflict(`work order ${workOrder.number} is ${workOrder.status}: a survey follows acceptance`);
  }
  return alreadySurveyed ? conflict(`work order ${workOrder.number} has already been rated`) : null;
}

export function recordSurvey(workOrder: WorkOrder, input: SurveyInput, now: number): Survey {
  return { ...input, workOrderId: workOrder.id, submittedAt: now };
}
