import { z } from 'zod';
import { TechnicianLevelSchema } from '../domain/index.js';
import { WorkOrderViewSchema } from '../work-orders/work-order.api.js';

const ExclusionReasonSchema = z.object({ code: z.string() }).catchall(z.unknown());

/** `GET /api/work-orders/{id}/candidates`: who could go, best first, and why the others cannot. */
export const CandidatesViewSchema = z.object({
  requirements: z.object({ level: TechnicianLevelSchema, skills: z.array(z.string()), radiusKm: z.number() }),
  candidates: z.array(
    z.object({
      technicianId: z.uuid(),
      name: z.string(),
      score: z.number().describe('km-equivalent: distance + load and over-qualification penalties; lowest first'),
      distanceKm: z.number().nullable(),
      travelMinutes: z.number().nullable(),
      openWorkOrders: z.number().int(),
      level: TechnicianLevelSchema,
      levelsAboveRequired: z.number().int(),
    }),
  ),
  excluded: z.array(z.object({ technicianId: z.uuid(), name: z.string(), reasons: z.array(ExclusionReasonSchema) })),
});
export type CandidatesView = z.infer<typeof CandidatesViewSchema>;

export const AutoAssignResultSchema = z.object({
  workOrder: WorkOrderViewSchema,
  chosen: CandidatesViewSchema.shape.candidates.element,
});
export type AutoAssignResult = z.infer<typeof AutoAssignResultSchema>;
