import { describe, expect, it } from 'vitest';
import { principalOf } from './principal.js';

const T = '33333333-3333-4333-8333-333333333333';
const C = '11111111-1111-4111-8111-111111111111';

describe('principalOf', () => {
  it('grants admin and planner by role alone', () => {
    expect(principalOf({ id: 'k', role: 'admin', technicianId: null, customerId: null })).toEqual({
      role: 'admin',
      tokenId: 'k',
    });
    expect(principalOf({ id: 'k', role: 'planner', technicianId: null, customerId: null })).toEqual({
      role: 'planner',
      tokenId: 'k',
    });
  });

  it('binds technician and customer tokens to their record', () => {
    expect(principalOf({ id: 'k', role: 'technician', technicianId: T, customerId: null })).toEqual({
      role: 'technician',
      tokenId: 'k',
      technicianId: T,
    });
    expect(principalOf({ id: 'k', role: 'customer', technicianId: null, customerId: C })).toEqual({
      role: 'customer',
      tokenId: 'k',
      customerId: C,
    });
  });

  it('grants nothing for an unbound technician or customer token, or an unknown role', () => {
    expect(principalOf({ id: 'k', role: 'technician', technicianId: null, customerId: null })).toBeUndefined();
    expect(principalOf({ id: 'k', role: 'customer', technicianId: null, customerId: null })).toBeUndefined();
    expect(principalOf({ id: 'k', role: 'root', technicianId: null, customerId: null })).toBeUndefined();
  });
});
