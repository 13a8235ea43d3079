/**
 * The service desk's pure domain core: no Nest, no I/O, no clock. Every instant is epoch milliseconds passed in
 * by the caller; every configuration (SLA policy, business calendar, dispatch policy) is a plain value.
 */

// Shared
export * from './shared/domain-error.js';
export { MS_PER_SECOND, MS_PER_MINUTE, MS_PER_HOUR, MS_PER_DAY } from './shared/time.js';

// Calendar and time zones
export * from './calendar/calendar-date.js';
export * from './calendar/time-zone.js';
export * from './calendar/business-calendar.schema.js';
export { compileCalendar, CompiledCalendar, type InstantInterval } from './calendar/business-calendar.js';
export * from './calendar/business-duration.js';

// Work orders
export * from './work-order/work-order-vocabulary.js';
export * from './work-order/work-order-number.js';
export * from './work-order/work-order.schema.js';
export * from './work-order/work-order-log.schema.js';
export * from './work-order/lifecycle-context.js';
export * from './work-order/open-work-order.js';
export * from './work-order/link-customer-report.js';

// Lifecycle
export * from './lifecycle/actor.js';
export * from './lifecycle/transition-table.js';
export * from './lifecycle/transition-request.schema.js';
export * from './lifecycle/transition.js';

// SLA
export * from './sla/sla-policy.schema.js';
export * from './sla/sla-deadlines.js';
export * from './sla/sla-evaluation.js';
export * from './sla/escalation.js';

// Dispatch
export * from './dispatch/geo.js';
export * from './dispatch/dispatch-policy.schema.js';
export * from './dispatch/rank-technicians.js';

// Parts, fees and warranty
export * from './warranty/parts-and-fees.schema.js';
export * from './warranty/warranty-decision.js';
export * from './warranty/fee-summary.js';

// After-sales: surveys, complaints, follow-ups, comments
export * from './after-sales/survey.schema.js';
export * from './after-sales/survey-rules.js';
export * from './after-sales/complaint.schema.js';
export * from './after-sales/complaint-rules.js';
export * from './after-sales/follow-up.js';
export * from './after-sales/comment.js';

// KPIs
export * from './kpi/kpi-records.schema.js';
export * from './kpi/kpi-measures.js';
export * from './kpi/compute-kpis.js';
export * from './kpi/service-promises.js';

// Preventive maintenance
export * from './preventive/preventive-plan.schema.js';
export * from './preventive/preventive-schedule.js';
