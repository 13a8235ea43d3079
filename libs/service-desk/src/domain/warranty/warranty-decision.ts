import { z } from 'zod';
import { CalendarDateSchema } from '../calendar/calendar-date.js';
import { localDate } from '../calendar/time-zone.js';
import type { WorkOrder } from '../work-order/work-order.schema.js';
import { EpochMsSchema } from '../work-order/work-order.schema.js';

/** What the technician found that voids the warranty for this fault. */
export const WarrantyExclusionsSchema = z.strictObject({
  customerDamage: z.boolean().default(false).describe('damage caused by the customer (impact, misuse, wrong cleaning)'),
  unauthorisedModification: z
    .boolean()
    .default(false)
    .describe('work on the asset or system by someone not authorised'),
});
export type WarrantyExclusions = z.infer<typeof WarrantyExclusionsSchema>;

/** The asset's dates (its coating spec: installedAt, warrantyUntil) and the fault. */
export const WarrantyInputSchema = z.strictObject({
  installedAt: CalendarDateSchema,
  warrantyUntil: CalendarDateSchema.nullable(),
  faultAt: EpochMsSchema.describe('when the fault was first known: see faultInstantOf'),
  exclusions: WarrantyExclusionsSchema,
});
export type WarrantyInput = z.infer<typeof WarrantyInputSchema>;

export const WARRANTY_REASONS = [
  'within_warranty',
  'no_warranty',
  'before_installation',
  'warranty_expired',
  'customer_damage',
  'unauthorised_modification',
] as const;
export type WarrantyReason = (typeof WARRANTY_REASONS)[number];

export const WarrantyDecisionSchema = z.strictObject({
  coverage: z.enum(['covered', 'billable']),
  reason: z.enum(WARRANTY_REASONS),
  faultDate: CalendarDateSchema.describe('local date of the fault in the service time zone'),
  warrantyUntil: CalendarDateSchema.nullable(),
  exclusionsFound: z.array(z.enum(['customer_damage', 'unauthorised_modification'])),
  explanation: z.string(),
});
export type WarrantyDecision = z.infer<typeof WarrantyDecisionSchema>;

/**
 * The instant a fault is dated by: the earliest sign of it (the detector's event time, the customer's report,
 * or the opening of the work order). A fault the sensors saw before the warranty ended stays covered even if
 * the work order was opened after.
 */
export function faultInstantOf(workOrder: Pick<WorkOrder, 'detectedAt' | 'customerReportedAt' | 'createdAt'>): number {
  return Math.min(
    ...[workOrder.detectedAt, workOrder.customerReportedAt, workOrder.createdAt].filter((t): t is number => t !== null),
  );
}

/**
 * Covered or billable, with the reason. Warranty dates are calendar dates, so the fault is dated by its local
 * date in the service time zone and the warranty runs to the END of `warrantyUntil` (inclusive). The first rule
 * that applies decides, in this order: no warranty; fault before installation (the asset's dates are wrong or
 * the fault is not about this installation); warranty expired; damage by the customer; unauthorised
 * modification; otherwise covered. Exclusions found are listed even when an earlier rule decided.
 */
export function decideWarranty(input: WarrantyInput, timeZone: string): WarrantyDecision {
  const faultDate = localDate(input.faultAt, timeZone);
  const exclusionsFound: WarrantyDecision['exclusionsFound'] = [];
  if (input.exclusions.customerDamage) exclusionsFound.push('customer_damage');
  if (input.exclusions.unauthorisedModification) exclusionsFound.push('unauthorised_modification');
  const decide = (
    coverage: WarrantyDecision['coverage'],
    reason: WarrantyReason,
    explanation: string,
  ): WarrantyDecision => ({
    coverage,
    reason,
    faultDate,
    warrantyUntil: input.warrantyUntil,
    exclusionsFound,
    explanation,
  });

  if (input.warrantyUntil === null) return decide('billable', 'no_warranty', 'the asset has no warranty');
  if (faultDate < input.installedAt) {
    return decide(
      'billable',
      'before_installation',
      `fault dated ${faultDate}, before installation on ${input.installedAt}`,
    );
  }
  if (faultDate > input.warrantyUntil) {
    return decide('billable', 'warranty_expired', `fault dated ${faultDate}, warranty ended ${input.warrantyUntil}`);
  }
  if (input.exclusions.customerDamage) {
    return decide('billable', 'customer_damage', 'within warranty, but the damage was caused by the customer');
  }
  if (input.exclusions.unauthorisedModification) {
    return decide(
      'billable',
      'unauthorised_modification',
      'within warranty, but the asset was modified without authorisation',
    );
  }
  return decide('covered', 'within_warranty', `fault dated ${faultDate}, warranty until ${input.warrantyUntil}`);
}
