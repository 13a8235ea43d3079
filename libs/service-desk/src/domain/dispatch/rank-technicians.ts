import { z } from 'zod';
import { FaultCategorySchema } from '../work-order/work-order.schema.js';
import { PrioritySchema } from '../work-order/work-order-vocabulary.js';
import { GeoPointSchema, TECHNICIAN_LEVELS } from '#contracts';
import {
  DEFAULT_DISPATCH_POLICY,
  levelRank,
  TechnicianLevelSchema,
  type DispatchPolicy,
  type TechnicianLevel,
} from './dispatch-policy.schema.js';
import { haversineKm } from './geo.js';

/** A technician as dispatch sees it: the fleet record plus its current load. */
export const DispatchTechnicianSchema = z.strictObject({
  id: z.uuid(),
  level: TechnicianLevelSchema,
  skills: z.array(z.string()),
  region: z.string().nullable(),
  base: GeoPointSchema.nullable(),
  available: z.boolean(),
  openWorkOrders: z.number().int().min(0).describe('work orders assigned and not yet resolved'),
});
export type DispatchTechnician = z.infer<typeof DispatchTechnicianSchema>;

/** What the work order needs: taken from the work order and its asset. */
export const DispatchJobSchema = z.strictObject({
  priority: PrioritySchema,
  faultCategory: FaultCategorySchema.nullable(),
  location: GeoPointSchema.nullable().describe("the asset's location"),
  region: z.string().nullable().describe("the asset's region"),
  requiredSkills: z.array(z.string()).default([]).describe('skills needed beyond those of the fault category'),
});
export type DispatchJob = z.infer<typeof DispatchJobSchema>;

export type ExclusionReason =
  | { readonly code: 'unavailable' }
  | { readonly code: 'at_capacity'; readonly openWorkOrders: number; readonly maxOpenWorkOrders: number }
  | { readonly code: 'level_too_low'; readonly level: TechnicianLevel; readonly requiredLevel: TechnicianLevel }
  | { readonly code: 'missing_skills'; readonly missing: readonly string[] }
  | { readonly code: 'out_of_radius'; readonly distanceKm: number; readonly radiusKm: number }
  | { readonly code: 'out_of_region'; readonly region: string | null; readonly requiredRegion: string };

export interface Candidate {
  readonly technicianId: string;
  readonly score: number;
  /** Straight-line km from base to asset; null when either location is unknown. */
  readonly distanceKm: number | null;
  /** Estimated drive: distance x road factor at the travel speed. */
  readonly travelMinutes: number | null;
  readonly openWorkOrders: number;
  readonly level: TechnicianLevel;
  readonly levelsAboveRequired: number;
}

export interface Exclusion {
  readonly technicianId: string;
  /** Every reason, not just the first: a planner overriding dispatch wants to know them all. */
  readonly reasons: readonly ExclusionReason[];
}

export interface Requirements {
  readonly level: TechnicianLevel;
  readonly skills: readonly string[];
  readonly radiusKm: number;
}

export interface Ranking {
  readonly requirements: Requirements;
  /** Best first. */
  readonly candidates: readonly Candidate[];
  readonly excluded: readonly Exclusion[];
}

const normalise = (skill: string): string => skill.trim().toLowerCase();

/**
 * The level and skills a job needs: the stricter of its priority's level and its fault category's, and the
 * category's skills plus any the job names (skills compare case-insensitively).
 */
export function requirementsFor(job: DispatchJob, policy: DispatchPolicy = DEFAULT_DISPATCH_POLICY): Requirements {
  const category = job.faultCategory === null ? undefined : policy.categories[job.faultCategory];
  const byPriority = policy.levelByPriority[job.priority];
  const byCategory = category?.minLevel ?? 'junior';
  const level = TECHNICIAN_LEVELS[Math.max(levelRank(byPriority), levelRank(byCategory))] ?? byPriority;
  const skills = [...new Set([...(category?.skills ?? []), ...job.requiredSkills].map(normalise))].sort();
  return { level, skills, radiusKm: policy.serviceRadiusKm };
}

/**
 * Ranks technicians for a job. A technician is a candidate when available, below the load ceiling, at or above
 * the required level, holding every required skill, and near enough:
 * - both the asset and the technician's base located: within the service radius (haversine);
 * - otherwise, if the asset's region is known: the technician works in that region;
 * - otherwise nothing can be checked and the location does not exclude.
 * Candidates are ordered by score (see DispatchPolicySchema), then distance, then id, so ties are stable.
 */
export function rankTechnicians(
  job: DispatchJob,
  technicians: readonly DispatchTechnician[],
  policy: DispatchPolicy = DEFAULT_DISPATCH_POLICY,
): Ranking {
  const requirements = requirementsFor(job, policy);
  const candidates: Candidate[] = [];
  const excluded: Exclusion[] = [];
  for (const technician of technicians) {
    const reasons: ExclusionReason[] = [];
    if (!technician.available) reasons.push({ code: 'unavailable' });
    if (technician.openWorkOrders >= policy.maxOpenWorkOrders) {
      reasons.push({
        code: 'at_capacity',
        openWorkOrders: technician.openWorkOrders,
        maxOpenWorkOrders: policy.maxOpenWorkOrders,
      });
    }
    const levelsAboveRequired = levelRank(technician.level) - levelRank(requirements.level);
    if (levelsAboveRequired < 0) {
      reasons.push({ code: 'level_too_low', level: technician.level, requiredLevel: requirements.level });
    }
    const held = new Set(technician.skills.map(normalise));
    const missing = requirements.skills.filter((s) => !held.has(s));
    if (missing.length > 0) reasons.push({ code: 'missing_skills', missing });
    const distanceKm =
      job.location !== null && technician.base !== null ? haversineKm(technician.base, job.location) : null;
    if (distanceKm !== null && distanceKm > policy.serviceRadiusKm) {
      reasons.push({ code: 'out_of_radius', distanceKm, radiusKm: policy.serviceRadiusKm });
    } else if (distanceKm === null && job.region !== null && technician.region !== job.region) {
      reasons.push({ code: 'out_of_region', region: technician.region, requiredRegion: job.region });
    }

    if (reasons.length > 0) {
      excluded.push({ technicianId: technician.id, reasons });
      continue;
    }
    candidates.push({
      technicianId: technician.id,
      score:
        (distanceKm ?? policy.serviceRadiusKm) +
        technician.openWorkOrders * policy.loadPenaltyKm +
        levelsAboveRequired * policy.overqualificationPenaltyKm,
      distanceKm,
      travelMinutes: distanceKm === null ? null : ((distanceKm * policy.roadFactor) / policy.travelSpeedKmh) * 60,
      openWorkOrders: technician.openWorkOrders,
      level: technician.level,
      levelsAboveRequired,
    });
  }
  candidates.sort(
    (a, b) =>
      a.score - b.score ||
      (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
      a.technicianId.localeCompare(b.technicianId),
  );
  return { requirements, candidates, excluded };
}

export interface AutoAssignment {
  /** The best candidate, or null when nobody qualifies (the planner must decide: see ranking.excluded). */
  readonly chosen: Candidate | null;
  readonly ranking: Ranking;
}

/** Auto-assignment picks the best-ranked candidate. */
export function autoAssign(
  job: DispatchJob,
  technicians: readonly DispatchTechnician[],
  policy: DispatchPolicy = DEFAULT_DISPATCH_POLICY,
): AutoAssignment {
  const ranking = rankTechnicians(job, technicians, policy);
  return { chosen: ranking.candidates[0] ?? null, ranking };
}
