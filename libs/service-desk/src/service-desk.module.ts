import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { AfterSalesController } from './after-sales/after-sales.controller.js';
import { AfterSalesRepository } from './after-sales/after-sales.repository.js';
import { AfterSalesService } from './after-sales/after-sales.service.js';
import { AlertWorkOrders } from './automation/alert-work-orders.js';
import { ChargesController } from './charges/charges.controller.js';
import { ChargesRepository } from './charges/charges.repository.js';
import { ChargesService } from './charges/charges.service.js';
import { ComplaintOverdueScheduler } from './complaints/complaint-overdue-scheduler.js';
import { ComplaintRepository } from './complaints/complaint.repository.js';
import { ComplaintService } from './complaints/complaint.service.js';
import { ComplaintsController } from './complaints/complaints.controller.js';
import {
  resolveServiceDeskConfig,
  SERVICE_DESK_CONFIG,
  type ServiceDeskOptionsInput,
} from './config/service-desk-options.js';
import { DispatchController } from './dispatch/dispatch.controller.js';
import { DispatchService } from './dispatch/dispatch.service.js';
import { FleetLookupRepository } from './fleet-lookup/fleet-lookup.repository.js';
import { KpiAggregatesRepository } from './kpis/kpi-aggregates.repository.js';
import { KpiRepository } from './kpis/kpi.repository.js';
import { KpiService } from './kpis/kpi.service.js';
import { KpisController } from './kpis/kpis.controller.js';
import { PreventivePlanRepository } from './preventive/preventive-plan.repository.js';
import { PreventivePlanService } from './preventive/preventive-plan.service.js';
import { PreventivePlansController } from './preventive/preventive-plans.controller.js';
import { PreventiveScheduler } from './preventive/preventive-scheduler.js';
import { CustomerReportRepository } from './reports/customer-report.repository.js';
import { CustomerReportService } from './reports/customer-report.service.js';
import { CustomerReportsController } from './reports/customer-reports.controller.js';
import { SchedulerHost } from './scheduling/scheduler-host.js';
import { ServiceDeskEvents } from './shared/service-desk-events.js';
import { Transactions } from './shared/transactions.js';
import { SlaScheduler } from './sla/sla-scheduler.js';
import { WorkOrderAccess } from './work-orders/work-order-access.js';
import { WorkOrderRecorder } from './work-orders/work-order-recorder.js';
import { WorkOrderRepository } from './work-orders/work-order.repository.js';
import { WorkOrderService } from './work-orders/work-order.service.js';
import { WorkOrdersController } from './work-orders/work-orders.controller.js';

export interface ServiceDeskModuleOptions {
  /**
   * Modules providing and exporting PUBLIC_EVENT_PUBLISHER (#contracts): the gateway passes the events module,
   * tests an in-memory fake. The database (DATABASE) and the platform services (Clock) are global.
   */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  /** SLA policy, business calendar, dispatch policy, follow-ups, currency, scheduler intervals (domain defaults). */
  readonly options?: ServiceDeskOptionsInput;
}

/**
 * The service desk: work orders and their lifecycle, SLA escalation, dispatch, parts and warranty, acceptance,
 * surveys, follow-ups, comments, complaints, preventive plans, customer reports and KPIs, REST under /api.
 * Throws a ServiceDeskConfigError naming the bad field when the options are invalid.
 */
@Module({})
export class ServiceDeskModule {
  static forRoot({ imports, options }: ServiceDeskModuleOptions): DynamicModule {
    const config = resolveServiceDeskConfig(options);
    return {
      module: ServiceDeskModule,
      imports: [...imports],
      controllers: [
        WorkOrdersController,
        ChargesController,
        AfterSalesController,
        DispatchController,
        ComplaintsController,
        PreventivePlansController,
        CustomerReportsController,
        KpisController,
      ],
      providers: [
        { provide: SERVICE_DESK_CONFIG, useValue: config },
        Transactions,
        ServiceDeskEvents,
        WorkOrderRepository,
        AfterSalesRepository,
        ChargesRepository,
        ComplaintRepository,
        PreventivePlanRepository,
        CustomerReportRepository,
        FleetLookupRepository,
        KpiRepository,
        KpiAggregatesRepository,
        WorkOrderAccess,
        WorkOrderRecorder,
        WorkOrderService,
        ChargesService,
        AfterSalesService,
        DispatchService,
        ComplaintService,
        PreventivePlanService,
        CustomerReportService,
        KpiService,
        AlertWorkOrders,
        SlaScheduler,
        ComplaintOverdueScheduler,
        PreventiveScheduler,
        SchedulerHost,
      ],
      exports: [
        SERVICE_DESK_CONFIG,
        AlertWorkOrders,
        WorkOrderService,
        KpiService,
        SlaScheduler,
        ComplaintOverdueScheduler,
        PreventiveScheduler,
      ],
    };
  }
}
