import { describe, expect, it } from 'vitest';
import { DEFAULT_DISPATCH_POLICY, DispatchPolicySchema } from './dispatch-policy.schema.js';
import {
  autoAssign,
  rankTechnicians,
  requirementsFor,
  type DispatchJob,
  type DispatchTechnician,
} from './rank-technicians.js';

/** One degree of latitude on the IUGG sphere: 111.19508 km. Technicians sit due north / south of the asset. */
const DEG = 111.195_08;
const ASSET = { lat: 60, lon: 10 };
const north = (degrees: number) => ({ lat: 60 + degrees, lon: 10 });

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const tech = (n: number, overrides: Partial<DispatchTechnician>): DispatchTechnician => ({
  id: id(n),
  level: 'junior',
  skills: ['coating', 'corrosion', 'instrumentation'],
  region: 'north',
  base: north(0),
  available: true,
  openWorkOrders: 0,
  ...overrides,
});

const TEAM: DispatchTechnician[] = [
  tech(1, { level: 'senior', base: north(0.1), openWorkOrders: 2 }), // 11.12 km
  tech(2, { level: 'intermediate', base: north(0.2) }), // 22.24 km
  tech(3, { level: 'junior', base: north(-0.05), openWorkOrders: 1 }), // 5.56 km
  tech(4, { level: 'senior', base: north(0.5) }), // 55.60 km: beyond 50 km
  tech(5, { level: 'intermediate', available: false }),
  tech(6, { level: 'junior', openWorkOrders: 5 }),
  tech(7, { level: 'senior', base: null }), // no base: judged by region
  tech(8, { level: 'intermediate', skills: ['instrumentation'], base: north(0.01) }),
  tech(9, { level: 'senior', base: null, region: 'south' }),
];

const job = (overrides: Partial<DispatchJob>): DispatchJob => ({
  priority: 'P3',
  faultCategory: 'coating_damage',
  location: ASSET,
  region: 'north',
  requiredSkills: [],
  ...overrides,
});

describe('requirementsFor', () => {
  it('takes the stricter of the priority level and the category level, and the category skills', () => {
    expect(requirementsFor(job({ priority: 'P3', faultCategory: 'coating_damage' }))).toEqual({
      level: 'junior',
      skills: ['coating'],
      radiusKm: 50,
    });
    expect(requirementsFor(job({ priority: 'P1', faultCategory: 'coating_damage' })).level).toBe('senior');
    expect(requirementsFor(job({ priority: 'P4', faultCategory: 'structural' })).level).toBe('senior');
    expect(requirementsFor(job({ priority: 'P2', faultCategory: 'sensor_fault' })).level).toBe('intermediate');
  });

  it('adds the skills the job names, case-insensitively, and knows nothing of unknown categories', () => {
    expect(requirementsFor(job({ faultCategory: 'mystery', requiredSkills: ['Rope_Access', 'coating'] }))).toEqual({
      level: 'junior',
      skills: ['coating', 'rope_access'],
      radiusKm: 50,
    });
  });
});

