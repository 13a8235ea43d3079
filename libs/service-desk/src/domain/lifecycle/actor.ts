import { z } from 'zod';
import type { Principal } from '#contracts';

/**
 * Who acts on a work order: one of the API roles (contracts' ROLES) or the system itself (the SLA scheduler,
 * the detection automation, the preventive-plan scheduler). The ids of technicians and customers let the
 * state machine check ownership: a technician acts only on its own work orders, a customer only on its own.
 */
export const ACTOR_ROLES = ['admin', 'planner', 'technician', 'customer', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

const actorId = z.string().min(1).max(200).describe('token id of a user, or the name of a system component');

export const ActorSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('admin'), id: actorId }),
  z.strictObject({ role: z.literal('planner'), id: actorId }),
  z.strictObject({ role: z.literal('technician'), id: actorId, technicianId: z.uuid() }),
  z.strictObject({ role: z.literal('customer'), id: actorId, customerId: z.uuid() }),
  z.strictObject({ role: z.literal('system'), id: actorId }),
]);
export type Actor = z.infer<typeof ActorSchema>;

/** The actor behind an authenticated API principal. */
export function actorFromPrincipal(principal: Principal): Actor {
  switch (principal.role) {
    case 'admin':
      return { role: 'admin', id: principal.tokenId };
    case 'planner':
      return { role: 'planner', id: principal.tokenId };
    case 'technician':
      return { role: 'technician', id: principal.tokenId, technicianId: principal.technicianId };
    case 'customer':
      return { role: 'customer', id: principal.tokenId, customerId: principal.customerId };
  }
}

export function systemActor(name: string): Actor {
  return { role: 'system', id: name };
}
