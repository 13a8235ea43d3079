import type { Principal } from '#contracts';

/** The columns of an API token row that make its principal. */
export interface TokenGrant {
  readonly id: string;
  readonly role: string;
  readonly technicianId: string | null;
  readonly customerId: string | null;
}

/**
 * The principal a token grants, or undefined when the row is not a usable grant (a technician or
 * customer token without its binding, or an unknown role): such a token authenticates nobody.
 */
export function principalOf(grant: TokenGrant): Principal | undefined {
  switch (grant.role) {
    case 'admin':
      return { role: 'admin', tokenId: grant.id };
    case 'planner':
      return { role: 'planner', tokenId: grant.id };
    case 'technician':
      return grant.technicianId === null
        ? undefined
        : { role: 'technician', tokenId: grant.id, technicianId: grant.technicianId };
    case 'customer':
      return grant.customerId === null
        ? undefined
        : { role: 'customer', tokenId: grant.id, customerId: grant.customerId };
    default:
      return undefined;
  }
}