describe('rankTechnicians', () => {
  it('ranks a P3 coating job by distance + 10 km per open job + 5 km per level above junior', () => {
    const ranking = rankTechnicians(job({}), TEAM);
    // #3 junior:       5.56 km + 1 x 10 + 0 x 5 = 15.56
    // #8 intermediate: 1.11 km + 0 + 1 x 5 -> but lacks "coating": excluded
    // #2 intermediate: 22.24 km + 0 + 1 x 5 = 27.24
    // #1 senior:       11.12 km + 2 x 10 + 2 x 5 = 41.12
    // #7 senior, no base, same region: 50 (radius) + 0 + 2 x 5 = 60
    expect(ranking.candidates.map((c) => c.technicianId)).toEqual([id(3), id(2), id(1), id(7)]);
    const [first, second, third, fourth] = ranking.candidates;
    expect(first?.score).toBeCloseTo(0.05 * DEG + 10, 3);
    expect(second?.score).toBeCloseTo(0.2 * DEG + 5, 3);
    expect(third?.score).toBeCloseTo(0.1 * DEG + 20 + 10, 3);
    expect(fourth).toMatchObject({ score: 60, distanceKm: null, travelMinutes: null, levelsAboveRequired: 2 });
    // 5.56 km x 1.3 road factor at 60 km/h = 7.23 min.
    expect(first?.travelMinutes).toBeCloseTo(0.05 * DEG * 1.3, 3);
  });

  it('says why each other technician was excluded, with every reason', () => {
    const ranking = rankTechnicians(job({}), TEAM);
    expect(ranking.excluded).toEqual([
      {
        technicianId: id(4),
        reasons: [{ code: 'out_of_radius', distanceKm: expect.closeTo(0.5 * DEG, 3), radiusKm: 50 }],
      },
      { technicianId: id(5), reasons: [{ code: 'unavailable' }] },
      { technicianId: id(6), reasons: [{ code: 'at_capacity', openWorkOrders: 5, maxOpenWorkOrders: 5 }] },
      { technicianId: id(8), reasons: [{ code: 'missing_skills', missing: ['coating'] }] },
      { technicianId: id(9), reasons: [{ code: 'out_of_region', region: 'south', requiredRegion: 'north' }] },
    ]);
  });

  it('sends only seniors with the skill to a P1 corrosion fault, nearest first', () => {
    const ranking = rankTechnicians(job({ priority: 'P1', faultCategory: 'corrosion' }), TEAM);
    // #1: 11.12 + 20 = 31.12; #7: 50 (unknown distance) + 0 = 50.
    expect(ranking.requirements).toEqual({ level: 'senior', skills: ['corrosion'], radiusKm: 50 });
    expect(ranking.candidates.map((c) => [c.technicianId, c.score])).toEqual([
      [id(1), expect.closeTo(0.1 * DEG + 20, 3)],
      [id(7), 50],
    ]);
    expect(ranking.excluded.find((e) => e.technicianId === id(3))?.reasons).toEqual([
      { code: 'level_too_low', level: 'junior', requiredLevel: 'senior' },
    ]);
    expect(ranking.excluded.find((e) => e.technicianId === id(5))?.reasons).toEqual([
      { code: 'unavailable' },
      { code: 'level_too_low', level: 'intermediate', requiredLevel: 'senior' },
    ]);
  });

  it('falls back to the region when the asset has no location, and to nothing when it has neither', () => {
    const byRegion = rankTechnicians(job({ location: null }), TEAM);
    // Every distance unknown (= 50): #2 50 + 5 = 55, #3 50 + 10 = 60, #4 50 + 10 = 60, #1 50 + 20 + 10 = 80, #7 60.
    expect(byRegion.candidates.map((c) => [c.technicianId, c.score])).toEqual([
      [id(2), 55],
      [id(3), 60],
      [id(4), 60],
      [id(7), 60],
      [id(1), 80],
    ]);
    const anywhere = rankTechnicians(job({ location: null, region: null }), TEAM);
    expect(anywhere.candidates.map((c) => c.technicianId)).toContain(id(9));
  });

  it('breaks ties by id so a ranking is reproducible', () => {
    const twins = [tech(22, { base: north(0.1) }), tech(21, { base: north(-0.1) })];
    expect(rankTechnicians(job({}), twins).candidates.map((c) => c.technicianId)).toEqual([id(21), id(22)]);
  });

  it('honours a policy with a wider radius and no load penalty', () => {
    const policy = DispatchPolicySchema.parse({ serviceRadiusKm: 60, loadPenaltyKm: 0 });
    const ranking = rankTechnicians(job({ priority: 'P1', faultCategory: 'corrosion' }), TEAM, policy);
    // #1: 11.12; #7: 60 (unknown = radius); #4: 55.60 now inside.
    expect(ranking.candidates.map((c) => c.technicianId)).toEqual([id(1), id(4), id(7)]);
  });
});

describe('autoAssign', () => {
  it('picks the best candidate', () => {
    expect(autoAssign(job({}), TEAM).chosen?.technicianId).toBe(id(3));
  });

  it('picks nobody when nobody qualifies, keeping the reasons for the planner', () => {
    const result = autoAssign(job({ priority: 'P1', faultCategory: 'structural' }), TEAM, DEFAULT_DISPATCH_POLICY);
    expect(result.chosen).toBeNull();
    expect(result.ranking.excluded).toHaveLength(TEAM.length);
    expect(result.ranking.excluded[0]?.reasons).toContainEqual({ code: 'missing_skills', missing: ['structural'] });
  });
});
