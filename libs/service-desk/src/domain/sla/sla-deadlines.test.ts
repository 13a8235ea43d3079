import { describe, expect, it } from 'vitest';
import { CONTEXT, H, M, OFFICE, openedWorkOrder, SHANGHAI, T0, move } from '../test/fixtures.js';
import type { LifecycleContext } from '../work-order/lifecycle-context.js';
import { computeDeadlines, deriveDeadlines, targetDueAt } from './sla-deadlines.js';
import { DEFAULT_SLA_POLICY, resolveSlaTargets, SlaPolicySchema, type SlaPolicy } from './sla-policy.schema.js';

const at = (iso: string): number => Date.parse(iso);

describe('default SLA policy', () => {
  it('is a valid policy', () => {
    expect(SlaPolicySchema.parse(DEFAULT_SLA_POLICY)).toEqual(DEFAULT_SLA_POLICY);
  });

  it('P1 (Monday 09:00): answer 09:30, on site 11:00, resolved next day 09:00, all wall clock', () => {
    expect(computeDeadlines(T0, DEFAULT_SLA_POLICY.priorities.P1, OFFICE)).toEqual({
      firstResponse: at('2026-03-02T09:30:00Z'),
      onSite: at('2026-03-02T11:00:00Z'),
      resolution: at('2026-03-03T09:00:00Z'),
    });
  });

  it('P1 on Saturday 22:00: on site by Sunday 00:00, nights and weekends count', () => {
    expect(computeDeadlines(at('2026-03-07T22:00:00Z'), DEFAULT_SLA_POLICY.priorities.P1, OFFICE).onSite).toBe(
      at('2026-03-08T00:00:00Z'),
    );
  });

  it('P2: answered within 4 h, on site within 24 h, resolved within 48 h', () => {
    expect(computeDeadlines(T0, DEFAULT_SLA_POLICY.priorities.P2, OFFICE)).toEqual({
      firstResponse: at('2026-03-02T13:00:00Z'),
      onSite: at('2026-03-03T09:00:00Z'),
      resolution: at('2026-03-04T09:00:00Z'),
    });
  });

  it('P3 on Friday 16:00: answer within 24 h and solution within 48 h run through the weekend; no on-site clock', () => {
    expect(computeDeadlines(at('2026-03-06T16:00:00Z'), DEFAULT_SLA_POLICY.priorities.P3, OFFICE)).toEqual({
      firstResponse: at('2026-03-07T16:00:00Z'),
      onSite: null,
      resolution: at('2026-03-08T16:00:00Z'),
    });
  });

  it('P4 on Friday 16:00: 7 working days = Mon 9, Tue 10, ..., Tue 17 at close of business', () => {
    expect(computeDeadlines(at('2026-03-06T16:00:00Z'), DEFAULT_SLA_POLICY.priorities.P4, OFFICE).resolution).toBe(
      at('2026-03-17T17:00:00Z'),
    );
  });

  it('P4 over Christmas: Thu 24 (1), Fri 25 off, Mon 28 (2) ... Fri Jan 1 (6), Mon Jan 4 (7)', () => {
    expect(computeDeadlines(at('2026-12-23T10:00:00Z'), DEFAULT_SLA_POLICY.priorities.P4, OFFICE).resolution).toBe(
      at('2027-01-04T17:00:00Z'),
    );
  });
});

