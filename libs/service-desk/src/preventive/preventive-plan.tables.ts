import { boolean, date, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tables } from '#database';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Preventive-maintenance plans per asset, with their progress (what was opened last, what was completed). */
export const preventivePlans = pgTable(
  'preventive_plans',
  {
    id: uuid('id').primaryKey(),
    assetId: uuid('asset_id')
      .notNull()
      .references(() => tables.assets.id, { onDelete: 'restrict' }),
    title: text('title').notNull(),
    description: text('description').notNull(),
    every: integer('every').notNull(),
    unit: text('unit').notNull(),
    anchor: text('anchor').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    leadDays: integer('lead_days').notNull(),
    priority: text('priority').notNull(),
    faultCategory: text('fault_category'),
    active: boolean('active').notNull(),
    lastDueDate: date('last_due_date', { mode: 'string' }),
    lastCompletedDate: date('last_completed_date', { mode: 'string' }),
    occurrenceOpen: boolean('occurrence_open').notNull(),
    lastWorkOrderId: uuid('last_work_order_id'),
    createdAt: tstz('created_at').notNull(),
    updatedAt: tstz('updated_at').notNull(),
    version: integer('version').notNull(),
  },
  (t) => [index('preventive_plans_asset_idx').on(t.assetId), index('preventive_plans_active_idx').on(t.active)],
);
