import { z } from 'zod';

/**
 * Events the platform shows to the outside: served as Server-Sent Events at /api/events and delivered
 * to configured webhooks through a durable outbox. Every lib that changes something a planner,
 * technician or customer cares about publishes one (work order opened / transitioned, alert raised...).
 */
export const PublicEventSchema = z.object({
  id: z.uuid().describe('unique id; webhook receivers de-duplicate on it'),
  type: z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'type looks like work_order.transitioned'),
  at: z.iso.datetime().describe('wall-clock time the change happened'),
  subject: z.object({ kind: z.string(), id: z.string() }).describe('what changed, e.g. {kind: "work_order", id}'),
  /** Visibility: a customer token sees only events of its own customer; a technician only its own. */
  customerId: z.uuid().nullable(),
  technicianId: z.uuid().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type PublicEvent = z.infer<typeof PublicEventSchema>;

/**
 * Publishes public events. `publish` takes the caller's database transaction (a Drizzle transaction or
 * the database itself) so the outbox row commits atomically with the change it describes: nothing is lost
 * across a restart, nothing is sent for a change that rolled back. Live SSE subscribers are notified
 * after the commit.
 */
export interface PublicEventPublisher {
  publish(event: Omit<PublicEvent, 'id' | 'at'> & { at?: string }, tx?: unknown): Promise<PublicEvent>;
}
export const PUBLIC_EVENT_PUBLISHER = Symbol('PublicEventPublisher');
