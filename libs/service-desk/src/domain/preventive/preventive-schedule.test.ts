import { describe, expect, it } from 'vitest';
import { ACTOR, CONTEXT, ID, T0 } from '../test/fixtures.js';
import { openWorkOrder } from '../work-order/open-work-order.js';
import { NO_PROGRESS, PreventivePlanSchema, type PlanProgress, type PreventivePlan } from './preventive-plan.schema.js';
import {
  nextDueDate,
  occurrenceToOpen,
  occurrenceToOpenAt,
  preventiveWorkOrderInput,
  progressAfterCompletion,
  progressAfterOpening,
  scheduledDueDate,
} from './preventive-schedule.js';

const plan = (overrides: Partial<PreventivePlan>): PreventivePlan =>
  PreventivePlanSchema.parse({
    id: '00000000-0000-4000-8000-0000000000f1',
    assetId: ID.asset,
    title: 'DFT survey',
    every: 30,
    unit: 'days',
    anchor: 'schedule',
    startDate: '2026-01-15',
    leadDays: 7,
    ...overrides,
  });
const progress = (overrides: Partial<PlanProgress>): PlanProgress => ({ ...NO_PROGRESS, ...overrides });

describe('fixed schedule', () => {
  it('starts at the start date, then every N days', () => {
    const p = plan({});
    expect(nextDueDate(p, NO_PROGRESS)).toBe('2026-01-15');
    expect(nextDueDate(p, progress({ lastDueDate: '2026-01-15' }))).toBe('2026-02-14');
    expect(nextDueDate(p, progress({ lastDueDate: '2026-02-14', lastCompletedDate: '2026-03-01' }))).toBe('2026-03-16');
  });

  it('adds months from the start date, so the 31st clamps without drifting', () => {
    const monthly = plan({ every: 1, unit: 'months', startDate: '2026-01-31' });
    expect([0, 1, 2, 3].map((k) => scheduledDueDate(monthly, k))).toEqual([
      '2026-01-31',
      '2026-02-28',
      '2026-03-31',
      '2026-04-30',
    ]);
    expect(nextDueDate(monthly, progress({ lastDueDate: '2026-02-28' }))).toBe('2026-03-31');
    const quarterly = plan({ every: 3, unit: 'months', startDate: '2026-11-30' });
    expect(nextDueDate(quarterly, progress({ lastDueDate: '2026-11-30' }))).toBe('2027-02-28');
    expect(nextDueDate(quarterly, progress({ lastDueDate: '2027-02-28' }))).toBe('2027-05-30');
  });

  it('opens the occurrence leadDays before it is due, not earlier', () => {
    const p = plan({});
    const state = progress({ lastDueDate: '2026-01-15' });
    expect(occurrenceToOpen(p, state, '2026-02-06')).toBeNull();
    expect(occurrenceToOpen(p, state, '2026-02-07')).toEqual({
      dueDate: '2026-02-14',
      openOn: '2026-02-07',
      skipped: [],
    });
  });

  it('keeps to the grid even while the previous visit is open', () => {
    const state = progress({ lastDueDate: '2026-01-15', occurrenceOpen: true });
    expect(occurrenceToOpen(plan({}), state, '2026-02-07')?.dueDate).toBe('2026-02-14');
  });

  it('after downtime opens only the latest visit due to open, reporting the superseded ones', () => {
    const monthly = plan({ every: 1, unit: 'months', startDate: '2026-01-01' });
    // Grid Feb 1 (opens Jan 25), Mar 1 (Feb 22), Apr 1 (Mar 25), May 1 (Apr 24). Today Mar 28.
    expect(occurrenceToOpen(monthly, progress({ lastDueDate: '2026-01-01' }), '2026-03-28')).toEqual({
      dueDate: '2026-04-01',
      openOn: '2026-03-25',
      skipped: ['2026-02-01', '2026-03-01'],
    });
  });
});

