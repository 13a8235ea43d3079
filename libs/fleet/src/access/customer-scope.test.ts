import { describe, expect, it } from 'vitest';
import type { Principal } from '#contracts';
import { scopeAllows, scopedCustomerFilter, scopeOf } from './customer-scope.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const T = '33333333-3333-4333-8333-333333333333';

describe('customer scope', () => {
  it.each<Principal>([
    { role: 'admin', tokenId: 't' },
    { role: 'planner', tokenId: 't' },
    { role: 'technician', tokenId: 't', technicianId: T },
  ])('lets staff ($role) see every customer', (principal) => {
    const scope = scopeOf(principal);
    expect(scope).toEqual({ kind: 'all' });
    expect(scopeAllows(scope, A)).toBe(true);
    expect(scopedCustomerFilter(scope, undefined)).toEqual({ customerId: undefined });
    expect(scopedCustomerFilter(scope, B)).toEqual({ customerId: B });
  });

  it('limits a customer to its own rows', () => {
    const scope = scopeOf({ role: 'customer', tokenId: 't', customerId: A });
    expect(scopeAllows(scope, A)).toBe(true);
    expect(scopeAllows(scope, B)).toBe(false);
  });

  it('narrows a customer list to its own customer, and to nothing for another customer', () => {
    const scope = scopeOf({ role: 'customer', tokenId: 't', customerId: A });
    expect(scopedCustomerFilter(scope, undefined)).toEqual({ customerId: A });
    expect(scopedCustomerFilter(scope, A)).toEqual({ customerId: A });
    expect(scopedCustomerFilter(scope, B)).toBeNull();
  });
});
