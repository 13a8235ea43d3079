import type { CustomerFaultReport } from '../core/simulation.js';

/**
 * Where the simulated customer's fault reports go. The service desk's customer API (issue 4) does not
 * exist yet: until it does, reports are only written to the ground truth (status "recorded"); an HTTP
 * implementation of this interface will send them (status "sent") without touching the rest.
 */
export interface CustomerReporter {
  report(report: CustomerFaultReport): Promise<'sent' | 'recorded'>;
}

export class GroundTruthOnlyReporter implements CustomerReporter {
  readonly reports: CustomerFaultReport[] = [];

  async report(report: CustomerFaultReport): Promise<'recorded'> {
    this.reports.push(report);
    return 'recorded';
  }
}
