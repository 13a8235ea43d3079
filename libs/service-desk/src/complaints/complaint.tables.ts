import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tables } from '#database';
import { workOrders } from '../work-orders/work-order.tables.js';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Complaints: investigated within 24 h of opening, closed with an outcome, the handling rated by the customer. */
export const complaints = pgTable(
  'complaints',
  {
    id: uuid('id').primaryKey(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => tables.customers.id, { onDelete: 'restrict' }),
    workOrderId: uuid('work_order_id').references(() => workOrders.id, { onDelete: 'restrict' }),
    subject: text('subject').notNull(),
    description: text('description').notNull(),
    openedAt: tstz('opened_at').notNull(),
    investigatedAt: tstz('investigated_at'),
    findings: text('findings'),
    outcome: text('outcome'),
    closedAt: tstz('closed_at'),
    handlingScore: integer('handling_score'),
    /** When the overdue sweep reported the missed 24 h (once per complaint). */
    overdueNotifiedAt: tstz('overdue_notified_at'),
    version: integer('version').notNull(),
  },
  (t) => [
    index('complaints_customer_idx').on(t.customerId, t.openedAt),
    index('complaints_opened_idx').on(t.openedAt),
    index('complaints_work_order_idx').on(t.workOrderId),
  ],
);
