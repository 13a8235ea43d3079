import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { AlertWorkOrderAutomation } from './alert-work-order-automation.js';
import { AUTOMATION_OPTIONS, type AutomationOptions, resolveAutomationOptions } from './automation-options.js';
import { AutomationMetrics } from './automation-metrics.js';
import { AutomationReconciler } from './automation-reconciler.js';
import { FalseAlarmFeedback } from './false-alarm-feedback.js';

export interface AutomationModuleOptions {
  /**
   * Modules that provide and export what the automation consumes: AlertService (the detection module),
   * AlertWorkOrders and WorkOrderService (the service desk module), EventFeed (the events module). Pass the same
   * module objects the application imports. The database and the platform services (MetricsRegistry) are global.
   */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  readonly options?: Partial<AutomationOptions>;
}

/**
 * The automation handler between detection and the service desk (issue 5), so that neither imports the other:
 * alerts open or join work orders, work orders cancelled as false alarm feed back to detection, and a
 * reconciliation catches up on what a stop or a failure left behind.
 */
@Module({})
export class AutomationModule {
  static forRoot(options: AutomationModuleOptions): DynamicModule {
    return {
      module: AutomationModule,
      imports: [...options.imports],
      providers: [
        { provide: AUTOMATION_OPTIONS, useValue: resolveAutomationOptions(options.options) },
        AutomationMetrics,
        AlertWorkOrderAutomation,
        FalseAlarmFeedback,
        AutomationReconciler,
      ],
      exports: [AlertWorkOrderAutomation, FalseAlarmFeedback, AutomationReconciler],
    };
  }
}