describe('configurable targets', () => {
  it('counts business hours across a night and a weekend', () => {
    // Friday 15:00 + 8 business hours: 2 h on Friday, 6 h on Monday from 08:00.
    expect(targetDueAt(at('2026-03-06T15:00:00Z'), { basis: 'business_hours', hours: 8 }, OFFICE)).toBe(
      at('2026-03-09T14:00:00Z'),
    );
  });

  it('applies a fault-category override on top of the priority targets', () => {
    const policy: SlaPolicy = SlaPolicySchema.parse({
      ...DEFAULT_SLA_POLICY,
      categoryOverrides: { repair_return: { resolution: { basis: 'business_days', days: 7 }, onSite: null } },
    });
    expect(resolveSlaTargets(policy, 'P3', 'repair_return')).toEqual({
      firstResponse: { basis: 'wall_clock', hours: 24 },
      onSite: null,
      resolution: { basis: 'business_days', days: 7 },
    });
    expect(resolveSlaTargets(policy, 'P3', 'coating_damage')).toBe(policy.priorities.P3);
    expect(resolveSlaTargets(policy, 'P3', null)).toBe(policy.priorities.P3);
  });

  it('sets the deadlines of a new work order at creation', () => {
    const wo = openedWorkOrder({ priority: 'P1' });
    expect(wo.sla).toEqual({
      priority: 'P1',
      targets: DEFAULT_SLA_POLICY.priorities.P1,
      pausingHoldReasons: ['waiting_on_customer'],
      due: { firstResponse: T0 + 30 * M, onSite: T0 + 2 * H, resolution: T0 + 24 * H },
      escalated: [],
    });
  });

  it('recomputes the deadlines from creation when triage changes the priority', () => {
    const wo = move(openedWorkOrder({ priority: 'P3' }), { to: 'triaged', priority: 'P1' }, T0 + 20 * M);
    expect(wo.priority).toBe('P1');
    expect(wo.sla.priority).toBe('P1');
    expect(wo.sla.due).toEqual({ firstResponse: T0 + 30 * M, onSite: T0 + 2 * H, resolution: T0 + 24 * H });
  });

  it('keeps the snapshotted targets when the policy changes later', () => {
    const wo = openedWorkOrder({ priority: 'P3' });
    const stricter: LifecycleContext = {
      ...CONTEXT,
      slaPolicy: {
        ...DEFAULT_SLA_POLICY,
        priorities: { ...DEFAULT_SLA_POLICY.priorities, P3: DEFAULT_SLA_POLICY.priorities.P1 },
      },
    };
    const held = move(wo, { to: 'on_hold', reason: 'waiting_on_customer' }, T0 + H, stricter);
    const resumed = move(held, { to: 'new' }, T0 + 2 * H, stricter);
    expect(resumed.sla.targets).toEqual(DEFAULT_SLA_POLICY.priorities.P3);
    expect(resumed.sla.due.resolution).toBe(T0 + 48 * H + H);
  });
});

describe('pausing while on hold', () => {
  it('pushes wall-clock deadlines out by the paused time when waiting on the customer', () => {
    // P3 Monday 09:00: response due Tue 09:00, resolution due Wed 09:00.
    let wo = openedWorkOrder({ priority: 'P3' });
    wo = move(wo, { to: 'triaged' }, T0 + 30 * M);
    wo = move(wo, { to: 'on_hold', reason: 'waiting_on_customer' }, T0 + H); // Mon 10:00
    expect(wo.sla.due.resolution).toBe(at('2026-03-04T09:00:00Z')); // unchanged while the hold lasts
    wo = move(wo, { to: 'triaged' }, T0 + 25 * H); // resumed Tue 10:00: 24 h paused
    expect(wo.sla.due).toEqual({
      firstResponse: at('2026-03-03T09:00:00Z') + 24 * H,
      onSite: null,
      resolution: at('2026-03-05T09:00:00Z'),
    });
  });

  it('does not pause for reasons outside the policy (waiting on parts is our delay)', () => {
    let wo = openedWorkOrder({ priority: 'P3' });
    wo = move(wo, { to: 'on_hold', reason: 'waiting_on_parts' }, T0 + H);
    wo = move(wo, { to: 'new' }, T0 + 25 * H);
    expect(wo.sla.due.resolution).toBe(at('2026-03-04T09:00:00Z'));
  });

  it('pushes a working-day deadline by the business time the pause covered', () => {
    // P4 Monday 10:00: due Wed 11th 17:00 (Tue 3 .. Wed 11 = 7 working days).
    let wo = openedWorkOrder({ priority: 'P4' }, at('2026-03-02T10:00:00Z'));
    expect(wo.sla.due.resolution).toBe(at('2026-03-11T17:00:00Z'));
    wo = move(wo, { to: 'triaged' }, at('2026-03-02T10:30:00Z'));
    // Paused Mon 16:00 -> Wed 09:00: 1 h (Mon) + 9 h (Tue) + 1 h (Wed) = 11 business hours.
    wo = move(wo, { to: 'on_hold', reason: 'waiting_on_customer' }, at('2026-03-02T16:00:00Z'));
    wo = move(wo, { to: 'triaged' }, at('2026-03-04T09:00:00Z'));
    // Wed 11th 17:00 + 11 h: 9 h on Thu 12th, 2 h on Fri 13th -> 10:00.
    expect(wo.sla.due.resolution).toBe(at('2026-03-13T10:00:00Z'));
    // The 24 h wall-clock response clock moved by the 41 elapsed hours.
    expect(wo.sla.due.firstResponse).toBe(at('2026-03-03T10:00:00Z') + 41 * H);
  });

  it('gives a business clock nothing for a pause over a weekend, a wall clock all of it', () => {
    let wo = openedWorkOrder({ priority: 'P4' }, at('2026-03-02T10:00:00Z'));
    wo = move(wo, { to: 'triaged' }, at('2026-03-02T11:00:00Z'));
    wo = move(wo, { to: 'on_hold', reason: 'waiting_on_customer' }, at('2026-03-06T17:00:00Z')); // Fri close
    wo = move(wo, { to: 'triaged' }, at('2026-03-09T08:00:00Z')); // Mon open: 63 h, 0 business
    expect(wo.sla.due.resolution).toBe(at('2026-03-11T17:00:00Z'));
    expect(wo.sla.due.firstResponse).toBe(at('2026-03-03T10:00:00Z') + 63 * H);
  });

  it('adds up several pauses, and derives the same from the hold log alone', () => {
    let wo = openedWorkOrder({ priority: 'P1' });
    wo = move(wo, { to: 'triaged' }, T0 + 10 * M);
    wo = move(wo, { to: 'on_hold', reason: 'waiting_on_customer' }, T0 + 20 * M);
    wo = move(wo, { to: 'triaged' }, T0 + 50 * M); // 30 min
    wo = move(wo, { to: 'assigned', technicianId: '00000000-0000-4000-8000-0000000000d1' }, T0 + 55 * M);
    wo = move(wo, { to: 'on_hold', reason: 'waiting_on_customer' }, T0 + H);
    wo = move(wo, { to: 'assigned' }, T0 + 2 * H); // 60 min
    expect(wo.sla.due.onSite).toBe(T0 + 2 * H + 90 * M);
    expect(deriveDeadlines({ ...wo.sla, createdAt: wo.createdAt, holds: wo.holds }, OFFICE)).toEqual(wo.sla.due);
  });
});

