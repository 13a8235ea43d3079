import { z } from 'zod';
import { ActorSchema, type Actor } from '../lifecycle/actor.js';
import { EpochMsSchema } from '../work-order/work-order.schema.js';

export const CommentInputSchema = z.strictObject({
  body: z.string().trim().min(1).max(10_000),
  internal: z.boolean().default(false).describe('internal notes are hidden from the customer'),
});
export type CommentInput = z.infer<typeof CommentInputSchema>;

export const CommentSchema = CommentInputSchema.extend({
  id: z.uuid(),
  workOrderId: z.uuid(),
  author: ActorSchema,
  at: EpochMsSchema,
});
export type Comment = z.infer<typeof CommentSchema>;

/** A customer sees only non-internal comments; a customer's own comment is never internal. */
export function commentVisibleTo(comment: Comment, actor: Actor): boolean {
  return actor.role !== 'customer' || !comment.internal;
}

export function newComment(id: string, workOrderId: string, author: Actor, input: CommentInput, now: number): Comment {
  return {
    id,
    workOrderId,
    author,
    at: now,
    body: input.body,
    internal: author.role === 'customer' ? false : input.internal,
  };
}
