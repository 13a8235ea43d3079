import { z } from 'zod';
import { EpochMsSchema } from '../work-order/work-order.schema.js';

/** The customer's rating after acceptance: body of the survey endpoint. */
export const SurveyInputSchema = z.strictObject({
  score: z.number().int().min(1).max(5).describe('1 (very dissatisfied) to 5 (very satisfied)'),
  wouldRecommend: z.boolean(),
  comment: z.string().trim().max(2000).nullable().default(null),
});
export type SurveyInput = z.infer<typeof SurveyInputSchema>;

export const SurveySchema = SurveyInputSchema.extend({
  workOrderId: z.uuid(),
  submittedAt: EpochMsSchema,
});
export type Survey = z.infer<typeof SurveySchema>;
