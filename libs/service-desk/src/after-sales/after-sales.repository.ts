import { Injectable } from '@nestjs/common';
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import { FOLLOW_UP_KINDS, type Actor, type Comment, type FollowUp, type Survey } from '../domain/index.js';
import { storedEnum } from '../shared/stored-enum.js';
import { toDate, toDateOrNull, toMs, toMsOrNull } from '../shared/time.js';
import { acceptances, comments, followUps, surveys } from './after-sales.tables.js';

export interface AcceptanceRecord {
  readonly id: string;
  readonly workOrderId: string;
  readonly verdict: 'accepted' | 'rejected';
  readonly signedBy: string | null;
  readonly signatureRef: string | null;
  readonly reason: string | null;
  readonly at: number;
  readonly actor: Actor;
}

/** Acceptances, surveys, follow-ups and comments of work orders. */
@Injectable()
export class AfterSalesRepository {
  async insertAcceptance(db: DbExecutor, record: AcceptanceRecord): Promise<void> {
    await db.insert(acceptances).values({ ...record, at: toDate(record.at) });
  }

  async acceptancesOf(db: DbExecutor, workOrderId: string): Promise<AcceptanceRecord[]> {
    const rows = await db
      .select()
      .from(acceptances)
      .where(eq(acceptances.workOrderId, workOrderId))
      .orderBy(asc(acceptances.at), asc(acceptances.id));
    return rows.map((r) => ({
      ...r,
      verdict: storedEnum(['accepted', 'rejected'] as const, r.verdict, 'work_order_acceptances.verdict'),
      at: toMs(r.at),
      actor: r.actor,
    }));
  }

  async insertSurvey(db: DbExecutor, survey: Survey, by: Actor): Promise<void> {
    await db.insert(surveys).values({ ...survey, submittedAt: toDate(survey.submittedAt), submittedBy: by });
  }

  async surveyOf(db: DbExecutor, workOrderId: string): Promise<Survey | undefined> {
    const rows = await db.select().from(surveys).where(eq(surveys.workOrderId, workOrderId)).limit(1);
    const r = rows[0];
    return (
      r && {
        workOrderId: r.workOrderId,
        score: r.score,
        wouldRecommend: r.wouldRecommend,
        comment: r.comment,
        submittedAt: toMs(r.submittedAt),
      }
    );
  }

  async insertFollowUp(db: DbExecutor, followUp: FollowUp, now: number): Promise<void> {
    await db.insert(followUps).values({
      ...followUp,
      dueAt: toDate(followUp.dueAt),
      doneAt: toDateOrNull(followUp.doneAt),
      createdAt: toDate(now),
    });
  }

  async followUpsOf(db: DbExecutor, workOrderId: string): Promise<FollowUp[]> {
    const rows = await db
      .select()
      .from(followUps)
      .where(eq(followUps.workOrderId, workOrderId))
      .orderBy(asc(followUps.dueAt), asc(followUps.id));
    return rows.map(toFollowUp);
  }

  async findFollowUp(db: DbExecutor, workOrderId: string, id: string): Promise<FollowUp | undefined> {
    const rows = await db
      .select()
      .from(followUps)
      .where(and(eq(followUps.workOrderId, workOrderId), eq(followUps.id, id)))
      .limit(1);
    return rows[0] && toFollowUp(rows[0]);
  }

  async completeFollowUp(db: DbExecutor, id: string, doneAt: number, outcome: string | null): Promise<void> {
    await db
      .update(followUps)
      .set({ doneAt: toDate(doneAt), outcome })
      .where(eq(followUps.id, id));
  }

  /** Follow-ups due in [from, to), not done: a planner's call list. */
  async dueFollowUps(db: DbExecutor, from: number, to: number): Promise<FollowUp[]> {
    const rows = await db
      .select()
      .from(followUps)
      .where(and(gte(followUps.dueAt, toDate(from)), lt(followUps.dueAt, toDate(to))))
      .orderBy(asc(followUps.dueAt));
    return rows.map(toFollowUp).filter((f) => f.doneAt === null);
  }

  async insertComment(db: DbExecutor, comment: Comment): Promise<void> {
    await db.insert(comments).values({ ...comment, at: toDate(comment.at) });
  }

  async commentsOf(db: DbExecutor, workOrderId: string): Promise<Comment[]> {
    const rows = await db
      .select()
      .from(comments)
      .where(eq(comments.workOrderId, workOrderId))
      .orderBy(asc(comments.at), asc(comments.id));
    return rows.map((r) => ({ ...r, author: r.author, at: toMs(r.at) }));
  }
}

function toFollowUp(r: typeof followUps.$inferSelect): FollowUp {
  return {
    id: r.id,
    workOrderId: r.workOrderId,
    kind: storedEnum(FOLLOW_UP_KINDS, r.kind, 'work_order_follow_ups.kind'),
    dueAt: toMs(r.dueAt),
    doneAt: toMsOrNull(r.doneAt),
    outcome: r.outcome,
  };
}
