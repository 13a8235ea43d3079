import { boolean, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tables } from '#database';
import type { Actor } from '../domain/index.js';
import { workOrders } from '../work-orders/work-order.tables.js';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/**
 * Fault reports filed by customers. Each lands on a work order: an already open one for the same asset and
 * fault (`linked`, and `platformWasFirst` when the detector had opened it), or a new customer_report one.
 */
export const customerReports = pgTable(
  'customer_reports',
  {
    id: uuid('id').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => tables.customers.id, { onDelete: 'restrict' }),
    assetId: uuid('asset_id')
      .notNull()
      .references(() => tables.assets.id, { onDelete: 'restrict' }),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    description: text('description').notNull(),
    faultCategory: text('fault_category'),
    reportedAt: tstz('reported_at').notNull(),
    outcome: text('outcome').notNull(),
    platformWasFirst: boolean('platform_was_first').notNull(),
    reportedBy: jsonb('reported_by').$type<Actor>().notNull(),
  },
  (t) => [
    index('customer_reports_customer_idx').on(t.customerId, t.reportedAt),
    index('customer_reports_work_order_idx').on(t.workOrderId),
  ],
);
