import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { Actor } from '../domain/index.js';
import { workOrders } from '../work-orders/work-order.tables.js';

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Every sign-off and every rejection at acceptance (a rejection sends the work order to rework). */
export const acceptances = pgTable(
  'work_order_acceptances',
  {
    id: uuid('id').primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    verdict: text('verdict').notNull(),
    signedBy: text('signed_by'),
    signatureRef: text('signature_ref'),
    reason: text('reason'),
    at: tstz('at').notNull(),
    actor: jsonb('actor').$type<Actor>().notNull(),
  },
  (t) => [index('work_order_acceptances_work_order_idx').on(t.workOrderId)],
);

/** One survey per work order, after acceptance. */
export const surveys = pgTable(
  'work_order_surveys',
  {
    workOrderId: uuid('work_order_id')
      .primaryKey()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    score: integer('score').notNull(),
    wouldRecommend: boolean('would_recommend').notNull(),
    comment: text('comment'),
    submittedAt: tstz('submitted_at').notNull(),
    submittedBy: jsonb('submitted_by').$type<Actor>().notNull(),
  },
  (t) => [index('work_order_surveys_submitted_idx').on(t.submittedAt)],
);

/** Calls or visits after closure to check the repair holds. */
export const followUps = pgTable(
  'work_order_follow_ups',
  {
    id: uuid('id').primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    kind: text('kind').notNull(),
    dueAt: tstz('due_at').notNull(),
    doneAt: tstz('done_at'),
    outcome: text('outcome'),
    createdAt: tstz('created_at').notNull(),
  },
  (t) => [
    index('work_order_follow_ups_work_order_idx').on(t.workOrderId),
    index('work_order_follow_ups_due_idx').on(t.dueAt),
  ],
);

export const comments = pgTable(
  'work_order_comments',
  {
    id: uuid('id').primaryKey(),
    workOrderId: uuid('work_order_id')
      .notNull()
      .references(() => workOrders.id, { onDelete: 'restrict' }),
    author: jsonb('author').$type<Actor>().notNull(),
    body: text('body').notNull(),
    internal: boolean('internal').notNull(),
    at: tstz('at').notNull(),
  },
  (t) => [index('work_order_comments_work_order_idx').on(t.workOrderId, t.at)],
);