describe('anchored on the last completion', () => {
  const p = plan({ anchor: 'last_completion', every: 90, startDate: '2026-01-10' });

  it('opens the first visit at the start date, then waits for its completion', () => {
    expect(nextDueDate(p, NO_PROGRESS)).toBe('2026-01-10');
    expect(nextDueDate(p, progress({ lastDueDate: '2026-01-10', occurrenceOpen: true }))).toBeNull();
    expect(occurrenceToOpen(p, progress({ lastDueDate: '2026-01-10', occurrenceOpen: true }), '2026-12-31')).toBeNull();
  });

  it('is due N days after the completion: Jan 20 + 90 days = Apr 20', () => {
    const done = progress({ lastDueDate: '2026-01-10', lastCompletedDate: '2026-01-20' });
    expect(nextDueDate(p, done)).toBe('2026-04-20');
    expect(occurrenceToOpen(p, done, '2026-04-13')).toEqual({
      dueDate: '2026-04-20',
      openOn: '2026-04-13',
      skipped: [],
    });
    expect(occurrenceToOpen(p, done, '2026-04-12')).toBeNull();
  });

  it('counts months from the completion date too', () => {
    const monthly = plan({ anchor: 'last_completion', every: 1, unit: 'months' });
    expect(nextDueDate(monthly, progress({ lastDueDate: '2026-01-15', lastCompletedDate: '2026-01-31' }))).toBe(
      '2026-02-28',
    );
  });
});

describe('plan lifecycle', () => {
  it('moves progress through opening and completion', () => {
    const p = plan({ anchor: 'last_completion' });
    const first = occurrenceToOpen(p, NO_PROGRESS, '2026-01-08');
    expect(first).toEqual({ dueDate: '2026-01-15', openOn: '2026-01-08', skipped: [] });
    const opened = progressAfterOpening(NO_PROGRESS, first!);
    expect(opened).toEqual({ lastDueDate: '2026-01-15', lastCompletedDate: null, occurrenceOpen: true });
    const completed = progressAfterCompletion(opened, '2026-01-16');
    expect(nextDueDate(p, completed)).toBe('2026-02-15');
  });

  it('opens nothing for an inactive plan', () => {
    expect(occurrenceToOpen(plan({ active: false }), NO_PROGRESS, '2026-06-01')).toBeNull();
  });

  it('judges "today" in the service time zone', () => {
    // 2026-01-07 20:00 UTC is already Jan 8 in Shanghai: the first visit (due Jan 15, lead 7) opens there.
    const instant = Date.parse('2026-01-07T20:00:00Z');
    expect(occurrenceToOpenAt(plan({}), NO_PROGRESS, instant, 'UTC')).toBeNull();
    expect(occurrenceToOpenAt(plan({}), NO_PROGRESS, instant, 'Asia/Shanghai')?.dueDate).toBe('2026-01-15');
  });

  it('opens a preventive work order for the occurrence', () => {
    const p = plan({ priority: 'P3', faultCategory: 'coating_damage' });
    const occurrence = occurrenceToOpen(p, NO_PROGRESS, '2026-01-08')!;
    const result = openWorkOrder(
      preventiveWorkOrderInput(p, { customerId: ID.customer, region: 'north' }, occurrence),
      { id: ID.workOrder, number: 'WO-2026-000007' },
      ACTOR.system,
      T0,
      CONTEXT,
    );
    expect(result.ok && result.workOrder).toMatchObject({
      source: 'preventive_plan',
      title: 'DFT survey (due 2026-01-15)',
      priority: 'P3',
      faultCategory: 'coating_damage',
      region: 'north',
      customerReportedAt: null,
    });
  });

  it('refuses a lead time as long as the interval, naming the field', () => {
    const bad = PreventivePlanSchema.safeParse({ ...plan({}), every: 7, leadDays: 7 });
    expect(bad.error?.issues[0]?.path).toEqual(['leadDays']);
  });
});
