/** Public entry of the service desk (`#service-desk`): the pure domain, the Nest module and its application services. */
export * from './domain/index.js';

export { ServiceDeskModule, type ServiceDeskModuleOptions } from './service-desk.module.js';
export {
  SERVICE_DESK_CONFIG,
  ServiceDeskConfigError,
  ServiceDeskOptionsSchema,
  SchedulerOptionsSchema,
  resolveServiceDeskConfig,
  type ServiceDeskConfig,
  type ServiceDeskOptionsInput,
} from './config/service-desk-options.js';

// Application services other libs call (through the gateway's wiring).
export {
  AlertWorkOrders,
  type AlertAttributionResult,
  type AlertWorkOrderResult,
} from './automation/alert-work-orders.js';
export {
  ALERT_SEVERITIES,
  AlertAttributionSchema,
  AlertWorkOrderRequestSchema,
  PRIORITY_BY_SEVERITY,
  type AlertAttribution,
  type AlertSeverity,
  type AlertWorkOrderRequest,
} from './automation/alert-work-order.schema.js';
export { WorkOrderService } from './work-orders/work-order.service.js';
export { KpiService } from './kpis/kpi.service.js';
export { SlaScheduler, type SlaTickResult } from './sla/sla-scheduler.js';
export { ComplaintOverdueScheduler } from './complaints/complaint-overdue-scheduler.js';
export { PreventiveScheduler, type PreventiveTickResult } from './preventive/preventive-scheduler.js';
export type { ServiceDeskEventType } from './shared/service-desk-events.js';

// API schemas (one zod schema per message: type, validation and OpenAPI).
export * from './work-orders/work-order.api.js';
export { LOG_KINDS, type LogKind } from './work-orders/work-order-log.js';
export * from './charges/charges.api.js';
export * from './after-sales/after-sales.api.js';
export * from './dispatch/dispatch.api.js';
export * from './complaints/complaint.api.js';
export * from './preventive/preventive-plan.api.js';
export * from './reports/customer-report.api.js';
export * from './kpis/kpi.api.js';
