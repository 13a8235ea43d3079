import type { Actor, WorkOrderLogEntry } from '../domain/index.js';

/**
 * Kinds of entries in a work order's event log: the domain's lifecycle entries (created, transition,
 * escalation, customer_report_linked) and the records the service desk keeps around it. Every one bumps the
 * work order's version and takes it as its sequence, so the log is one total order of everything that changed.
 */
export const LOG_KINDS = [
  'created',
  'transition',
  'escalation',
  'customer_report_linked',
  'alert_linked',
  'alert_attributed',
  'visit_planned',
  'part_added',
  'labour_added',
  'fee_added',
  'warranty_decided',
  'comment_added',
  'survey_recorded',
  'follow_up_scheduled',
  'follow_up_done',
  'complaint_filed',
] as const;
export type LogKind = (typeof LOG_KINDS)[number];

/** One stored log entry: the common fields and the kind-specific ones under `data`. */
export interface LogRecord {
  readonly workOrderId: string;
  readonly sequence: number;
  readonly at: number;
  readonly actor: Actor;
  readonly note: string | null;
  readonly kind: LogKind;
  readonly data: Record<string, unknown>;
}

/** A domain entry as stored: what is not common goes to `data`. */
export function logRecordOf(entry: WorkOrderLogEntry): LogRecord {
  const { workOrderId, sequence, at, actor, note, kind, ...data } = entry;
  return { workOrderId, sequence, at, actor, note, kind, data };
}

/** Entries a customer must not see: internal comments (the entry says only that one was added). */
export function logVisibleToCustomer(record: LogRecord): boolean {
  return !(record.kind === 'comment_added' && record.data['internal'] === true);
}
