import type { BusinessCalendar } from '../calendar/business-calendar.schema.js';
import type { SlaPolicy } from '../sla/sla-policy.schema.js';

/**
 * The configuration a lifecycle step needs to keep SLA deadlines right: the policy (targets per priority, at
 * creation and at a re-prioritising triage) and the business calendar (business-hour targets, pauses).
 */
export interface LifecycleContext {
  readonly slaPolicy: SlaPolicy;
  readonly calendar: BusinessCalendar;
}
