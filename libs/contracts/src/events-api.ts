import { z } from 'zod';

/**
 * API of the events lib: the Server-Sent Events stream (`GET /api/events`) and the webhooks
 * (`/api/webhooks`) that receive every public event through the durable outbox.
 */

/**
 * A filter on event types: segments of `[a-z0-9_]` or `*`, joined by dots. `*` matches any run of
 * characters, dots included, so `work_order.*` matches `work_order.opened` and `work_order.sla.breached`,
 * and `*` alone matches every event.
 */
export const EVENT_TYPE_GLOB = /^[a-z0-9_*]+(\.[a-z0-9_*]+)*$/;

export const EventTypeGlobSchema = z
  .string()
  .max(100)
  .regex(EVENT_TYPE_GLOB, 'an event type filter looks like work_order.* (lowercase segments or *, dot-separated)');

const EventTypeGlobListSchema = z.array(EventTypeGlobSchema).min(1).max(20);

/** Query of `GET /api/events`. */
export const EventStreamQuerySchema = z.object({
  types: z
    .string()
    .max(2000)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const globs = value.split(',').map((g) => g.trim());
      const bad = globs.find((g) => !EVENT_TYPE_GLOB.test(g) || g.length > 100);
      if (bad !== undefined || globs.length > 20) {
        ctx.addIssue({
          code: 'custom',
          message:
            bad === undefined
              ? 'at most 20 type filters'
              : `${JSON.stringify(bad)} is not a type filter like work_order.* (lowercase segments or *, dot-separated)`,
        });
        return z.NEVER;
      }
      return globs;
    })
    .describe('comma-separated type filters, e.g. work_order.*,alert.* (default: every type)'),
  lastEventId: z
    .uuid()
    .optional()
    .describe('resume after this event id, for clients that cannot send the Last-Event-ID header'),
});
export type EventStreamQuery = z.infer<typeof EventStreamQuerySchema>;

/** A webhook target: http or https only (no file:, data:, javascript: ...). */
export const WebhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http or https URL' })
  .max(2000)
  // zod runs this even after the url check failed: only judge what parses.
  .refine((url) => {
    const parsed = URL.parse(url);
    return parsed === null || (parsed.username === '' && parsed.password === '');
  }, 'must not carry credentials (receivers authenticate deliveries by their signature)');

export const WebhookCreateSchema = z.strictObject({
  url: WebhookUrlSchema,
  types: EventTypeGlobListSchema.optional().describe('event type filters (default ["*"]: every event)'),
  secret: z
    .string()
    .min(16)
    .max(200)
    .optional()
    .describe('HMAC-SHA256 signing secret; generated (and shown once) when absent'),
  active: z.boolean().optional(),
});
export type WebhookCreate = z.infer<typeof WebhookCreateSchema>;

export const WebhookPatchSchema = z.strictObject({
  url: WebhookUrlSchema.optional(),
  types: EventTypeGlobListSchema.optional(),
  active: z
    .boolean()
    .optional()
    .describe('false pauses the webhook: no new events are queued for it, queued deliveries wait until it is active'),
});
export type WebhookPatch = z.infer<typeof WebhookPatchSchema>;

export const WebhookSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  types: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** Answer of `POST /api/webhooks`: the only time the signing secret is shown. */
export const WebhookCreatedSchema = WebhookSchema.extend({
  secret: z.string().describe('signing secret: X-CoatWatch-Signature is sha256=<hex HMAC-SHA256 of the body>'),
});
export type WebhookCreated = z.infer<typeof WebhookCreatedSchema>;

export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

/** One event to one webhook, with the outcome of its attempts so far. */
export const WebhookDeliverySchema = z.object({
  id: z.uuid().describe('sent as X-CoatWatch-Delivery; the same on every retry'),
  webhookId: z.uuid(),
  eventId: z.uuid(),
  eventType: z.string(),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable().describe('HTTP status of the last attempt (null: no answer)'),
  lastError: z.string().nullable(),
  nextAttemptAt: z.iso.datetime().nullable().describe('when the next attempt is due (pending only)'),
  deliveredAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type WebhookDelivery = z.infer<typeof WebhookDeliverySchema>;

/** Query of `GET /api/webhooks/{id}/deliveries` (newest first). */
export const WebhookDeliveryListQuerySchema = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
export type WebhookDeliveryListQuery = z.infer<typeof WebhookDeliveryListQuerySchema>;
