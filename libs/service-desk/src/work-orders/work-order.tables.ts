import { sql } from 'drizzle-orm';
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { tables } from '#database';
import type {
  Acceptance,
  Actor,
  Cancellation,
  DetectorEvidence,
  HoldPeriod,
  HoldReason,
  Rejection,
  Resolution,
  SlaTargets,
} from '../domain/index.js';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Yearly sequence behind the human-readable numbers (WO-2026-000123): one row per year, bumped in the transaction. */
export const workOrderCounters = pgTable('work_order_counters', {
  year: integer('year').primaryKey(),
  lastSequence: integer('last_sequence').notNull(),
});

/**
 * What the domain's WorkOrder holds beyond the queried columns: nested values read and written whole.
 * The columns are what lists, filters, schedulers and KPIs select on; this is what only the lifecycle needs.
 */
export interface WorkOrderState {
  readonly slaTargets: SlaTargets;
  readonly pausingHoldReasons: HoldReason[];
  readonly holds: HoldPeriod[];
  readonly resolution: Resolution | null;
  readonly acceptance: Acceptance | null;
  readonly lastRejection: Rejection | null;
  readonly cancellation: Cancellation | null;
  readonly evidence: DetectorEvidence | null;
}

/**
 * Work orders. Milestones, SLA deadlines and the fields derived from the nested state (clock stopped, cancel
 * reason, remote resolution) are columns so that SLA sweeps and KPIs run on SQL alone.
 * Technician and device are plain ids, not foreign keys: fleet may delete a technician or a device, and the
 * history of who worked on what must survive it. Asset and customer are foreign keys (RESTRICT): a work order
 * is a record of service on an asset and must not dangle.
 */
export const workOrders = pgTable(
  'work_orders',
  {
    id: uuid('id').primaryKey(),
    number: text('number').notNull().unique(),
    version: integer('version').notNull(),
    source: text('source').notNull(),
    assetId: uuid('asset_id')
      .notNull()
      .references(() => tables.assets.id, { onDelete: 'restrict' }),
    deviceId: text('device_id'),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => tables.customers.id, { onDelete: 'restrict' }),
    region: text('region'),
    title: text('title').notNull(),
    description: text('description').notNull(),
    faultCategory: text('fault_category'),
    priority: text('priority').notNull(),
    slaPriority: text('sla_priority').notNull(),
    status: text('status').notNull(),
    technicianId: uuid('technician_id'),
    createdAt: tstz('created_at').notNull(),
    updatedAt: tstz('updated_at').notNull(),
    detectedAt: tstz('detected_at'),
    customerReportedAt: tstz('customer_reported_at'),
    firstResponseAt: tstz('first_response_at'),
    triagedAt: tstz('triaged_at'),
    assignedAt: tstz('assigned_at'),
    enRouteAt: tstz('en_route_at'),
    onSiteAt: tstz('on_site_at'),
    resolvedAt: tstz('resolved_at'),
    acceptedAt: tstz('accepted_at'),
    closedAt: tstz('closed_at'),
    cancelledAt: tstz('cancelled_at'),
    onSiteArrivals: integer('on_site_arrivals').notNull(),
    rejectionCount: integer('rejection_count').notNull(),
    dueFirstResponse: tstz('due_first_response'),
    dueOnSite: tstz('due_on_site'),
    dueResolution: tstz('due_resolution'),
    /** Start of the hold in progress whose reason pauses the SLA clock (derived from the state on every write). */
    clockStoppedAt: tstz('clock_stopped_at'),
    slaEscalated: text('sla_escalated')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    cancelReason: text('cancel_reason'),
    remoteResolution: boolean('remote_resolution').notNull(),
    alertId: text('alert_id'),
    preventivePlanId: uuid('preventive_plan_id'),
    currency: text('currency').notNull(),
    state: jsonb('state').$type<WorkOrderState>().notNull(),
  },
  (t) => [
    index('work_orders_status_idx').on(t.status),
    index('work_orders_priority_idx').on(t.priority),
    index('work_orders_asset_idx').on(t.assetId, t.faultCategory),
    index('work_orders_customer_idx').on(t.customerId, t.createdAt),
    index('work_orders_technician_idx').on(t.technicianId, t.status),
    index('work_orders_source_idx').on(t.source),
    index('work_orders_created_idx').on(t.createdAt),
    index('work_orders_due_first_response_idx').on(t.dueFirstResponse),
    index('work_orders_due_on_site_idx').on(t.dueOnSite),
    index('work_orders_due_resolution_idx').on(t.dueResolution),
    index('work_orders_plan_idx').on(t.preventivePlanId),
  ],
);

/**
 * The append-only event log of every work order: one row per change, `sequence` = the work order's version
 * after the change, so (work_order_id, sequence) is unique and a gap would reveal a lost write. Never updated.
 */
export const workOrderEvents = pgTable(
  'work_order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    sequence: integer('sequence').notNull(),
    kind: text('kind').notNull(),
    at: tstz('at').notNull(),
    actor: jsonb('actor').$type<Actor>().notNull(),
    note: text('note'),
    /** The kind-specific fields of the entry (from / to / details, escalation target, part id...). */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    unique('work_order_events_sequence_unique').on(t.workOrderId, t.sequence),
    index('work_order_events_at_idx').on(t.at),
  ],
);

/**
 * Alerts that opened or were attached to a work order. The alert id is the key: a re-delivered alert finds its
 * work order and changes nothing (the detection automation may call again after a restart).
 */
export const workOrderAlerts = pgTable(
  'work_order_alerts',
  {
    alertId: text('alert_id').primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    linkedAt: tstz('linked_at').notNull(),
    evidence: jsonb('evidence').$type<DetectorEvidence>().notNull(),
  },
  (t) => [index('work_order_alerts_work_order_idx').on(t.workOrderId)],
);
