import { describe, expect, it } from 'vitest';
import { decideWarranty, faultInstantOf, WarrantyDecisionSchema, type WarrantyInput } from './warranty-decision.js';

const at = (iso: string): number => Date.parse(iso);
const input = (overrides: Partial<WarrantyInput>): WarrantyInput => ({
  installedAt: '2024-05-01',
  warrantyUntil: '2029-04-30',
  faultAt: at('2026-03-02T09:00:00Z'),
  exclusions: { customerDamage: false, unauthorisedModification: false },
  ...overrides,
});

describe('decideWarranty', () => {
  it('covers a fault within the warranty', () => {
    const decision = decideWarranty(input({}), 'UTC');
    expect(decision).toEqual({
      coverage: 'covered',
      reason: 'within_warranty',
      faultDate: '2026-03-02',
      warrantyUntil: '2029-04-30',
      exclusionsFound: [],
      explanation: 'fault dated 2026-03-02, warranty until 2029-04-30',
    });
    expect(WarrantyDecisionSchema.parse(decision)).toEqual(decision);
  });

  it('covers the whole last day, in the LOCAL time zone', () => {
    // 2029-04-30 15:30 UTC is 23:30 in Shanghai: still the last day.
    expect(decideWarranty(input({ faultAt: at('2029-04-30T15:30:00Z') }), 'Asia/Shanghai').coverage).toBe('covered');
    // 16:30 UTC is already 2029-05-01 00:30 in Shanghai, but still April 30th in UTC.
    expect(decideWarranty(input({ faultAt: at('2029-04-30T16:30:00Z') }), 'Asia/Shanghai')).toMatchObject({
      coverage: 'billable',
      reason: 'warranty_expired',
      faultDate: '2029-05-01',
    });
    expect(decideWarranty(input({ faultAt: at('2029-04-30T16:30:00Z') }), 'UTC').coverage).toBe('covered');
  });

  it.each<[string, Partial<WarrantyInput>, string]>([
    ['no warranty at all', { warrantyUntil: null }, 'no_warranty'],
    ['a fault dated before installation', { faultAt: at('2024-04-30T12:00:00Z') }, 'before_installation'],
    ['an expired warranty', { faultAt: at('2029-05-01T08:00:00Z') }, 'warranty_expired'],
    [
      'damage by the customer',
      { exclusions: { customerDamage: true, unauthorisedModification: false } },
      'customer_damage',
    ],
    [
      'an unauthorised modification',
      { exclusions: { customerDamage: false, unauthorisedModification: true } },
      'unauthorised_modification',
    ],
  ])('bills %s', (_case, overrides, reason) => {
    expect(decideWarranty(input(overrides), 'UTC')).toMatchObject({ coverage: 'billable', reason });
  });

  it('decides by the first rule but lists every exclusion found', () => {
    const both = { customerDamage: true, unauthorisedModification: true };
    expect(decideWarranty(input({ exclusions: both }), 'UTC')).toMatchObject({
      reason: 'customer_damage',
      exclusionsFound: ['customer_damage', 'unauthorised_modification'],
    });
    expect(decideWarranty(input({ exclusions: both, faultAt: at('2030-01-01T00:00:00Z') }), 'UTC')).toMatchObject({
      reason: 'warranty_expired',
      exclusionsFound: ['customer_damage', 'unauthorised_modification'],
    });
  });

  it('dates a fault by its earliest sign', () => {
    expect(faultInstantOf({ detectedAt: 100, customerReportedAt: 300, createdAt: 200 })).toBe(100);
    expect(faultInstantOf({ detectedAt: null, customerReportedAt: 300, createdAt: 200 })).toBe(200);
    expect(faultInstantOf({ detectedAt: null, customerReportedAt: null, createdAt: 200 })).toBe(200);
  });
});
