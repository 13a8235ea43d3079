import { describe, expect, it } from 'vitest';
import { labourLineTotal, partLineTotal, summariseFees } from './fee-summary.js';
import { ChargesSchema, PartUsageSchema, type Charges } from './parts-and-fees.schema.js';
import { decideWarranty } from './warranty-decision.js';

const charges: Charges = ChargesSchema.parse({
  currency: 'EUR',
  parts: [
    // 2.5 L x 19.99 = 49.975 -> 49.98 (half up)
    {
      partNumber: 'EP-400-2K',
      batch: 'L2026-031',
      supplier: 'Jotun',
      origin: 'genuine',
      quantity: 2.5,
      unit: 'L',
      unitPriceMinor: 1999,
    },
    // 3 x 120.00 = 360.00
    {
      partNumber: 'ZN-ANODE-10',
      batch: 'B7781',
      supplier: 'Cathodic Ltd',
      origin: 'certified_alternative',
      quantity: 3,
      unitPriceMinor: 12000,
    },
    // 0.333 kg x 10.00 = 3.33
    {
      partNumber: 'FILLER-1',
      batch: 'F-9',
      supplier: 'Jotun',
      origin: 'genuine',
      quantity: 0.333,
      unit: 'kg',
      unitPriceMinor: 1000,
    },
  ],
  labour: [
    // 90 min at 850.00/h = 1275.00
    { minutes: 90, hourlyRateMinor: 85000 },
    // 20 min at 850.00/h = 283.333... -> 283.33
    { minutes: 20, hourlyRateMinor: 85000 },
  ],
  fees: [{ kind: 'call_out', description: 'call-out', amountMinor: 15000 }],
});

describe('line totals', () => {
  it('round half up to the minor unit, exactly', () => {
    expect(partLineTotal({ quantity: 2.5, unitPriceMinor: 1999 })).toBe(4998);
    expect(partLineTotal({ quantity: 1.005, unitPriceMinor: 1000 })).toBe(1005); // 1.005 is not exact in binary
    expect(partLineTotal({ quantity: 0.001, unitPriceMinor: 499 })).toBe(0); // 0.499 -> 0
    expect(partLineTotal({ quantity: 0.001, unitPriceMinor: 500 })).toBe(1); // 0.5 -> 1
    // The largest line the schema allows stays exact: 9 999 999 thousandths x 999 999 999 / 1000
    // = 9 999 998 990 000.001 -> 9 999 998 990 000.
    expect(partLineTotal({ quantity: 9_999.999, unitPriceMinor: 999_999_999 })).toBe(9_999_998_990_000);
    expect(labourLineTotal({ minutes: 20, hourlyRateMinor: 85000 })).toBe(28333);
    expect(labourLineTotal({ minutes: 1, hourlyRateMinor: 30 })).toBe(1); // 0.5 -> 1
  });
});

describe('summariseFees', () => {
  it('totals parts, labour and fees; a billable repair is billed whole', () => {
    const billable = decideWarranty(
      {
        installedAt: '2020-01-01',
        warrantyUntil: '2022-01-01',
        faultAt: Date.parse('2026-03-02T09:00:00Z'),
        exclusions: { customerDamage: false, unauthorisedModification: false },
      },
      'UTC',
    );
    const summary = summariseFees(charges, billable);
    expect(summary.parts.map((p) => p.totalMinor)).toEqual([4998, 36000, 333]);
    expect(summary.labour.map((l) => l.totalMinor)).toEqual([127500, 28333]);
    expect(summary).toMatchObject({
      currency: 'EUR',
      coverage: 'billable',
      partsTotalMinor: 41331, // 4998 + 36000 + 333
      labourTotalMinor: 155833, // 127500 + 28333
      feesTotalMinor: 15000,
      totalMinor: 212164, // 41331 + 155833 + 15000
      coveredMinor: 0,
      billableMinor: 212164,
      genuinePartsLines: 2,
      certifiedAlternativeLines: 1,
    });
    expect(summary.parts[0]).toMatchObject({
      partNumber: 'EP-400-2K',
      batch: 'L2026-031',
      supplier: 'Jotun',
      origin: 'genuine',
    });
  });

  it('puts a covered repair on the warranty, and bills provisionally while undecided', () => {
    const covered = decideWarranty(
      {
        installedAt: '2024-01-01',
        warrantyUntil: '2030-01-01',
        faultAt: Date.parse('2026-03-02T09:00:00Z'),
        exclusions: { customerDamage: false, unauthorisedModification: false },
      },
      'UTC',
    );
    expect(summariseFees(charges, covered)).toMatchObject({
      coverage: 'covered',
      coveredMinor: 212164,
      billableMinor: 0,
    });
    expect(summariseFees(charges, null)).toMatchObject({
      coverage: 'undecided',
      coveredMinor: 0,
      billableMinor: 212164,
    });
  });

  it('sums to zero with no lines', () => {
    expect(summariseFees(ChargesSchema.parse({ currency: 'NOK' }), null)).toMatchObject({
      totalMinor: 0,
      billableMinor: 0,
    });
  });
});

describe('part schema', () => {
  it('refuses more than 3 decimals, a missing batch and a lower-case currency, naming the field', () => {
    const part = { partNumber: 'P', batch: 'B', supplier: 'S', origin: 'genuine', quantity: 1, unitPriceMinor: 1 };
    expect(PartUsageSchema.safeParse({ ...part, quantity: 0.0001 }).error?.issues[0]?.path).toEqual(['quantity']);
    expect(PartUsageSchema.safeParse({ ...part, batch: ' ' }).error?.issues[0]?.path).toEqual(['batch']);
    expect(PartUsageSchema.safeParse({ ...part, origin: 'counterfeit' }).error?.issues[0]?.path).toEqual(['origin']);
    expect(ChargesSchema.safeParse({ currency: 'eur' }).error?.issues[0]?.path).toEqual(['currency']);
    expect(PartUsageSchema.safeParse({ ...part, unitPriceMinor: 1e9 + 1 }).error?.issues[0]?.path).toEqual([
      'unitPriceMinor',
    ]);
  });
});
