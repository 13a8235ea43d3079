import type { CustomerReportOutcome } from '../core/customer-report.js';
import type { CustomerFaultReport } from '../core/simulation.js';

export type { CustomerReportAnswer, CustomerReportOutcome } from '../core/customer-report.js';

/** The fleet as the gateway knows it after provisioning: what a reporter needs to reach its customers. */
export interface ReporterContext {
  /** Asset key -> the gateway's asset id. */
  readonly assetIds: ReadonlyMap<string, string>;
  /** Asset key -> the gateway's id of its customer. */
  readonly customerOfAsset: ReadonlyMap<string, string>;
}

/**
 * Where the simulated customer's fault reports go: the service desk's customer API (HttpCustomerReporter,
 * status "sent" with its answer), or only the ground truth (GroundTruthOnlyReporter, status "recorded": a
 * dry run, a gateway without the API, or `--no-customer-reports`).
 */
export interface CustomerReporter {
  /** Called once the fleet is provisioned, before the first report. */
  attach?(context: ReporterContext): Promise<void> | void;
  report(report: CustomerFaultReport): Promise<CustomerReportOutcome>;
}

export class GroundTruthOnlyReporter implements CustomerReporter {
  readonly reports: CustomerFaultReport[] = [];

  async report(report: CustomerFaultReport): Promise<CustomerReportOutcome> {
    this.reports.push(report);
    return { status: 'recorded' };
  }
}
