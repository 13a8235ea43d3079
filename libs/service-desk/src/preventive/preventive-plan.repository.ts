import { Injectable } from '@nestjs/common';
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import { PRIORITIES, type PlanProgress, type PreventivePlan } from '../domain/index.js';
import { storedEnum } from '../shared/stored-enum.js';
import { toDate, toMs } from '../shared/time.js';
import { preventivePlans } from './preventive-plan.tables.js';

export interface StoredPlan {
  readonly plan: PreventivePlan;
  readonly progress: PlanProgress;
  readonly lastWorkOrderId: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly version: number;
}

type PlanRow = typeof preventivePlans.$inferSelect;

function toStoredPlan(r: PlanRow): StoredPlan {
  return {
    plan: {
      id: r.id,
      assetId: r.assetId,
      title: r.title,
      description: r.description,
      every: r.every,
      unit: storedEnum(['days', 'months'] as const, r.unit, 'preventive_plans.unit'),
      anchor: storedEnum(['schedule', 'last_completion'] as const, r.anchor, 'preventive_plans.anchor'),
      startDate: r.startDate,
      leadDays: r.leadDays,
      priority: storedEnum(PRIORITIES, r.priority, 'preventive_plans.priority'),
      faultCategory: r.faultCategory,
      active: r.active,
    },
    progress: {
      lastDueDate: r.lastDueDate,
      lastCompletedDate: r.lastCompletedDate,
      occurrenceOpen: r.occurrenceOpen,
    },
    lastWorkOrderId: r.lastWorkOrderId,
    createdAt: toMs(r.createdAt),
    updatedAt: toMs(r.updatedAt),
    version: r.version,
  };
}

/** The `preventive_plans` table: plans and their progress. */
@Injectable()
export class PreventivePlanRepository {
  async insert(db: DbExecutor, plan: PreventivePlan, progress: PlanProgress, now: number): Promise<StoredPlan> {
    const rows = await db
      .insert(preventivePlans)
      .values({
        ...plan,
        ...progress,
        lastWorkOrderId: null,
        createdAt: toDate(now),
        updatedAt: toDate(now),
        version: 1,
      })
      .returning();
    return toStoredPlan(rows[0]!);
  }

  async find(db: DbExecutor, id: string, lock = false): Promise<StoredPlan | undefined> {
    const query = db.select().from(preventivePlans).where(eq(preventivePlans.id, id)).limit(1);
    const rows = lock ? await query.for('update') : await query;
    return rows[0] && toStoredPlan(rows[0]);
  }

  async list(
    db: DbExecutor,
    filter: { assetId?: string | undefined; active?: boolean | undefined; limit: number; offset: number },
  ): Promise<StoredPlan[]> {
    const where: SQL[] = [];
    if (filter.assetId !== undefined) where.push(eq(preventivePlans.assetId, filter.assetId));
    if (filter.active !== undefined) where.push(eq(preventivePlans.active, filter.active));
    const rows = await db
      .select()
      .from(preventivePlans)
      .where(and(...where))
      .orderBy(asc(preventivePlans.createdAt), asc(preventivePlans.id))
      .limit(filter.limit)
      .offset(filter.offset);
    return rows.map(toStoredPlan);
  }

  /** Active plans: what the scheduler looks at on every tick (a plan is small; there are few per asset). */
  async active(db: DbExecutor): Promise<StoredPlan[]> {
    const rows = await db
      .select()
      .from(preventivePlans)
      .where(eq(preventivePlans.active, true))
      .orderBy(asc(preventivePlans.id));
    return rows.map(toStoredPlan);
  }

  /** Writes the plan and its progress; bumps the version. */
  async save(
    db: DbExecutor,
    stored: { plan: PreventivePlan; progress: PlanProgress; lastWorkOrderId: string | null },
    now: number,
  ): Promise<StoredPlan> {
    const { id, ...plan } = stored.plan;
    const rows = await db
      .update(preventivePlans)
      .set({
        ...plan,
        ...stored.progress,
        lastWorkOrderId: stored.lastWorkOrderId,
        updatedAt: toDate(now),
        version: sql`${preventivePlans.version} + 1`,
      })
      .where(eq(preventivePlans.id, id))
      .returning();
    return toStoredPlan(rows[0]!);
  }

  async delete(db: DbExecutor, id: string): Promise<boolean> {
    const rows = await db
      .delete(preventivePlans)
      .where(eq(preventivePlans.id, id))
      .returning({ id: preventivePlans.id });
    return rows.length > 0;
  }
}
