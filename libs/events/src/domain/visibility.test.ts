import { describe, expect, it } from 'vitest';
import type { Principal } from '#contracts';
import { inScope, scopeOf } from './visibility.js';

const CUSTOMER_A = '00000000-0000-4000-8000-00000000000a';
const CUSTOMER_B = '00000000-0000-4000-8000-00000000000b';
const TECH_1 = '00000000-0000-4000-8000-000000000001';
const TECH_2 = '00000000-0000-4000-8000-000000000002';

const principals = {
  admin: { role: 'admin', tokenId: 't0' },
  planner: { role: 'planner', tokenId: 't1' },
  customerA: { role: 'customer', tokenId: 't2', customerId: CUSTOMER_A },
  tech1: { role: 'technician', tokenId: 't3', technicianId: TECH_1 },
} satisfies Record<string, Principal>;

const events = {
  aWithTech1: { customerId: CUSTOMER_A, technicianId: TECH_1 },
  aUnassigned: { customerId: CUSTOMER_A, technicianId: null },
  bWithTech1: { customerId: CUSTOMER_B, technicianId: TECH_1 },
  bWithTech2: { customerId: CUSTOMER_B, technicianId: TECH_2 },
  internal: { customerId: null, technicianId: null },
};

describe('SSE visibility', () => {
  it.each([
    ['admin', 'aWithTech1', true],
    ['admin', 'internal', true],
    ['planner', 'bWithTech2', true],
    ['planner', 'internal', true],
    ['customerA', 'aWithTech1', true],
    ['customerA', 'aUnassigned', true],
    ['customerA', 'bWithTech1', false],
    ['customerA', 'internal', false],
    ['tech1', 'aWithTech1', true],
    ['tech1', 'bWithTech1', true],
    ['tech1', 'aUnassigned', false],
    ['tech1', 'bWithTech2', false],
    ['tech1', 'internal', false],
  ] as const)('%s sees %s: %s', (who, what, expected) => {
    expect(inScope(scopeOf(principals[who]), events[what])).toBe(expected);
  });
});
