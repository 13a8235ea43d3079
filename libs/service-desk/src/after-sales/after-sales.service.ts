import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Principal } from '#contracts';
import { Clock } from '#platform';
import {
  actorFromPrincipal,
  commentVisibleTo,
  newComment,
  recordSurvey,
  surveyRefusal,
  type Comment,
  type CommentInput,
  type FollowUp,
  type SurveyInput,
} from '../domain/index.js';
import type { WorkOrderRef } from '../shared/id-params.js';
import { conflict, domainHttpError, forbidden, invalidField, notFound } from '../shared/http-errors.js';
import { iso, isoOrNull } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import { WorkOrderAccess } from '../work-orders/work-order-access.js';
import { WorkOrderRecorder } from '../work-orders/work-order-recorder.js';
import type { CommentView, FollowUpCreate, FollowUpDone, FollowUpView, SurveyView } from './after-sales.api.js';
import { AfterSalesRepository } from './after-sales.repository.js';

const followUpView = (f: FollowUp): FollowUpView => ({ ...f, dueAt: iso(f.dueAt), doneAt: isoOrNull(f.doneAt) });
const commentView = (c: Comment): CommentView => ({ ...c, at: iso(c.at) });

/** Surveys, follow-ups and comments of work orders. */
@Injectable()
export class AfterSalesService {
  constructor(
    private readonly tx: Transactions,
    private readonly access: WorkOrderAccess,
    private readonly recorder: WorkOrderRecorder,
    private readonly afterSales: AfterSalesRepository,
    private readonly clock: Clock,
  ) {}

  /** The customer's rating, once, after acceptance (staff may record a phone survey on its behalf). */
  async submitSurvey(principal: Principal, ref: WorkOrderRef, input: SurveyInput): Promise<SurveyView> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.access.load(tx, principal, ref, true);
      const actor = actorFromPrincipal(principal);
      const already = (await this.afterSales.surveyOf(tx, stored.workOrder.id)) !== undefined;
      const refusal = surveyRefusal(stored.workOrder, actor, already);
      if (refusal !== null) throw domainHttpError(refusal);
      const survey = recordSurvey(stored.workOrder, input, now);
      await this.afterSales.insertSurvey(tx, survey, actor);
      const after = await this.recorder.recordChange(tx, stored, actor, now, {
        kind: 'survey_recorded',
        data: { score: survey.score, wouldRecommend: survey.wouldRecommend },
        event: 'work_order.survey_recorded',
      });
      return { ...survey, submittedAt: iso(now), workOrderVersion: after.workOrder.version };
    });
  }

  async survey(principal: Principal, ref: WorkOrderRef): Promise<SurveyView> {
    const stored = await this.access.load(this.tx.db, principal, ref);
    const survey = await this.afterSales.surveyOf(this.tx.db, stored.workOrder.id);
    if (survey === undefined) throw notFound('survey of work order', stored.workOrder.number);
    return { ...survey, submittedAt: iso(survey.submittedAt) };
  }

  async followUps(principal: Principal, ref: WorkOrderRef): Promise<FollowUpView[]> {
    const stored = await this.access.load(this.tx.db, principal, ref);
    return (await this.afterSales.followUpsOf(this.tx.db, stored.workOrder.id)).map(followUpView);
  }

  /** An extra call or visit, after closure (those of the policy are scheduled at closure by themselves). */
  async scheduleFollowUp(principal: Principal, ref: WorkOrderRef, body: FollowUpCreate): Promise<FollowUpView> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.access.load(tx, principal, ref, true);
      const wo = stored.workOrder;
      if (wo.status !== 'closed')
        throw conflict(`work order ${wo.number} is ${wo.status}: follow-ups come after closure`);
      const dueAt = Date.parse(body.dueAt);
      if (wo.milestones.closedAt !== null && dueAt < wo.milestones.closedAt) {
        throw invalidField('dueAt', 'a follow-up is due after the closure');
      }
      const followUp: FollowUp = {
        id: randomUUID(),
        workOrderId: wo.id,
        kind: body.kind,
        dueAt,
        doneAt: null,
        outcome: null,
      };
      await this.afterSales.insertFollowUp(tx, followUp, now);
      await this.recorder.recordChange(tx, stored, actorFromPrincipal(principal), now, {
        kind: 'follow_up_scheduled',
        data: { followUpId: followUp.id, followUpKind: followUp.kind, dueAt: iso(dueAt) },
        event: 'work_order.follow_up_scheduled',
      });
      return followUpView(followUp);
    });
  }

  async completeFollowUp(
    principal: Principal,
    ref: WorkOrderRef,
    followUpId: string,
    body: FollowUpDone,
  ): Promise<FollowUpView> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.access.load(tx, principal, ref, true);
      const followUp = await this.afterSales.findFollowUp(tx, stored.workOrder.id, followUpId);
      if (followUp === undefined) throw notFound('follow-up', followUpId);
      if (followUp.doneAt !== null) throw conflict(`follow-up ${followUpId} is already done`);
      const outcome = body.outcome ?? null;
      await this.afterSales.completeFollowUp(tx, followUpId, now, outcome);
      await this.recorder.recordChange(tx, stored, actorFromPrincipal(principal), now, {
        kind: 'follow_up_done',
        data: { followUpId, followUpKind: followUp.kind, outcome },
        event: 'work_order.follow_up_done',
      });
      return followUpView({ ...followUp, doneAt: now, outcome });
    });
  }

  async comments(principal: Principal, ref: WorkOrderRef): Promise<CommentView[]> {
    const stored = await this.access.load(this.tx.db, principal, ref);
    const actor = actorFromPrincipal(principal);
    const all = await this.afterSales.commentsOf(this.tx.db, stored.workOrder.id);
    return all.filter((c) => commentVisibleTo(c, actor)).map(commentView);
  }

  /** A comment; internal notes (staff only) are hidden from the customer, in the list and in the events. */
  async addComment(principal: Principal, ref: WorkOrderRef, input: CommentInput): Promise<CommentView> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.access.load(tx, principal, ref, true);
      const actor = actorFromPrincipal(principal);
      if (principal.role === 'customer' && input.internal) throw forbidden('a customer cannot write internal notes');
      const comment = newComment(randomUUID(), stored.workOrder.id, actor, input, now);
      await this.afterSales.insertComment(tx, comment);
      await this.recorder.recordChange(tx, stored, actor, now, {
        kind: 'comment_added',
        data: { commentId: comment.id, internal: comment.internal },
        event: 'work_order.comment_added',
        internal: comment.internal,
      });
      return commentView(comment);
    });
  }
}
