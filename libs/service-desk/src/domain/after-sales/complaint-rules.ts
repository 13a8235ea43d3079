import { conflict, invalid, type DomainError } from '../shared/domain-error.js';
import { MS_PER_HOUR } from '../shared/time.js';
import type { Complaint, ComplaintInput, ComplaintInvestigation } from './complaint.schema.js';

/** Service promise: every complaint investigated within 24 h (wall clock). */
export const COMPLAINT_INVESTIGATION_MS = 24 * MS_PER_HOUR;

export type ComplaintResult =
  { readonly ok: true; readonly complaint: Complaint } | { readonly ok: false; readonly error: DomainError };

export function openComplaint(id: string, customerId: string, input: ComplaintInput, now: number): Complaint {
  return {
    id,
    customerId,
    workOrderId: input.workOrderId,
    subject: input.subject,
    description: input.description,
    openedAt: now,
    investigatedAt: null,
    findings: null,
    outcome: null,
    closedAt: null,
    handlingScore: null,
  };
}

export function complaintInvestigationDueAt(complaint: Complaint): number {
  return complaint.openedAt + COMPLAINT_INVESTIGATION_MS;
}

/** Not investigated and past its 24 h: what a scheduler escalates. */
export function isComplaintOverdue(complaint: Complaint, now: number): boolean {
  return complaint.investigatedAt === null && now > complaintInvestigationDueAt(complaint);
}

export function investigateComplaint(
  complaint: Complaint,
  investigation: ComplaintInvestigation,
  now: number,
): ComplaintResult {
  if (complaint.investigatedAt !== null)
    return { ok: false, error: conflict('the complaint has already been investigated') };
  return { ok: true, complaint: { ...complaint, investigatedAt: now, ...investigation } };
}

export function closeComplaint(complaint: Complaint, now: number): ComplaintResult {
  if (complaint.investigatedAt === null)
    return { ok: false, error: conflict('a complaint is investigated before it is closed') };
  if (complaint.closedAt !== null) return { ok: false, error: conflict('the complaint is already closed') };
  return { ok: true, complaint: { ...complaint, closedAt: now } };
}

/** The customer's satisfaction with how the complaint was handled, once, after closure. */
export function rateComplaintHandling(complaint: Complaint, score: number): ComplaintResult {
  if (!Number.isInteger(score) || score < 1 || score > 5)
    return { ok: false, error: invalid('handlingScore', 'must be 1 to 5') };
  if (complaint.closedAt === null)
    return { ok: false, error: conflict('the handling is rated once the complaint is closed') };
  if (complaint.handlingScore !== null) return { ok: false, error: conflict('the handling has already been rated') };
  return { ok: true, complaint: { ...complaint, handlingScore: score } };
}