describe('in Shanghai (UTC+8, no DST) over National Day', () => {
  const shanghai: LifecycleContext = { ...CONTEXT, calendar: SHANGHAI };

  it('counts 7 working days past the holiday week and onto the worked Saturday', () => {
    // Opened Tue Sep 29: Sep 30 (1), Oct 1-7 off, Oct 8 (2), Oct 9 (3), Sat Oct 10 (4), Oct 12 (5), 13 (6), 14 (7).
    const wo = openedWorkOrder({ priority: 'P4' }, at('2026-09-29T10:00:00+08:00'), shanghai);
    expect(wo.sla.due.resolution).toBe(at('2026-10-14T18:00:00+08:00'));
  });

  it('keeps P1 on the wall clock through the holiday night', () => {
    const wo = openedWorkOrder({ priority: 'P1' }, at('2026-10-01T23:00:00+08:00'), shanghai);
    expect(wo.sla.due.onSite).toBe(at('2026-10-02T01:00:00+08:00'));
  });

  it('pushes the working-day deadline by the working time of a pause spanning the holidays', () => {
    let wo = openedWorkOrder({ priority: 'P4' }, at('2026-09-29T10:00:00+08:00'), shanghai);
    wo = move(wo, { to: 'triaged' }, at('2026-09-29T10:30:00+08:00'), shanghai);
    wo = move(wo, { to: 'on_hold', reason: 'waiting_on_customer' }, at('2026-09-30T17:00:00+08:00'), shanghai);
    wo = move(wo, { to: 'triaged' }, at('2026-10-08T10:00:00+08:00'), shanghai);
    // Paused business time: Sep 30 17:00-18:00 + Oct 8 09:00-10:00 = 2 h. Oct 14 18:00 + 2 h = Oct 15 11:00.
    expect(wo.sla.due.resolution).toBe(at('2026-10-15T11:00:00+08:00'));
    // Wall clock: Sep 30 17:00 -> Oct 8 10:00 = 7 days 17 h = 185 h.
    expect(wo.sla.due.firstResponse).toBe(at('2026-09-30T10:00:00+08:00') + 185 * H);
  });
});
