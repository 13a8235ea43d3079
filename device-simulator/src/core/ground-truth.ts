import type { BadPayloadKind } from './bad-payloads.js';
import type { CustomerReportAnswer, CustomerReportOutcome } from './customer-report.js';
import type { FaultKind } from './fault-kinds.js';
import type { FaultParams } from './fault-plan.js';
import type { SimCoating } from './fleet.js';
import type { Simulation } from './simulation.js';
import { isoTime } from './time.js';

/** Gateway ids of what provisioning created (absent in a dry run). */
export interface GatewayIds {
  readonly customers: ReadonlyMap<string, string>;
  readonly assets: ReadonlyMap<string, string>;
}

/**
 * Whether the customer's report went to the service desk (sent, with its answer), is only in this file
 * (recorded), could not be sent (failed), falls after the run (after_run), or there is none.
 */
export type CustomerReportStatus = 'sent' | 'recorded' | 'failed' | 'after_run' | 'none';

/** One line of the ground-truth JSON Lines file. */
export type TruthRecord =
  | {
      readonly type: 'run';
      readonly scenario: string;
      readonly seed: number;
      readonly start: string;
      readonly end: string;
      readonly customers: number;
      readonly assets: number;
      readonly devices: number;
      readonly badPayloadRate: number;
      readonly unplaceableFaultKinds: readonly FaultKind[];
    }
  | {
      readonly type: 'asset';
      readonly assetKey: string;
      readonly assetId: string | null;
      readonly customerKey: string;
      readonly customerId: string | null;
      readonly name: string;
      readonly kind: string;
      readonly region: string;
      readonly coating: SimCoating;
      readonly cathodicProtection: boolean;
      readonly deviceIds: readonly string[];
    }
  | {
      readonly type: 'device';
      readonly deviceId: string;
      readonly assetKey: string;
      readonly kind: string;
      readonly samplingIntervalS: number;
      readonly metrics: readonly string[];
      /** No fault of its own and none on its asset: every alert on it is a false alarm. */
      readonly healthy: boolean;
    }
  | {
      readonly type: 'fault';
      readonly faultId: string;
      readonly kind: FaultKind | 'coating_end_of_life';
      /** False for an asset that wore out by itself during the run. */
      readonly injected: boolean;
      readonly scope: 'asset' | 'sensor';
      readonly assetKey: string;
      readonly assetId: string | null;
      /** The device whose series shows it first. */
      readonly deviceId: string;
      /** Every device of the asset (for an asset fault) or the faulty device. */
      readonly deviceIds: readonly string[];
      readonly metric: string | null;
      readonly startAt: string;
      /** When the customer could notice it, null if not within the run. */
      readonly failureAt: string | null;
      /**
       * No failure within the run: when it would have come had the run gone on (the asset's physics carried on
       * for up to two years, no readings); null otherwise. For lead times of slow faults.
       */
      readonly projectedFailureAt: string | null;
      readonly customerReportAt: string | null;
      readonly customerReport: CustomerReportStatus;
      /** The service desk's answer to a sent report: linked to a detector work order = the platform was first. */
      readonly customerReportAnswer: CustomerReportAnswer | null;
      readonly customerReportError: string | null;
      readonly params: FaultParams | null;
    }
  | {
      readonly type: 'bad_payload';
      readonly deviceId: string;
      readonly at: string;
      /** The rejection reason the gateway should answer. */
      readonly reason: BadPayloadKind;
    }
  | { readonly type: 'summary'; readonly [key: string]: unknown };

/**
 * The ground truth of a run, from the simulation after (or during) its event stream. `reports` holds,
 * by fault id, how each customer report that was due went.
 */
