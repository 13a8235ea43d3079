import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '#contracts';
import type { DbExecutor } from '#database';
import { Clock } from '#platform';
import { actorFromPrincipal, rankTechnicians, type Ranking, type WorkOrder } from '../domain/index.js';
import { SERVICE_DESK_CONFIG, type ServiceDeskConfig } from '../config/service-desk-options.js';
import { FleetLookupRepository, type TechnicianFacts } from '../fleet-lookup/fleet-lookup.repository.js';
import type { WorkOrderRef } from '../shared/id-params.js';
import { conflict } from '../shared/http-errors.js';
import { Transactions } from '../shared/transactions.js';
import type { AutoAssign } from '../work-orders/work-order.api.js';
import { WorkOrderAccess } from '../work-orders/work-order-access.js';
import { WorkOrderRecorder } from '../work-orders/work-order-recorder.js';
import { WorkOrderRepository } from '../work-orders/work-order.repository.js';
import { toWorkOrderView } from '../work-orders/work-order.view.js';
import type { AutoAssignResult, CandidatesView } from './dispatch.api.js';

/** Ranks technicians for a work order (the domain's rankTechnicians over fleet's technicians and their load). */
@Injectable()
export class DispatchService {
  constructor(
    private readonly tx: Transactions,
    private readonly access: WorkOrderAccess,
    private readonly recorder: WorkOrderRecorder,
    private readonly workOrders: WorkOrderRepository,
    private readonly fleet: FleetLookupRepository,
    private readonly clock: Clock,
    @Inject(SERVICE_DESK_CONFIG) private readonly config: ServiceDeskConfig,
  ) {}

  async candidates(principal: Principal, ref: WorkOrderRef): Promise<CandidatesView> {
    const stored = await this.access.load(this.tx.db, principal, ref);
    const { ranking, technicians } = await this.rank(this.tx.db, stored.workOrder);
    return view(ranking, technicians);
  }

  /** Assigns the best candidate (a move to `assigned` by the caller); 409 naming the exclusions when nobody fits. */
  async autoAssign(principal: Principal, ref: WorkOrderRef, body: AutoAssign): Promise<AutoAssignResult> {
    const now = this.clock.now();
    return this.tx.run(async (tx) => {
      const stored = await this.access.load(tx, principal, ref);
      const { ranking, technicians } = await this.rank(tx, stored.workOrder);
      const candidates = view(ranking, technicians);
      const chosen = candidates.candidates[0];
      if (chosen === undefined) {
        throw conflict(`no technician qualifies for work order ${stored.workOrder.number}`, {
          excluded: candidates.excluded,
        });
      }
      const after = await this.recorder.transition(
        tx,
        stored,
        {
          to: 'assigned',
          version: body.version,
          technicianId: chosen.technicianId,
          note: body.note ?? `auto-assigned: score ${chosen.score.toFixed(1)}`,
        },
        actorFromPrincipal(principal),
        now,
      );
      return { workOrder: toWorkOrderView(after, now), chosen };
    });
  }

  private async rank(db: DbExecutor, wo: WorkOrder): Promise<{ ranking: Ranking; technicians: TechnicianFacts[] }> {
    const [asset, technicians, load] = await Promise.all([
      this.fleet.asset(db, wo.assetId),
      this.fleet.technicians(db),
      this.workOrders.openLoadByTechnician(db),
    ]);
    // The technician already on it is not a candidate for a reassignment.
    const pool = technicians.filter((t) => t.id !== wo.technicianId);
    const ranking = rankTechnicians(
      {
        priority: wo.priority,
        faultCategory: wo.faultCategory,
        location: asset?.location ?? null,
        region: asset?.region ?? wo.region,
        requiredSkills: [],
      },
      pool.map(({ name: _name, ...t }) => ({ ...t, openWorkOrders: load.get(t.id) ?? 0 })),
      this.config.dispatchPolicy,
    );
    return { ranking, technicians: pool };
  }
}

function view(ranking: Ranking, technicians: readonly TechnicianFacts[]): CandidatesView {
  const names = new Map(technicians.map((t) => [t.id, t.name]));
  const nameOf = (id: string): string => names.get(id) ?? '';
  return {
    requirements: { ...ranking.requirements, skills: [...ranking.requirements.skills] },
    candidates: ranking.candidates.map((c) => ({ ...c, name: nameOf(c.technicianId) })),
    excluded: ranking.excluded.map((e) => ({
      technicianId: e.technicianId,
      name: nameOf(e.technicianId),
      reasons: e.reasons.map((r) => ({ ...r })),
    })),
  };
}
