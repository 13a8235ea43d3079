import { Injectable } from '@nestjs/common';
import { COMPLAINT_INVESTIGATION_MS, complaintInvestigationDueAt } from '../domain/index.js';
import { ServiceDeskEvents } from '../shared/service-desk-events.js';
import { iso } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import { ComplaintRepository } from './complaint.repository.js';

/**
 * Complaints not investigated within 24 h (service promise): each is reported once, as `complaint.overdue`,
 * so planners are notified (console, webhooks). The KPI counts it as missed whatever happens next.
 */
@Injectable()
export class ComplaintOverdueScheduler {
  constructor(
    private readonly tx: Transactions,
    private readonly complaints: ComplaintRepository,
    private readonly events: ServiceDeskEvents,
  ) {}

  async tick(now: number): Promise<{ overdue: string[] }> {
    const overdue: string[] = [];
    const candidates = await this.complaints.overdueUnreported(this.tx.db, now - COMPLAINT_INVESTIGATION_MS, 500);
    for (const { complaint } of candidates) {
      const reported = await this.tx.run(async (tx) => {
        if (!(await this.complaints.markOverdueNotified(tx, complaint.id, now))) return false;
        await this.events.other(tx, 'complaint.overdue', { kind: 'complaint', id: complaint.id }, null, now, {
          customerId: complaint.customerId,
          workOrderId: complaint.workOrderId,
          subject: complaint.subject,
          investigationDueAt: iso(complaintInvestigationDueAt(complaint)),
          overdueMs: now - complaintInvestigationDueAt(complaint),
        });
        return true;
      });
      if (reported) overdue.push(complaint.id);
    }
    return { overdue };
  }
}