export function groundTruth(
  sim: Simulation,
  ids: GatewayIds | undefined,
  reports: ReadonlyMap<string, CustomerReportOutcome>,
): TruthRecord[] {
  const s = sim.fleet;
  const records: TruthRecord[] = [];
  const runScenario = sim.scenario;
  records.push({
    type: 'run',
    scenario: runScenario.name,
    seed: runScenario.seed,
    start: isoTime(sim.startMs),
    end: isoTime(sim.endMs),
    customers: s.customers.length,
    assets: s.assets.length,
    devices: s.devices.length,
    badPayloadRate: runScenario.transport.badPayloadRate,
    unplaceableFaultKinds: sim.plan.unplaceable,
  });
  for (const a of s.assets) {
    const customerKey = s.customers[a.customerIndex]!.key;
    records.push({
      type: 'asset',
      assetKey: a.key,
      assetId: ids?.assets.get(a.key) ?? null,
      customerKey,
      customerId: ids?.customers.get(customerKey) ?? null,
      name: a.name,
      kind: a.kind,
      region: a.region,
      coating: a.coating,
      cathodicProtection: a.physics.cp !== null,
      deviceIds: a.deviceIndexes.map((i) => s.devices[i]!.id),
    });
  }
  const faultyAssets = new Set(
    sim.outcomes.filter((o) => sim.fault(o.id)?.scope !== 'sensor').map((o) => o.assetIndex),
  );
  const faultyDevices = new Set(sim.plan.faults.filter((f) => f.scope === 'sensor').map((f) => f.deviceIndex));
  for (const d of s.devices) {
    records.push({
      type: 'device',
      deviceId: d.id,
      assetKey: s.assets[d.assetIndex]!.key,
      kind: d.kind,
      samplingIntervalS: d.samplingIntervalS,
      metrics: d.metrics,
      healthy: !faultyAssets.has(d.assetIndex) && !faultyDevices.has(d.index),
    });
  }
  // A run stopped early (Ctrl-C) only vouches for what happened before the event time it reached.
  const reached = sim.counters.now;
  for (const o of sim.outcomes) {
    const planned = sim.fault(o.id);
    const asset = s.assets[o.assetIndex]!;
    const scope = planned?.scope ?? 'asset';
    const failureAt = o.failureAt !== null && o.failureAt <= reached ? o.failureAt : null;
    const customerReportAt = failureAt === null ? null : o.customerReportAt;
    const report = reports.get(o.id);
    const status: CustomerReportStatus =
      customerReportAt === null
        ? 'none'
        : customerReportAt >= Math.min(sim.endMs, reached + 1)
          ? 'after_run'
          : (report?.status ?? 'recorded');
    records.push({
      type: 'fault',
      faultId: o.id,
      kind: o.kind,
      injected: o.injected,
      scope,
      assetKey: asset.key,
      assetId: ids?.assets.get(asset.key) ?? null,
      deviceId: s.devices[o.deviceIndex]!.id,
      deviceIds: scope === 'asset' ? asset.deviceIndexes.map((i) => s.devices[i]!.id) : [s.devices[o.deviceIndex]!.id],
      metric: planned ? planned.metric : 'coating_thickness_um',
      startAt: isoTime(o.startAt),
      failureAt: failureAt === null ? null : isoTime(failureAt),
      projectedFailureAt: failureAt === null && o.projectedFailureAt !== null ? isoTime(o.projectedFailureAt) : null,
      customerReportAt: customerReportAt === null ? null : isoTime(customerReportAt),
      customerReport: status,
      customerReportAnswer: report?.status === 'sent' ? report.answer : null,
      customerReportError: report?.status === 'failed' ? report.error : null,
      params: planned ? planned.params : null,
    });
  }
  for (const b of sim.badPayloads) {
    records.push({ type: 'bad_payload', deviceId: s.devices[b.deviceIndex]!.id, at: isoTime(b.at), reason: b.kind });
  }
  return records;
}

export function toJsonLines(records: readonly TruthRecord[]): string {
  return records.map((r) => JSON.stringify(r)).join('\n') + '\n';
}
