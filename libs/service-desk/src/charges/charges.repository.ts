import { Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import type { DbExecutor } from '#database';
import {
  FEE_KINDS,
  PART_ORIGINS,
  WARRANTY_REASONS,
  type Actor,
  type FeeLine,
  type LabourEntry,
  type PartUsage,
  type WarrantyDecision,
  type WarrantyExclusions,
} from '../domain/index.js';
import { storedEnum } from '../shared/stored-enum.js';
import { toDate, toMs } from '../shared/time.js';
import { feeLines, labourEntries, partsUsed, warrantyDecisions } from './charges.tables.js';

/** A recorded line: what the domain prices, plus who recorded it and when. */
export type Recorded<T> = T & { readonly id: string; readonly recordedAt: number; readonly recordedBy: Actor };

export interface StoredWarrantyDecision {
  readonly decision: WarrantyDecision;
  readonly exclusions: WarrantyExclusions;
  readonly decidedAt: number;
  readonly decidedBy: Actor;
}

/** Parts, labour, fees and the warranty decision of work orders. */
@Injectable()
export class ChargesRepository {
  async insertPart(db: DbExecutor, workOrderId: string, part: Recorded<PartUsage>): Promise<void> {
    await db.insert(partsUsed).values({ ...part, workOrderId, recordedAt: toDate(part.recordedAt) });
  }

  async insertLabour(db: DbExecutor, workOrderId: string, labour: Recorded<LabourEntry>): Promise<void> {
    await db.insert(labourEntries).values({ ...labour, workOrderId, recordedAt: toDate(labour.recordedAt) });
  }

  async insertFee(db: DbExecutor, workOrderId: string, fee: Recorded<FeeLine>): Promise<void> {
    await db.insert(feeLines).values({ ...fee, workOrderId, recordedAt: toDate(fee.recordedAt) });
  }

  async partsOf(db: DbExecutor, workOrderId: string): Promise<Recorded<PartUsage>[]> {
    const rows = await db
      .select()
      .from(partsUsed)
      .where(eq(partsUsed.workOrderId, workOrderId))
      .orderBy(asc(partsUsed.recordedAt), asc(partsUsed.id));
    return rows.map((r) => ({
      id: r.id,
      partNumber: r.partNumber,
      description: r.description,
      batch: r.batch,
      supplier: r.supplier,
      origin: storedEnum(PART_ORIGINS, r.origin, 'work_order_parts.origin'),
      quantity: r.quantity,
      unit: r.unit,
      unitPriceMinor: r.unitPriceMinor,
      recordedAt: toMs(r.recordedAt),
      recordedBy: r.recordedBy,
    }));
  }

  async labourOf(db: DbExecutor, workOrderId: string): Promise<Recorded<LabourEntry>[]> {
    const rows = await db
      .select()
      .from(labourEntries)
      .where(eq(labourEntries.workOrderId, workOrderId))
      .orderBy(asc(labourEntries.recordedAt), asc(labourEntries.id));
    return rows.map((r) => ({
      id: r.id,
      technicianId: r.technicianId,
      description: r.description,
      minutes: r.minutes,
      hourlyRateMinor: r.hourlyRateMinor,
      recordedAt: toMs(r.recordedAt),
      recordedBy: r.recordedBy,
    }));
  }

  async feesOf(db: DbExecutor, workOrderId: string): Promise<Recorded<FeeLine>[]> {
    const rows = await db
      .select()
      .from(feeLines)
      .where(eq(feeLines.workOrderId, workOrderId))
      .orderBy(asc(feeLines.recordedAt), asc(feeLines.id));
    return rows.map((r) => ({
      id: r.id,
      kind: storedEnum(FEE_KINDS, r.kind, 'work_order_fees.kind'),
      description: r.description,
      amountMinor: r.amountMinor,
      recordedAt: toMs(r.recordedAt),
      recordedBy: r.recordedBy,
    }));
  }

  /** Stores the decision, replacing an earlier one (the event log keeps every decision). */
  async saveWarranty(db: DbExecutor, workOrderId: string, stored: StoredWarrantyDecision): Promise<void> {
    const values = {
      coverage: stored.decision.coverage,
      reason: stored.decision.reason,
      faultDate: stored.decision.faultDate,
      warrantyUntil: stored.decision.warrantyUntil,
      exclusions: stored.exclusions,
      exclusionsFound: [...stored.decision.exclusionsFound],
      explanation: stored.decision.explanation,
      decidedAt: toDate(stored.decidedAt),
      decidedBy: stored.decidedBy,
    };
    await db
      .insert(warrantyDecisions)
      .values({ workOrderId, ...values })
      .onConflictDoUpdate({ target: warrantyDecisions.workOrderId, set: values });
  }

  async warrantyOf(db: DbExecutor, workOrderId: string): Promise<StoredWarrantyDecision | undefined> {
    const rows = await db
      .select()
      .from(warrantyDecisions)
      .where(eq(warrantyDecisions.workOrderId, workOrderId))
      .limit(1);
    const r = rows[0];
    if (r === undefined) return undefined;
    return {
      decision: {
        coverage: storedEnum(['covered', 'billable'] as const, r.coverage, 'work_order_warranty.coverage'),
        reason: storedEnum(WARRANTY_REASONS, r.reason, 'work_order_warranty.reason'),
        faultDate: r.faultDate,
        warrantyUntil: r.warrantyUntil,
        exclusionsFound: r.exclusionsFound.map((e) =>
          storedEnum(
            ['customer_damage', 'unauthorised_modification'] as const,
            e,
            'work_order_warranty.exclusions_found',
          ),
        ),
        explanation: r.explanation,
      },
      exclusions: r.exclusions,
      decidedAt: toMs(r.decidedAt),
      decidedBy: r.decidedBy,
    };
  }
}
