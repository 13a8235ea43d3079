import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gte, inArray, lt, not, notInArray, sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import { TERMINAL_STATUSES, type DetectorEvidence, type WorkOrder } from '../domain/index.js';
import { storedEnum } from '../shared/stored-enum.js';
import { toDate, toMs } from '../shared/time.js';
import { LOG_KINDS, type LogRecord } from './work-order-log.js';
import {
  toStoredWorkOrder,
  workOrderColumns,
  workOrderInsertOf,
  type StoredWorkOrder,
  type WorkOrderExtras,
} from './work-order.mapper.js';
import { workOrderAlerts, workOrderCounters, workOrderEvents, workOrders } from './work-order.tables.js';
import type { WorkOrderRef } from '../shared/id-params.js';

export interface WorkOrderFilter {
  readonly status?: readonly string[] | undefined;
  readonly priority?: string | undefined;
  readonly assetId?: string | undefined;
  readonly customerId?: string | undefined;
  readonly technicianId?: string | undefined;
  readonly source?: string | undefined;
  /** Only work orders with an SLA target breached at `now` (met late or outstanding past due), or (negate) none. */
  readonly breached?: { readonly now: number; readonly negate: boolean } | undefined;
  readonly createdFrom?: number | undefined;
  readonly createdTo?: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

const OPEN = sql`${workOrders.status} not in ('closed', 'cancelled')`;
const RESOLUTION_STANDS = sql`${workOrders.status} in ('resolved', 'accepted', 'closed')`;

/**
 * Whether any SLA target is breached at `now`, in SQL: the same rule as the domain's evaluateSla (met late, or
 * outstanding past due with the clock stopped at a pausing hold; nothing is owed on a cancelled work order).
 */
export function breachedAt(now: number): SQL {
  const clock = sql`least(${toDate(now)}::timestamptz, coalesce(${workOrders.clockStoppedAt}, ${toDate(now)}::timestamptz))`;
  const target = (due: SQL, metAt: SQL): SQL =>
    sql`(${due} is not null and (${metAt} > ${due} or (${metAt} is null and ${workOrders.status} <> 'cancelled' and ${clock} > ${due})))`;
  const resolvedStanding = sql`(case when ${RESOLUTION_STANDS} then ${workOrders.resolvedAt} end)`;
  const onSiteMet = sql`coalesce(${workOrders.onSiteAt}, case when ${workOrders.remoteResolution} then ${resolvedStanding} end)`;
  return sql`(${target(sql`${workOrders.dueFirstResponse}`, sql`${workOrders.firstResponseAt}`)} or ${target(
    sql`${workOrders.dueOnSite}`,
    onSiteMet,
  )} or ${target(sql`${workOrders.dueResolution}`, resolvedStanding)})`;
}

/** The `work_orders`, `work_order_events` and `work_order_counters` tables. Every method takes its executor. */
@Injectable()
export class WorkOrderRepository {
  /** Next sequence of the year's numbers; the row lock serialises concurrent creations until commit. */
  async nextSequence(db: DbExecutor, year: number): Promise<number> {
    const rows = await db
      .insert(workOrderCounters)
      .values({ year, lastSequence: 1 })
      .onConflictDoUpdate({
        target: workOrderCounters.year,
        set: { lastSequence: sql`${workOrderCounters.lastSequence} + 1` },
      })
      .returning({ sequence: workOrderCounters.lastSequence });
    const sequence = rows[0]?.sequence;
    if (sequence === undefined) throw new Error('work-order counter: no row returned');
    return sequence;
  }

  async insert(db: DbExecutor, wo: WorkOrder, extras: WorkOrderExtras, now: number): Promise<void> {
    await db.insert(workOrders).values(workOrderInsertOf(wo, extras, now));
  }

