import type { Principal, PublicEvent } from '#contracts';

/**
 * Which public events a caller may see. Planners and admins see everything; a customer only the
 * events of its own customer; a technician only the events naming it (publishers set `technicianId`
 * to the technician a work order is assigned to). An event without a customer or technician is
 * internal to the service desk and shown to planners and admins only.
 */
export type EventScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'customer'; readonly customerId: string }
  | { readonly kind: 'technician'; readonly technicianId: string };

export function scopeOf(principal: Principal): EventScope {
  switch (principal.role) {
    case 'admin':
    case 'planner':
      return { kind: 'all' };
    case 'customer':
      return { kind: 'customer', customerId: principal.customerId };
    case 'technician':
      return { kind: 'technician', technicianId: principal.technicianId };
  }
}

export function inScope(scope: EventScope, event: Pick<PublicEvent, 'customerId' | 'technicianId'>): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'customer':
      return event.customerId === scope.customerId;
    case 'technician':
      return event.technicianId === scope.technicianId;
  }
}
