import type { Principal } from '#contracts';

/**
 * What part of the fleet a caller may read. Staff (admin, planner, technician) see everything;
 * a customer sees only what belongs to its own customer record.
 */
export type CustomerScope = { readonly kind: 'all' } | { readonly kind: 'customer'; readonly customerId: string };

export function scopeOf(principal: Principal): CustomerScope {
  switch (principal.role) {
    case 'admin':
    case 'planner':
    case 'technician':
      return { kind: 'all' };
    case 'customer':
      return { kind: 'customer', customerId: principal.customerId };
  }
}

/** Whether a row owned by `ownerCustomerId` is visible in the scope. */
export function scopeAllows(scope: CustomerScope, ownerCustomerId: string): boolean {
  return scope.kind === 'all' || scope.customerId === ownerCustomerId;
}

/**
 * Combines a list's `customerId` filter with the scope: the customer filter the query must apply,
 * or `null` when nothing can match (a customer asking for another customer's rows gets an empty list).
 */
export function scopedCustomerFilter(
  scope: CustomerScope,
  requested: string | undefined,
): { readonly customerId: string | undefined } | null {
  if (scope.kind === 'all') return { customerId: requested };
  if (requested !== undefined && requested !== scope.customerId) return null;
  return { customerId: scope.customerId };
}
