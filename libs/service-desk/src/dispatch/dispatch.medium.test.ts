import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServiceDeskApp, type ServiceDeskTestApp } from '../testing/service-desk-test-app.js';
import { expectStatus, move, openWorkOrder } from '../testing/work-order-steps.js';
import type { AutoAssignResult, CandidatesView } from './dispatch.api.js';

describe('dispatch over HTTP', () => {
  let t: ServiceDeskTestApp;
  beforeAll(async () => {
    t = await startServiceDeskApp();
  });
  afterAll(async () => t?.close());

  it('ranks candidates near the asset and says why the others are excluded', async () => {
    const { technicians } = t.fleet;
    // P2 needs an intermediate; coating damage needs the coating skill.
    const wo = await openWorkOrder(t, { priority: 'P2', faultCategory: 'coating_damage' });
    const ranking = await expectStatus(t.request<CandidatesView>('GET', `/api/work-orders/${wo.id}/candidates`), 200);
    expect(ranking.requirements).toEqual({ level: 'intermediate', skills: ['coating'], radiusKm: 50 });
    // Ben is ~3.0 km away (0.01° north, 0.05° east at 59.9° N); Ana is on the spot but one level above what is needed (5 km-equivalent penalty).
    expect(ranking.candidates.map((c) => c.name)).toEqual(['Ben Olsen', 'Ana Ruiz']);
    expect(ranking.candidates[0]!.distanceKm).toBeCloseTo(3.0, 1);
    expect(ranking.candidates[1]).toMatchObject({
      technicianId: technicians.ana,
      distanceKm: 0,
      score: 5,
      levelsAboveRequired: 1,
    });
    expect(ranking.excluded).toEqual([
      {
        technicianId: technicians.cai,
        name: 'Cai Berg',
        reasons: [expect.objectContaining({ code: 'out_of_radius' })],
      },
    ]);
    expect((await t.request('GET', `/api/work-orders/${wo.id}/candidates`, { token: t.fleet.tokens.ana })).status).toBe(
      403,
    );
  });

  it('auto-assigns the best candidate, weighing the open load', async () => {
    const { technicians } = t.fleet;
    const first = await move(t, await openWorkOrder(t, { priority: 'P2' }), { to: 'triaged' });
    const assigned = await expectStatus(
      t.request<AutoAssignResult>('POST', `/api/work-orders/${first.id}/auto-assign`, {
        body: { version: first.version },
      }),
      200,
    );
    expect(assigned).toMatchObject({
      chosen: { technicianId: technicians.ben },
      workOrder: { status: 'assigned', technicianId: technicians.ben },
    });
    // Ben now carries one open work order (10 km-equivalent): Ana (5) goes first.
    const second = await move(t, await openWorkOrder(t, { priority: 'P2' }), { to: 'triaged' });
    const next = await expectStatus(
      t.request<AutoAssignResult>('POST', `/api/work-orders/${second.id}/auto-assign`, {
        body: { version: second.version },
      }),
      200,
    );
    expect(next.chosen.technicianId).toBe(technicians.ana);
    // Auto-assignment is a move like any other: from new it is illegal.
    const fresh = await openWorkOrder(t, { priority: 'P2' });
    const illegal = await t.request('POST', `/api/work-orders/${fresh.id}/auto-assign`, { body: { version: 1 } });
    expect(illegal).toMatchObject({ status: 409, body: { allowed: ['triaged', 'on_hold', 'cancelled'] } });
  });

  it('answers 409 with the exclusions when nobody qualifies', async () => {
    // Structural faults need a senior with the structural skill: nobody has it.
    const wo = await move(t, await openWorkOrder(t, { priority: 'P1', faultCategory: 'structural' }), {
      to: 'triaged',
    });
    const res = await t.request<{ message: string; excluded: Array<{ reasons: Array<{ code: string }> }> }>(
      'POST',
      `/api/work-orders/${wo.id}/auto-assign`,
      { body: { version: wo.version } },
    );
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/no technician qualifies/);
    expect(res.body.excluded.flatMap((e) => e.reasons.map((r) => r.code))).toContain('missing_skills');
  });
});