  /**
   * Writes the work order if nobody changed it since `expectedVersion` was read (optimistic concurrency:
   * `UPDATE ... WHERE version = $old`). False when the row moved on: the caller answers 409.
   */
  async update(db: DbExecutor, wo: WorkOrder, expectedVersion: number, now: number): Promise<boolean> {
    const rows = await db
      .update(workOrders)
      .set(workOrderColumns(wo, now))
      .where(and(eq(workOrders.id, wo.id), eq(workOrders.version, expectedVersion)))
      .returning({ id: workOrders.id });
    return rows.length > 0;
  }

  /**
   * Bumps the version for a change kept outside the work order itself (a part, a comment...), so that the log
   * entry of that change gets the next sequence. Answers the new version, or null when the row moved on.
   */
  async bumpVersion(db: DbExecutor, id: string, expectedVersion: number, now: number): Promise<number | null> {
    const rows = await db
      .update(workOrders)
      .set({ version: sql`${workOrders.version} + 1`, updatedAt: toDate(now) })
      .where(and(eq(workOrders.id, id), eq(workOrders.version, expectedVersion)))
      .returning({ version: workOrders.version });
    return rows[0]?.version ?? null;
  }

  /** The work order by id or number; `lock` takes the row lock until the transaction ends (FOR UPDATE). */
  async find(db: DbExecutor, ref: WorkOrderRef, lock = false): Promise<StoredWorkOrder | undefined> {
    const where = ref.kind === 'id' ? eq(workOrders.id, ref.id) : eq(workOrders.number, ref.number);
    const query = db.select().from(workOrders).where(where).limit(1);
    const rows = lock ? await query.for('update') : await query;
    return rows[0] && toStoredWorkOrder(rows[0]);
  }

  async list(db: DbExecutor, filter: WorkOrderFilter): Promise<StoredWorkOrder[]> {
    const where: SQL[] = [];
    if (filter.status !== undefined && filter.status.length > 0)
      where.push(inArray(workOrders.status, [...filter.status]));
    if (filter.priority !== undefined) where.push(eq(workOrders.priority, filter.priority));
    if (filter.assetId !== undefined) where.push(eq(workOrders.assetId, filter.assetId));
    if (filter.customerId !== undefined) where.push(eq(workOrders.customerId, filter.customerId));
    if (filter.technicianId !== undefined) where.push(eq(workOrders.technicianId, filter.technicianId));
    if (filter.source !== undefined) where.push(eq(workOrders.source, filter.source));
    if (filter.breached !== undefined) {
      const breached = breachedAt(filter.breached.now);
      where.push(filter.breached.negate ? not(breached) : breached);
    }
    if (filter.createdFrom !== undefined) where.push(gte(workOrders.createdAt, toDate(filter.createdFrom)));
    if (filter.createdTo !== undefined) where.push(lt(workOrders.createdAt, toDate(filter.createdTo)));
    const rows = await db
      .select()
      .from(workOrders)
      .where(and(...where))
      .orderBy(desc(workOrders.createdAt), asc(workOrders.id))
      .limit(filter.limit)
      .offset(filter.offset);
    return rows.map(toStoredWorkOrder);
  }

  /**
   * Open work orders on an asset (not closed or cancelled): where a report or an alert may belong. `lock` holds
   * them until the transaction ends, so the one a report or an alert joins cannot move meanwhile.
   */
  async openOnAsset(db: DbExecutor, assetId: string, lock = false): Promise<StoredWorkOrder[]> {
    const query = db
      .select()
      .from(workOrders)
      .where(and(eq(workOrders.assetId, assetId), notInArray(workOrders.status, [...TERMINAL_STATUSES])))
      .orderBy(asc(workOrders.createdAt), asc(workOrders.id));
    const rows = lock ? await query.for('update') : await query;
    return rows.map(toStoredWorkOrder);
  }

