// Public entry of #automation: the handler between detection and the service desk. Imported only by the gateway.
export { AutomationModule, type AutomationModuleOptions } from './automation.module.js';
export {
  AUTOMATION_OPTIONS,
  DEFAULT_AUTOMATION_OPTIONS,
  resolveAutomationOptions,
  type AutomationOptions,
} from './automation-options.js';
export { AlertWorkOrderAutomation, type WorkOrderOutcome } from './alert-work-order-automation.js';
export {
  FALSE_ALARM_EVENT,
  FalseAlarmFeedback,
  falseAlarmOf,
  type FalseAlarm,
  type FeedbackOutcome,
} from './false-alarm-feedback.js';
export { AutomationReconciler, type ReconcileReport } from './automation-reconciler.js';
export {
  DEFAULT_AUTOMATION_POLICY,
  deservesWorkOrder,
  isTrigger,
  type AutomationPolicy,
} from './domain/automation-policy.js';
export { FAULT_CATEGORY_BY_CLASS, faultCategoryOf } from './domain/fault-category.js';
export { DEFAULT_RETRY_SCHEDULE, retryDelayMs, type RetrySchedule } from './domain/retry-schedule.js';
export {
  MAX_EVIDENCE_READINGS,
  descriptionOf,
  plannedByOf,
  titleOf,
  workOrderRequestOf,
} from './domain/work-order-request.js';
