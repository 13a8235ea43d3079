import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '#contracts';
import type { DbExecutor } from '#database';
import { Clock } from '#platform';
import {
  actorFromPrincipal,
  decideWarranty,
  faultInstantOf,
  isOpenStatus,
  labourLineTotal,
  partLineTotal,
  summariseFees,
  type FeeLine,
  type LabourEntry,
  type PartUsage,
  type WarrantyExclusions,
} from '../domain/index.js';
import { SERVICE_DESK_CONFIG, type ServiceDeskConfig } from '../config/service-desk-options.js';
import { FleetLookupRepository } from '../fleet-lookup/fleet-lookup.repository.js';
import type { WorkOrderRef } from '../shared/id-params.js';
import { conflict } from '../shared/http-errors.js';
import { iso } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import { assertMayWorkOn, WorkOrderAccess } from '../work-orders/work-order-access.js';
import type { StoredWorkOrder } from '../work-orders/work-order.mapper.js';
import { WorkOrderRecorder } from '../work-orders/work-order-recorder.js';
import type { ChargesView, WarrantyView } from './charges.api.js';
import { ChargesRepository, type Recorded, type StoredWarrantyDecision } from './charges.repository.js';

type Line = Record<string, unknown>;

/** Parts, labour and fees recorded on a work order, the warranty decision, and the fee summary. */
@Injectable()
export class ChargesService {
  constructor(
    private readonly tx: Transactions,
    private readonly access: WorkOrderAccess,
    private readonly recorder: WorkOrderRecorder,
    private readonly charges: ChargesRepository,
    private readonly fleet: FleetLookupRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_DESK_CONFIG) private readonly config: ServiceDeskConfig,
  ) {}

  async addPart(
    principal: Principal,
    ref: WorkOrderRef,
    part: PartUsage,
  ): Promise<{ line: Line; workOrderVersion: number }> {
    return this.record(principal, ref, async (tx, stored, base) => {
      const line: Recorded<PartUsage> = { ...part, ...base };
      await this.charges.insertPart(tx, stored.workOrder.id, line);
      return {
        view: { ...part, id: line.id, recordedAt: iso(line.recordedAt), totalMinor: partLineTotal(part) },
        change: { kind: 'part_added', event: 'work_order.part_added' },
      };
    });
  }

  async addLabour(
    principal: Principal,
    ref: WorkOrderRef,
    entry: LabourEntry,
  ): Promise<{ line: Line; workOrderVersion: number }> {
    // A technician books its own time unless it names a colleague.
    const labour: LabourEntry =
      entry.technicianId === null && principal.role === 'technician'
        ? { ...entry, technicianId: principal.technicianId }
        : entry;
    return this.record(principal, ref, async (tx, stored, base) => {
      const line: Recorded<LabourEntry> = { ...labour, ...base };
      await this.charges.insertLabour(tx, stored.workOrder.id, line);
      return {
        view: { ...labour, id: line.id, recordedAt: iso(line.recordedAt), totalMinor: labourLineTotal(labour) },
        change: { kind: 'labour_added', event: 'work_order.labour_added' },
      };
    });
  }

  async addFee(
    principal: Principal,
    ref: WorkOrderRef,
    fee: FeeLine,
  ): Promise<{ line: Line; workOrderVersion: number }> {
    return this.record(principal, ref, async (tx, stored, base) => {
      const line: Recorded<FeeLine> = { ...fee, ...base };
      await this.charges.insertFee(tx, stored.workOrder.id, line);
      return {
        view: { ...fee, id: line.id, recordedAt: iso(line.recordedAt) },
        change: { kind: 'fee_added', event: 'work_order.fee_added' },
      };
    });
  }

  /** Covered or billable from the asset's warranty dates and what the technician found. */
  async decideWarranty(principal: Principal, ref: WorkOrderRef, exclusions: WarrantyExclusions): Promise<WarrantyView> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.access.load(tx, principal, ref, true);
      assertMayWorkOn(principal, stored.workOrder);
      this.assertOpen(stored);
      const asset = await this.fleet.asset(tx, stored.workOrder.assetId);
      if (asset === undefined)
        throw new Error(`asset ${stored.workOrder.assetId} of ${stored.workOrder.number} is gone`);
      const decision = decideWarranty(
        {
          installedAt: asset.installedAt,
          warrantyUntil: asset.warrantyUntil,
          faultAt: faultInstantOf(stored.workOrder),
          exclusions,
        },
        this.config.calendar.timeZone,
      );
      const actor = actorFromPrincipal(principal);
      await this.charges.saveWarranty(tx, stored.workOrder.id, {
        decision,
        exclusions,
        decidedAt: now,
        decidedBy: actor,
      });
      const after = await this.recorder.recordChange(tx, stored, actor, now, {
        kind: 'warranty_decided',
        data: { coverage: decision.coverage, reason: decision.reason, exclusionsFound: decision.exclusionsFound },
        event: 'work_order.warranty_decided',
      });
      return { ...decision, exclusions, decidedAt: iso(now), workOrderVersion: after.workOrder.version };
    });
  }

  async summary(principal: Principal, ref: WorkOrderRef): Promise<ChargesView> {
    const db = this.tx.db;
    const stored = await this.access.load(db, principal, ref);
    const id = stored.workOrder.id;
    const [parts, labour, fees, warranty] = await Promise.all([
      this.charges.partsOf(db, id),
      this.charges.labourOf(db, id),
      this.charges.feesOf(db, id),
      this.charges.warrantyOf(db, id),
    ]);
    const summary = summariseFees(
      { currency: stored.extras.currency, parts, labour, fees },
      warranty?.decision ?? null,
    );
    return {
      ...summary,
      parts: parts.map(({ recordedBy: _by, recordedAt, ...p }) => ({
        ...p,
        recordedAt: iso(recordedAt),
        totalMinor: partLineTotal(p),
      })),
      labour: labour.map(({ recordedBy: _by, recordedAt, ...l }) => ({
        ...l,
        recordedAt: iso(recordedAt),
        totalMinor: labourLineTotal(l),
      })),
      fees: fees.map(({ recordedBy: _by, recordedAt, ...f }) => ({ ...f, recordedAt: iso(recordedAt) })),
      warranty: warranty === undefined ? null : warrantyView(warranty),
    };
  }

  /** The common path of a recorded line: lock, check, insert, bump the version with a log entry and an event. */
  private async record(
    principal: Principal,
    ref: WorkOrderRef,
    insert: (
      tx: DbExecutor,
      stored: StoredWorkOrder,
      base: { id: string; recordedAt: number; recordedBy: ReturnType<typeof actorFromPrincipal> },
    ) => Promise<{
      view: Line;
      change: {
        kind: 'part_added' | 'labour_added' | 'fee_added';
        event: 'work_order.part_added' | 'work_order.labour_added' | 'work_order.fee_added';
      };
    }>,
  ): Promise<{ line: Line; workOrderVersion: number }> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.access.load(tx, principal, ref, true);
      assertMayWorkOn(principal, stored.workOrder);
      this.assertOpen(stored);
      const actor = actorFromPrincipal(principal);
      const { view, change } = await insert(tx, stored, { id: randomUUID(), recordedAt: now, recordedBy: actor });
      const after = await this.recorder.recordChange(tx, stored, actor, now, { ...change, data: view });
      return { line: view, workOrderVersion: after.workOrder.version };
    });
  }

  private assertOpen(stored: StoredWorkOrder): void {
    if (!isOpenStatus(stored.workOrder.status)) {
      throw conflict(`work order ${stored.workOrder.number} is ${stored.workOrder.status}: its charges are final`);
    }
  }
}

function warrantyView(w: StoredWarrantyDecision): WarrantyView {
  return { ...w.decision, exclusions: w.exclusions, decidedAt: iso(w.decidedAt) };
}
