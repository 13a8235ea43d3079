import { z } from 'zod';
import { ActorSchema, CommentInputSchema, FOLLOW_UP_KINDS, SurveyInputSchema } from '../domain/index.js';

export const SurveyViewSchema = SurveyInputSchema.extend({
  workOrderId: z.uuid(),
  submittedAt: z.iso.datetime(),
  workOrderVersion: z.number().int().optional(),
});
export type SurveyView = z.infer<typeof SurveyViewSchema>;

/** Body of `POST /api/work-orders/{id}/follow-ups`: an extra call or visit after closure. */
export const FollowUpCreateSchema = z.strictObject({
  kind: z.enum(FOLLOW_UP_KINDS),
  dueAt: z.iso.datetime({ offset: true }),
});
export type FollowUpCreate = z.infer<typeof FollowUpCreateSchema>;

/** Body of `POST /api/work-orders/{id}/follow-ups/{followUpId}/done`. */
export const FollowUpDoneSchema = z.strictObject({
  outcome: z.string().trim().min(1).max(4000).optional().describe('what the call or visit found'),
});
export type FollowUpDone = z.infer<typeof FollowUpDoneSchema>;

export const FollowUpViewSchema = z.object({
  id: z.uuid(),
  workOrderId: z.uuid(),
  kind: z.enum(FOLLOW_UP_KINDS),
  dueAt: z.iso.datetime(),
  doneAt: z.iso.datetime().nullable(),
  outcome: z.string().nullable(),
});
export type FollowUpView = z.infer<typeof FollowUpViewSchema>;

export { CommentInputSchema };
export const CommentViewSchema = z.object({
  id: z.uuid(),
  workOrderId: z.uuid(),
  author: ActorSchema,
  body: z.string(),
  internal: z.boolean(),
  at: z.iso.datetime(),
});
export type CommentView = z.infer<typeof CommentViewSchema>;
