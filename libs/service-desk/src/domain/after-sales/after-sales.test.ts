import { describe, expect, it } from 'vitest';
import { ACTOR, H, ID, T0, workOrderIn } from '../test/fixtures.js';
import { commentVisibleTo, newComment } from './comment.js';
import {
  closeComplaint,
  complaintInvestigationDueAt,
  investigateComplaint,
  isComplaintOverdue,
  openComplaint,
  rateComplaintHandling,
} from './complaint-rules.js';
import { ComplaintInputSchema, ComplaintSchema } from './complaint.schema.js';
import { planFollowUps } from './follow-up.js';
import { recordSurvey, surveyRefusal } from './survey-rules.js';
import { SurveyInputSchema, SurveySchema } from './survey.schema.js';

const DAY = 24 * H;

describe('survey', () => {
  it('is taken after acceptance, once, by the owner or staff', () => {
    expect(surveyRefusal(workOrderIn('accepted'), ACTOR.customer, false)).toBeNull();
    expect(surveyRefusal(workOrderIn('closed'), ACTOR.planner, false)).toBeNull();
    expect(surveyRefusal(workOrderIn('resolved'), ACTOR.customer, false)?.code).toBe('conflict');
    expect(surveyRefusal(workOrderIn('closed'), ACTOR.customer, true)?.code).toBe('conflict');
    expect(surveyRefusal(workOrderIn('closed'), ACTOR.otherCustomer, false)?.code).toBe('forbidden');
    expect(surveyRefusal(workOrderIn('closed'), ACTOR.technicianA, false)?.code).toBe('forbidden');
  });

  it('records a valid survey', () => {
    const input = SurveyInputSchema.parse({ score: 5, wouldRecommend: true });
    const survey = recordSurvey(workOrderIn('closed'), input, T0);
    expect(SurveySchema.parse(survey)).toEqual({
      score: 5,
      wouldRecommend: true,
      comment: null,
      workOrderId: ID.workOrder,
      submittedAt: T0,
    });
    expect(SurveyInputSchema.safeParse({ score: 6, wouldRecommend: true }).error?.issues[0]?.path).toEqual(['score']);
  });
});

describe('complaints', () => {
  const opened = openComplaint(
    '00000000-0000-4000-8000-0000000000e1',
    ID.customer,
    ComplaintInputSchema.parse({ subject: 'technician late', workOrderId: ID.workOrder }),
    T0,
  );

  it('must be investigated within 24 h', () => {
    expect(ComplaintSchema.parse(opened)).toEqual(opened);
    expect(complaintInvestigationDueAt(opened)).toBe(T0 + DAY);
    expect(isComplaintOverdue(opened, T0 + DAY)).toBe(false);
    expect(isComplaintOverdue(opened, T0 + DAY + 1)).toBe(true);
  });

  it('goes investigated -> closed -> rated, each once and in order', () => {
    expect(closeComplaint(opened, T0 + H)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const investigated = investigateComplaint(
      opened,
      { findings: 'traffic accident on route', outcome: 'partially_upheld' },
      T0 + 6 * H,
    );
    if (!investigated.ok) throw new Error(investigated.error.message);
    expect(isComplaintOverdue(investigated.complaint, T0 + 2 * DAY)).toBe(false);
    expect(investigateComplaint(investigated.complaint, { findings: 'again', outcome: 'upheld' }, T0 + 7 * H).ok).toBe(
      false,
    );
    expect(rateComplaintHandling(investigated.complaint, 4).ok).toBe(false);
    const closed = closeComplaint(investigated.complaint, T0 + 8 * H);
    if (!closed.ok) throw new Error(closed.error.message);
    expect(closeComplaint(closed.complaint, T0 + 9 * H).ok).toBe(false);
    expect(rateComplaintHandling(closed.complaint, 0)).toMatchObject({ ok: false, error: { field: 'handlingScore' } });
    const rated = rateComplaintHandling(closed.complaint, 4);
    expect(rated.ok && rated.complaint).toMatchObject({
      investigatedAt: T0 + 6 * H,
      outcome: 'partially_upheld',
      closedAt: T0 + 8 * H,
      handlingScore: 4,
    });
    expect(rated.ok && rateComplaintHandling(rated.complaint, 5).ok).toBe(false);
  });
});

describe('follow-ups', () => {
  it('are planned after closure only', () => {
    const closed = { ...workOrderIn('closed'), milestones: { ...workOrderIn('closed').milestones, closedAt: T0 } };
    expect(planFollowUps(closed)).toEqual({ ok: true, followUps: [{ kind: 'call', dueAt: T0 + 7 * DAY }] });
    expect(planFollowUps(closed, [{ kind: 'visit', afterDays: 90 }])).toEqual({
      ok: true,
      followUps: [{ kind: 'visit', dueAt: T0 + 90 * DAY }],
    });
    expect(planFollowUps(workOrderIn('accepted'))).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

describe('comments', () => {
  it('hides internal notes from the customer, and never makes a customer comment internal', () => {
    const note = newComment(
      '00000000-0000-4000-8000-0000000000f9',
      ID.workOrder,
      ACTOR.planner,
      { body: 'customer is touchy', internal: true },
      T0,
    );
    expect(commentVisibleTo(note, ACTOR.customer)).toBe(false);
    expect(commentVisibleTo(note, ACTOR.technicianA)).toBe(true);
    const fromCustomer = newComment(
      '00000000-0000-4000-8000-0000000000fa',
      ID.workOrder,
      ACTOR.customer,
      { body: 'thanks', internal: true },
      T0,
    );
    expect(fromCustomer.internal).toBe(false);
  });
});
