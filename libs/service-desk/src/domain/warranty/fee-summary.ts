import type { Charges, FeeLine, LabourEntry, PartUsage } from './parts-and-fees.schema.js';
import type { WarrantyDecision } from './warranty-decision.js';

export type PricedPart = PartUsage & { readonly totalMinor: number };
export type PricedLabour = LabourEntry & { readonly totalMinor: number };

export interface FeeSummary {
  readonly currency: string;
  /** covered / billable from the warranty decision; undecided while there is none (billed provisionally). */
  readonly coverage: 'covered' | 'billable' | 'undecided';
  readonly parts: readonly PricedPart[];
  readonly labour: readonly PricedLabour[];
  readonly fees: readonly FeeLine[];
  readonly partsTotalMinor: number;
  readonly labourTotalMinor: number;
  readonly feesTotalMinor: number;
  readonly totalMinor: number;
  /** What the warranty pays. */
  readonly coveredMinor: number;
  /** What the customer is billed (net of tax: invoicing adds tax). */
  readonly billableMinor: number;
  readonly genuinePartsLines: number;
  readonly certifiedAlternativeLines: number;
}

/** round(a x b / d), half up, exactly: BigInt keeps every digit however large the product. */
function mulDivHalfUp(a: number, b: number, d: number): number {
  const denominator = BigInt(d);
  return Number((BigInt(a) * BigInt(b) * 2n + denominator) / (2n * denominator));
}

/** quantity (<= 3 decimals) x unit price, rounded half up to the minor unit. */
export function partLineTotal(part: Pick<PartUsage, 'quantity' | 'unitPriceMinor'>): number {
  return mulDivHalfUp(Math.round(part.quantity * 1000), part.unitPriceMinor, 1000);
}

/** minutes x hourly rate / 60, rounded half up to the minor unit. */
export function labourLineTotal(entry: Pick<LabourEntry, 'minutes' | 'hourlyRateMinor'>): number {
  return mulDivHalfUp(entry.minutes, entry.hourlyRateMinor, 60);
}

/**
 * Prices parts and labour line by line, totals them with the fees, and splits the total between the warranty and
 * the customer. A covered repair is covered whole (parts, labour and fees: the call-out would not have happened
 * without the defect); a billable one is billed whole.
 */
export function summariseFees(charges: Charges, warranty: WarrantyDecision | null): FeeSummary {
  const parts = charges.parts.map((p) => ({ ...p, totalMinor: partLineTotal(p) }));
  const labour = charges.labour.map((l) => ({ ...l, totalMinor: labourLineTotal(l) }));
  const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);
  const partsTotalMinor = sum(parts.map((p) => p.totalMinor));
  const labourTotalMinor = sum(labour.map((l) => l.totalMinor));
  const feesTotalMinor = sum(charges.fees.map((f) => f.amountMinor));
  const totalMinor = partsTotalMinor + labourTotalMinor + feesTotalMinor;
  const coverage = warranty?.coverage ?? 'undecided';
  const coveredMinor = coverage === 'covered' ? totalMinor : 0;
  return {
    currency: charges.currency,
    coverage,
    parts,
    labour,
    fees: charges.fees,
    partsTotalMinor,
    labourTotalMinor,
    feesTotalMinor,
    totalMinor,
    coveredMinor,
    billableMinor: totalMinor - coveredMinor,
    genuinePartsLines: parts.filter((p) => p.origin === 'genuine').length,
    certifiedAlternativeLines: parts.filter((p) => p.origin === 'certified_alternative').length,
  };
}
