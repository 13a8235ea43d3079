import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gte, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import { COMPLAINT_OUTCOMES, type Complaint } from '../domain/index.js';
import { storedEnumOrNull } from '../shared/stored-enum.js';
import { toDate, toDateOrNull, toMs, toMsOrNull } from '../shared/time.js';
import { complaints } from './complaint.tables.js';

export interface StoredComplaint {
  readonly complaint: Complaint;
  readonly overdueNotifiedAt: number | null;
  readonly version: number;
}

type ComplaintRow = typeof complaints.$inferSelect;

function toStored(r: ComplaintRow): StoredComplaint {
  return {
    complaint: {
      id: r.id,
      customerId: r.customerId,
      workOrderId: r.workOrderId,
      subject: r.subject,
      description: r.description,
      openedAt: toMs(r.openedAt),
      investigatedAt: toMsOrNull(r.investigatedAt),
      findings: r.findings,
      outcome: storedEnumOrNull(COMPLAINT_OUTCOMES, r.outcome, 'complaints.outcome'),
      closedAt: toMsOrNull(r.closedAt),
      handlingScore: r.handlingScore,
    },
    overdueNotifiedAt: toMsOrNull(r.overdueNotifiedAt),
    version: r.version,
  };
}

function columnsOf(c: Complaint) {
  return {
    customerId: c.customerId,
    workOrderId: c.workOrderId,
    subject: c.subject,
    description: c.description,
    openedAt: toDate(c.openedAt),
    investigatedAt: toDateOrNull(c.investigatedAt),
    findings: c.findings,
    outcome: c.outcome,
    closedAt: toDateOrNull(c.closedAt),
    handlingScore: c.handlingScore,
  };
}

export interface ComplaintFilter {
  readonly customerId?: string | undefined;
  readonly workOrderId?: string | undefined;
  readonly open?: boolean | undefined;
  readonly limit: number;
  readonly offset: number;
}

/** The `complaints` table. */
@Injectable()
export class ComplaintRepository {
  async insert(db: DbExecutor, complaint: Complaint): Promise<StoredComplaint> {
    const rows = await db
      .insert(complaints)
      .values({ id: complaint.id, ...columnsOf(complaint), version: 1 })
      .returning();
    return toStored(rows[0]!);
  }

  async find(db: DbExecutor, id: string, lock = false): Promise<StoredComplaint | undefined> {
    const query = db.select().from(complaints).where(eq(complaints.id, id)).limit(1);
    const rows = lock ? await query.for('update') : await query;
    return rows[0] && toStored(rows[0]);
  }

  async list(db: DbExecutor, filter: ComplaintFilter): Promise<StoredComplaint[]> {
    const where: SQL[] = [];
    if (filter.customerId !== undefined) where.push(eq(complaints.customerId, filter.customerId));
    if (filter.workOrderId !== undefined) where.push(eq(complaints.workOrderId, filter.workOrderId));
    if (filter.open === true) where.push(isNull(complaints.closedAt));
    if (filter.open === false) where.push(sql`${complaints.closedAt} is not null`);
    const rows = await db
      .select()
      .from(complaints)
      .where(and(...where))
      .orderBy(desc(complaints.openedAt), asc(complaints.id))
      .limit(filter.limit)
      .offset(filter.offset);
    return rows.map(toStored);
  }

  /** Writes a changed complaint if its version is still `expectedVersion`. */
  async update(db: DbExecutor, complaint: Complaint, expectedVersion: number): Promise<StoredComplaint | undefined> {
    const rows = await db
      .update(complaints)
      .set({ ...columnsOf(complaint), version: expectedVersion + 1 })
      .where(and(eq(complaints.id, complaint.id), eq(complaints.version, expectedVersion)))
      .returning();
    return rows[0] && toStored(rows[0]);
  }

  /** Complaints not investigated, opened before `openedBefore`, not yet reported overdue. */
  async overdueUnreported(db: DbExecutor, openedBefore: number, limit: number): Promise<StoredComplaint[]> {
    const rows = await db
      .select()
      .from(complaints)
      .where(
        and(
          isNull(complaints.investigatedAt),
          isNull(complaints.overdueNotifiedAt),
          lt(complaints.openedAt, toDate(openedBefore)),
        ),
      )
      .orderBy(asc(complaints.openedAt))
      .limit(limit);
    return rows.map(toStored);
  }

  /** Marks the overdue report done (once per complaint: the condition makes a second sweep a no-op). */
  async markOverdueNotified(db: DbExecutor, id: string, now: number): Promise<boolean> {
    const rows = await db
      .update(complaints)
      .set({ overdueNotifiedAt: toDate(now) })
      .where(and(eq(complaints.id, id), isNull(complaints.overdueNotifiedAt), isNull(complaints.investigatedAt)))
      .returning({ id: complaints.id });
    return rows.length > 0;
  }

  /** KPI rows: complaints opened in [from, to). */
  async openedBetween(db: DbExecutor, from: number, to: number): Promise<ComplaintRow[]> {
    return db
      .select()
      .from(complaints)
      .where(and(gte(complaints.openedAt, toDate(from)), lt(complaints.openedAt, toDate(to))));
  }
}
