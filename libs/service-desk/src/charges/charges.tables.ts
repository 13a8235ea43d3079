import { date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Actor, WarrantyExclusions } from '../domain/index.js';
import { workOrders } from '../work-orders/work-order.tables.js';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Parts used on a work order, traceable to batch and supplier (a bad batch can be recalled: index on batch). */
export const partsUsed = pgTable(
  'work_order_parts',
  {
    id: uuid('id').primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    partNumber: text('part_number').notNull(),
    description: text('description'),
    batch: text('batch').notNull(),
    supplier: text('supplier').notNull(),
    origin: text('origin').notNull(),
    quantity: doublePrecision('quantity').notNull(),
    unit: text('unit').notNull(),
    unitPriceMinor: integer('unit_price_minor').notNull(),
    recordedAt: tstz('recorded_at').notNull(),
    recordedBy: jsonb('recorded_by').$type<Actor>().notNull(),
  },
  (t) => [index('work_order_parts_work_order_idx').on(t.workOrderId), index('work_order_parts_batch_idx').on(t.batch)],
);

export const labourEntries = pgTable(
  'work_order_labour',
  {
    id: uuid('id').primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    technicianId: uuid('technician_id'),
    description: text('description'),
    minutes: integer('minutes').notNull(),
    hourlyRateMinor: integer('hourly_rate_minor').notNull(),
    recordedAt: tstz('recorded_at').notNull(),
    recordedBy: jsonb('recorded_by').$type<Actor>().notNull(),
  },
  (t) => [index('work_order_labour_work_order_idx').on(t.workOrderId)],
);

export const feeLines = pgTable(
  'work_order_fees',
  {
    id: uuid('id').primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    kind: text('kind').notNull(),
    description: text('description').notNull(),
    amountMinor: integer('amount_minor').notNull(),
    recordedAt: tstz('recorded_at').notNull(),
    recordedBy: jsonb('recorded_by').$type<Actor>().notNull(),
  },
  (t) => [index('work_order_fees_work_order_idx').on(t.workOrderId)],
);

/** The warranty decision of a work order: one, replaced when decided again (the log keeps every decision). */
export const warrantyDecisions = pgTable('work_order_warranty', {
  workOrderId: uuid('work_order_id')
    .primaryKey()
    .references(() => workOrders.id, { onDelete: 'restrict' }),
  coverage: text('coverage').notNull(),
  reason: text('reason').notNull(),
  faultDate: date('fault_date', { mode: 'string' }).notNull(),
  warrantyUntil: date('warranty_until', { mode: 'string' }),
  exclusions: jsonb('exclusions').$type<WarrantyExclusions>().notNull(),
  exclusionsFound: text('exclusions_found').array().notNull(),
  explanation: text('explanation').notNull(),
  decidedAt: tstz('decided_at').notNull(),
  decidedBy: jsonb('decided_by').$type<Actor>().notNull(),
});
