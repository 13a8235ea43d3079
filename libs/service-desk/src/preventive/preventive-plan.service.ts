import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { DbExecutor } from '#database';
import { Clock, describeZodError } from '#platform';
import { NO_PROGRESS, nextDueDate, openingDate, PreventivePlanSchema, type PreventivePlan } from '../domain/index.js';
import { SERVICE_DESK_CONFIG, type ServiceDeskConfig } from '../config/service-desk-options.js';
import { FleetLookupRepository } from '../fleet-lookup/fleet-lookup.repository.js';
import { invalidField, notFound, unknownReference } from '../shared/http-errors.js';
import { ServiceDeskEvents } from '../shared/service-desk-events.js';
import { iso } from '../shared/time.js';
import { Transactions } from '../shared/transactions.js';
import type {
  PreventivePlanCreate,
  PreventivePlanListQuery,
  PreventivePlanPatch,
  PreventivePlanView,
} from './preventive-plan.api.js';
import { PreventivePlanRepository, type StoredPlan } from './preventive-plan.repository.js';

export function toPlanView(stored: StoredPlan): PreventivePlanView {
  const due = nextDueDate(stored.plan, stored.progress);
  return {
    ...stored.plan,
    progress: stored.progress,
    nextDueDate: due,
    nextOpensOn: due === null ? null : openingDate(due, stored.plan.leadDays),
    lastWorkOrderId: stored.lastWorkOrderId,
    createdAt: iso(stored.createdAt),
    updatedAt: iso(stored.updatedAt),
  };
}

/** The whole plan checked by the domain schema (its cross-field rule included), as a 400 naming the field. */
function validPlan(candidate: unknown): PreventivePlan {
  const result = PreventivePlanSchema.safeParse(candidate);
  if (!result.success) {
    const { field, message } = describeZodError(result.error);
    throw invalidField(field, message.replace(`${field}: `, ''));
  }
  return result.data;
}

/** Preventive-maintenance plans (CRUD); the PreventiveScheduler opens their work orders. */
@Injectable()
export class PreventivePlanService {
  constructor(
    private readonly tx: Transactions,
    private readonly plans: PreventivePlanRepository,
    private readonly fleet: FleetLookupRepository,
    private readonly events: ServiceDeskEvents,
    private readonly clock: Clock,
    @Inject(SERVICE_DESK_CONFIG) private readonly config: ServiceDeskConfig,
  ) {}

  async create(dto: PreventivePlanCreate): Promise<PreventivePlanView> {
    const now = this.clock.now();
    const plan = validPlan({ ...dto, id: randomUUID() });
    return this.tx.run(async (tx) => {
      const asset = await this.fleet.asset(tx, plan.assetId);
      if (asset === undefined) throw unknownReference('assetId', 'asset', plan.assetId);
      const stored = await this.plans.insert(tx, plan, NO_PROGRESS, now);
      await this.publish(tx, 'preventive_plan.created', stored, asset.customerId, now);
      return toPlanView(stored);
    });
  }

  async list(q: PreventivePlanListQuery): Promise<PreventivePlanView[]> {
    const rows = await this.plans.list(this.tx.db, q);
    return rows.map(toPlanView);
  }

  async get(id: string): Promise<PreventivePlanView> {
    const stored = await this.plans.find(this.tx.db, id);
    if (stored === undefined) throw notFound('preventive plan', id);
    return toPlanView(stored);
  }

  /** A changed schedule applies from the next occurrence: what was opened stays opened. */
  async update(id: string, patch: PreventivePlanPatch): Promise<PreventivePlanView> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.plans.find(tx, id, true);
      if (stored === undefined) throw notFound('preventive plan', id);
      const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
      const plan = validPlan({ ...stored.plan, ...defined });
      const saved = await this.plans.save(
        tx,
        { plan, progress: stored.progress, lastWorkOrderId: stored.lastWorkOrderId },
        now,
      );
      const asset = await this.fleet.asset(tx, plan.assetId);
      await this.publish(tx, 'preventive_plan.updated', saved, asset?.customerId ?? null, now);
      return toPlanView(saved);
    });
  }

  async delete(id: string): Promise<void> {
    const now = this.clock.now();
    await this.tx.run(async (tx) => {
      const stored = await this.plans.find(tx, id, true);
      if (stored === undefined || !(await this.plans.delete(tx, id))) throw notFound('preventive plan', id);
      const asset = await this.fleet.asset(tx, stored.plan.assetId);
      await this.publish(tx, 'preventive_plan.deleted', stored, asset?.customerId ?? null, now);
    });
  }

  private async publish(
    tx: DbExecutor,
    type: 'preventive_plan.created' | 'preventive_plan.updated' | 'preventive_plan.deleted',
    stored: StoredPlan,
    customerId: string | null,
    now: number,
  ): Promise<void> {
    const view = toPlanView(stored);
    await this.events.other(tx, type, { kind: 'preventive_plan', id: stored.plan.id }, customerId, now, {
      assetId: view.assetId,
      title: view.title,
      active: view.active,
      nextDueDate: view.nextDueDate,
      timeZone: this.config.calendar.timeZone,
    });
  }
}
