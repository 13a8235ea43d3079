import { z } from 'zod';
import {
  FeeLineSchema,
  LabourEntrySchema,
  PartUsageSchema,
  WarrantyDecisionSchema,
  WarrantyExclusionsSchema,
} from '../domain/index.js';

const recorded = { id: z.uuid(), recordedAt: z.iso.datetime(), totalMinor: z.number().int() };

export const PartViewSchema = PartUsageSchema.extend(recorded);
export const LabourViewSchema = LabourEntrySchema.extend(recorded);
export const FeeViewSchema = FeeLineSchema.extend({ id: z.uuid(), recordedAt: z.iso.datetime() });

/** Answer of the parts / labour / fee endpoints: the line, and the work order's version after it. */
export const RecordedLineSchema = z.object({
  line: z.union([PartViewSchema, LabourViewSchema, FeeViewSchema]),
  workOrderVersion: z.number().int(),
});

/** Body of `POST /api/work-orders/{id}/warranty`: what the technician found. */
export const WarrantyRequestSchema = WarrantyExclusionsSchema;

export const WarrantyViewSchema = WarrantyDecisionSchema.extend({
  exclusions: WarrantyExclusionsSchema,
  decidedAt: z.iso.datetime(),
  workOrderVersion: z.number().int().optional(),
});
export type WarrantyView = z.infer<typeof WarrantyViewSchema>;

/** `GET /api/work-orders/{id}/charges`: every line priced, totals, and the split between warranty and customer. */
export const ChargesViewSchema = z.object({
  currency: z.string(),
  coverage: z.enum(['covered', 'billable', 'undecided']),
  parts: z.array(PartViewSchema),
  labour: z.array(LabourViewSchema),
  fees: z.array(FeeViewSchema),
  partsTotalMinor: z.number().int(),
  labourTotalMinor: z.number().int(),
  feesTotalMinor: z.number().int(),
  totalMinor: z.number().int(),
  coveredMinor: z.number().int().describe('what the warranty pays'),
  billableMinor: z.number().int().describe('what the customer is billed (net of tax)'),
  genuinePartsLines: z.number().int(),
  certifiedAlternativeLines: z.number().int(),
  warranty: WarrantyViewSchema.nullable(),
});
export type ChargesView = z.infer<typeof ChargesViewSchema>;