  /**
   * Open work orders that may have an SLA target to escalate at `now`: an outstanding target past due that has
   * not escalated yet. A superset of what the domain's planEscalations escalates (it decides exactly).
   */
  async escalationCandidates(db: DbExecutor, now: number, limit: number): Promise<StoredWorkOrder[]> {
    const at = toDate(now);
    const outstanding = (due: SQL, met: SQL, target: string): SQL =>
      sql`(${due} < ${at} and ${met} is null and not (${target} = any(${workOrders.slaEscalated})))`;
    const rows = await db
      .select()
      .from(workOrders)
      .where(
        and(
          OPEN,
          sql`(${outstanding(sql`${workOrders.dueFirstResponse}`, sql`${workOrders.firstResponseAt}`, 'firstResponse')}
            or ${outstanding(sql`${workOrders.dueOnSite}`, sql`${workOrders.onSiteAt}`, 'onSite')}
            or ${outstanding(sql`${workOrders.dueResolution}`, sql`(case when ${RESOLUTION_STANDS} then ${workOrders.resolvedAt} end)`, 'resolution')})`,
        ),
      )
      .orderBy(asc(workOrders.createdAt), asc(workOrders.id))
      .limit(limit);
    return rows.map(toStoredWorkOrder);
  }

  /** Work orders assigned and not yet resolved, per technician: the load dispatch weighs. */
  async openLoadByTechnician(db: DbExecutor): Promise<Map<string, number>> {
    const rows = await db
      .select({ technicianId: workOrders.technicianId, n: sql<number>`count(*)::int` })
      .from(workOrders)
      .where(
        and(
          sql`${workOrders.technicianId} is not null`,
          inArray(workOrders.status, ['assigned', 'en_route', 'on_site', 'rejected', 'on_hold']),
        ),
      )
      .groupBy(workOrders.technicianId);
    return new Map(rows.flatMap((r) => (r.technicianId === null ? [] : [[r.technicianId, Number(r.n)] as const])));
  }

  /**
   * Serialises, until the transaction ends, everything that decides "is there already an open work order for
   * this asset?" (an alert and a customer report arriving together must not open two).
   */
  async lockAsset(db: DbExecutor, assetId: string): Promise<void> {
    await db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'service-desk:asset:' + assetId}, 0))`);
  }

  async appendLog(db: DbExecutor, records: readonly LogRecord[]): Promise<void> {
    if (records.length === 0) return;
    await db.insert(workOrderEvents).values(
      records.map((r) => ({
        workOrderId: r.workOrderId,
        sequence: r.sequence,
        kind: r.kind,
        at: toDate(r.at),
        actor: r.actor,
        note: r.note,
        data: r.data,
      })),
    );
  }

  async logOf(db: DbExecutor, workOrderId: string): Promise<LogRecord[]> {
    const rows = await db
      .select()
      .from(workOrderEvents)
      .where(eq(workOrderEvents.workOrderId, workOrderId))
      .orderBy(asc(workOrderEvents.sequence));
    return rows.map((r) => ({
      workOrderId: r.workOrderId,
      sequence: r.sequence,
      at: toMs(r.at),
      actor: r.actor,
      note: r.note,
      kind: storedEnum(LOG_KINDS, r.kind, 'work_order_events.kind'),
      data: r.data,
    }));
  }

  /** Records that an alert opened or joined a work order (the alert id is the key: a re-delivery is seen). */
  async linkAlert(db: DbExecutor, evidence: DetectorEvidence, workOrderId: string, now: number): Promise<void> {
    await db
      .insert(workOrderAlerts)
      .values({ alertId: evidence.alertId, workOrderId, linkedAt: toDate(now), evidence });
  }

  async workOrderOfAlert(db: DbExecutor, alertId: string): Promise<string | undefined> {
    const rows = await db
      .select({ workOrderId: workOrderAlerts.workOrderId })
      .from(workOrderAlerts)
      .where(eq(workOrderAlerts.alertId, alertId))
      .limit(1);
    return rows[0]?.workOrderId;
  }
}
