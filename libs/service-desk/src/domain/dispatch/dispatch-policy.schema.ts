import { z } from 'zod';
import { TECHNICIAN_LEVELS } from '#contracts';
import { FaultCategorySchema } from '../work-order/work-order.schema.js';

export type TechnicianLevel = (typeof TECHNICIAN_LEVELS)[number];
export const TechnicianLevelSchema = z.enum(TECHNICIAN_LEVELS);

export function levelRank(level: TechnicianLevel): number {
  return TECHNICIAN_LEVELS.indexOf(level);
}

const SkillSchema = z.string().trim().min(1).max(100);

export const CategoryRequirementSchema = z.strictObject({
  minLevel: TechnicianLevelSchema.default('junior'),
  skills: z.array(SkillSchema).max(20).default([]),
});
export type CategoryRequirement = z.infer<typeof CategoryRequirementSchema>;

/**
 * Fault categories of coated-steel assets and who can handle them. Cathodic protection and corrosion need an
 * intermediate (potential surveys, probe interpretation); structural metal loss needs a senior (it may mean
 * taking the asset out of service).
 */
export const DEFAULT_CATEGORY_REQUIREMENTS: Record<string, CategoryRequirement> = {
  coating_damage: { minLevel: 'junior', skills: ['coating'] },
  corrosion: { minLevel: 'intermediate', skills: ['corrosion'] },
  cathodic_protection: { minLevel: 'intermediate', skills: ['cathodic_protection'] },
  structural: { minLevel: 'senior', skills: ['structural'] },
  sensor_fault: { minLevel: 'junior', skills: ['instrumentation'] },
  communication: { minLevel: 'junior', skills: ['instrumentation'] },
};

/**
 * How candidates are filtered and ranked. Ranking is a score in kilometres, lowest first, so that every
 * factor is comparable and a ranking can be checked by hand:
 *   score = distance_km + openWorkOrders x loadPenaltyKm + levelsAboveRequired x overqualificationPenaltyKm
 * (an open work order "costs" like 10 km more travel; sending a senior to a junior's job costs 5 km per level,
 * to keep seniors free for P1s). An unknown distance (no base or no asset location) counts as the radius.
 */
export const DispatchPolicySchema = z.strictObject({
  serviceRadiusKm: z.number().positive().max(5000).default(50),
  maxOpenWorkOrders: z.number().int().min(1).max(1000).default(5),
  loadPenaltyKm: z.number().min(0).max(1000).default(10),
  overqualificationPenaltyKm: z.number().min(0).max(1000).default(5),
  travelSpeedKmh: z.number().positive().max(1000).default(60),
  roadFactor: z.number().min(1).max(5).default(1.3).describe('road distance / straight-line distance'),
  levelByPriority: z
    .strictObject({
      P1: TechnicianLevelSchema,
      P2: TechnicianLevelSchema,
      P3: TechnicianLevelSchema,
      P4: TechnicianLevelSchema,
    })
    .default({ P1: 'senior', P2: 'intermediate', P3: 'junior', P4: 'junior' }),
  categories: z.record(FaultCategorySchema, CategoryRequirementSchema).default(DEFAULT_CATEGORY_REQUIREMENTS),
});
export type DispatchPolicy = z.infer<typeof DispatchPolicySchema>;

export const DEFAULT_DISPATCH_POLICY: DispatchPolicy = DispatchPolicySchema.parse({});
