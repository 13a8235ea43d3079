import { z } from 'zod';

/**
 * Money is integer MINOR units (cents, oere, fen) of one ISO 4217 currency per work order: no binary
 * floating point ever touches an amount. The bounds keep every total a safe integer: a line is at most
 * 10 000 x 10^9 = 10^13, and 200 + 200 + 100 lines stay far below 2^53 (9.007 x 10^15).
 */
export const CurrencySchema = z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as "EUR"');
export const MinorUnitsSchema = z.number().int().min(0).max(1e9).describe('amount in minor units (cents)');

export const PART_ORIGINS = ['genuine', 'certified_alternative'] as const;
export type PartOrigin = (typeof PART_ORIGINS)[number];

/** Quantities carry at most 3 decimals (2.5 litres of coating, 0.125 kg of filler), so they scale to integers. */
const QuantitySchema = z
  .number()
  .positive()
  .max(10_000)
  .refine((q) => Math.abs(q * 1000 - Math.round(q * 1000)) < 1e-6, { message: 'quantity has at most 3 decimals' });

/** A part used on a work order, traceable to its batch and supplier (a bad batch can then be recalled). */
export const PartUsageSchema = z.strictObject({
  partNumber: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500).nullable().default(null),
  batch: z.string().trim().min(1).max(100).describe('batch / lot number'),
  supplier: z.string().trim().min(1).max(200),
  origin: z.enum(PART_ORIGINS).describe('genuine part, or an alternative certified as equivalent'),
  quantity: QuantitySchema,
  unit: z.string().trim().min(1).max(20).default('pcs'),
  unitPriceMinor: MinorUnitsSchema,
});
export type PartUsage = z.infer<typeof PartUsageSchema>;

export const LabourEntrySchema = z.strictObject({
  technicianId: z.uuid().nullable().default(null),
  description: z.string().trim().max(500).nullable().default(null),
  minutes: z.number().int().min(1).max(100_000),
  hourlyRateMinor: MinorUnitsSchema,
});
export type LabourEntry = z.infer<typeof LabourEntrySchema>;

export const FEE_KINDS = ['call_out', 'travel', 'out_of_hours', 'disposal', 'other'] as const;
export const FeeLineSchema = z.strictObject({
  kind: z.enum(FEE_KINDS),
  description: z.string().trim().min(1).max(500),
  amountMinor: MinorUnitsSchema,
});
export type FeeLine = z.infer<typeof FeeLineSchema>;

export const ChargesSchema = z.strictObject({
  currency: CurrencySchema,
  parts: z.array(PartUsageSchema).max(200).default([]),
  labour: z.array(LabourEntrySchema).max(200).default([]),
  fees: z.array(FeeLineSchema).max(100).default([]),
});
export type Charges = z.infer<typeof ChargesSchema>;
