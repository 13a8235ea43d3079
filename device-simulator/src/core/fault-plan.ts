import type { CatalogMetricName } from '#contracts';
import type { CustomerEmulationSchema, FaultConfig } from '../scenario/scenario-schema.js';
import type { z } from 'zod';
import {
  ASSET_FAULT_KINDS,
  ASSET_FAULT_METRIC,
  type AssetFaultKind,
  FAULT_KINDS,
  type FaultKind,
  isAssetFaultKind,
  SENSOR_FAULT_KINDS,
  type SensorFaultKind,
} from './fault-kinds.js';
import type { Fleet, SimAsset, SimDevice } from './fleet.js';
import { Rng } from './random.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.js';

/** Kind-specific parameters of a fault, drawn when it is planned. */
export type FaultParams =
  /** A blow, abrasion or a dropped load: part of the film is gone at once and bare steel shows. */
  | { readonly kind: 'coating_damage'; readonly lossFraction: number; readonly exposureTauDays: number }
  /** Wrong coating, UV or chemical attack: the film thins faster, reaching breakdown after some days. */
  | { readonly kind: 'accelerated_degradation'; readonly breakdownAfterDays: number }
  /** Under-film or crevice corrosion at the probe: the rate climbs to the high / severe band. */
  | { readonly kind: 'corrosion_onset'; readonly targetRateMmY: number; readonly rampDays: number }
  /** Rectifier trip (fast) or depleted anodes (slow): the potential relaxes to the native potential. */
  | { readonly kind: 'cp_failure'; readonly tauDays: number }
  | { readonly kind: 'stuck_value'; readonly noticeDays: number }
  | { readonly kind: 'spikes'; readonly probability: number; readonly noticeDays: number }
  | { readonly kind: 'drift'; readonly direction: 1 | -1; readonly noticeDays: number }
  | { readonly kind: 'dropout'; readonly durationDays: number }
  | { readonly kind: 'offline'; readonly durationDays: number }
  | { readonly kind: 'battery_depletion'; readonly lifeDays: number };

export interface PlannedFault {
  readonly id: string;
  readonly kind: FaultKind;
  readonly scope: 'asset' | 'sensor';
  readonly assetIndex: number;
  /** The faulty device, or for an asset fault the device whose series shows it. */
  readonly deviceIndex: number;
  /** The metric whose series carries the signature; null for a whole-device fault (dropout, offline). */
  readonly metric: CatalogMetricName | null;
  readonly startAt: number;
  /**
   * When a sensor fault becomes a failure the customer notices, known in advance; asset faults are
   * found by the physics (visible rust, CP criterion lost), so this is null for them.
   */
  readonly plannedFailureAt: number | null;
  /** How long after the failure is noticeable the customer reports it. */
  readonly reportDelayMs: number;
  readonly params: FaultParams;
}

export interface FaultPlanInput {
  readonly seed: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly faults: FaultConfig;
  readonly customers: z.output<typeof CustomerEmulationSchema>;
}

export interface FaultPlan {
  readonly faults: readonly PlannedFault[];
  /** Kinds asked for by `everyKind` that no device of the fleet can show (e.g. cp_failure without CP). */
  readonly unplaceable: readonly FaultKind[];
}

/** A customer notices missing data in the dashboard after about a day. */
export const MISSING_DATA_NOTICE_MS = DAY_MS;

/** Plans which assets and devices fail, how and when. Pure. */
export function planFaults(fleet: Fleet, input: FaultPlanInput): FaultPlan {
  const rng = Rng.fork(input.seed, 'faults');
  const cfg = input.faults;
  const faultedAssets = new Set<number>();
  const faultedDevices = new Set<number>();
  const drafts: Array<Omit<PlannedFault, 'id'>> = [];
  const unplaceable: FaultKind[] = [];
  const weight = (k: FaultKind) => cfg.kinds[k] ?? 0;

  const place = (kind: FaultKind, asset: SimAsset | undefined, device: SimDevice | undefined): boolean => {
    if (isAssetFaultKind(kind)) {
      const candidates = asset ? [asset] : fleet.assets.filter((a) => !faultedAssets.has(a.index));
      const fit = candidates.filter((a) => observerOf(fleet, a, kind) !== undefined && !touchesFaultedDevice(a));
      if (fit.length === 0) return false;
      const chosen = rng.pick(fit);
      faultedAssets.add(chosen.index);
      drafts.push(draftAssetFault(rng, input, kind, chosen, observerOf(fleet, chosen, kind)!));
      return true;
    }
    const candidates = device ? [device] : fleet.devices.filter((d) => !faultedDevices.has(d.index));
    const fit = candidates.filter((d) => !faultedAssets.has(d.assetIndex));
    if (fit.length === 0) return false;
    const chosen = rng.pick(fit);
    faultedDevices.add(chosen.index);
    drafts.push(draftSensorFault(rng, input, kind, chosen));
    return true;
  };
  const touchesFaultedDevice = (a: SimAsset) => a.deviceIndexes.some((i) => faultedDevices.has(i));

  if (cfg.everyKind) {
    for (const kind of FAULT_KINDS) {
      if (weight(kind) > 0 && !place(kind, undefined, undefined)) unplaceable.push(kind);
    }
  }

  const assetWeights = Object.fromEntries(ASSET_FAULT_KINDS.map((k) => [k, weight(k)])) as Record<
    AssetFaultKind,
    number
  >;
  const sensorWeights = Object.fromEntries(SENSOR_FAULT_KINDS.map((k) => [k, weight(k)])) as Record<
    SensorFaultKind,
    number
  >;
  const anyAssetKind = ASSET_FAULT_KINDS.some((k) => weight(k) > 0);
  const anySensorKind = SENSOR_FAULT_KINDS.some((k) => weight(k) > 0);

  for (const asset of fleet.assets) {
    // Drawn for every asset, faulted or not, so that one more fault elsewhere does not shift the others.
    const hit = rng.chance(cfg.assetFaultRate);
    if (!hit || !anyAssetKind || faultedAssets.has(asset.index) || touchesFaultedDevice(asset)) continue;
    const possible = Object.fromEntries(
      ASSET_FAULT_KINDS.filter((k) => observerOf(fleet, asset, k) !== undefined).map((k) => [k, assetWeights[k]]),
    ) as Partial<Record<AssetFaultKind, number>>;
    if (!Object.values(possible).some((w) => (w ?? 0) > 0)) continue;
    place(rng.weighted(possible), asset, undefined);
  }
  for (const device of fleet.devices) {
    const hit = rng.chance(cfg.sensorFaultRate);
    if (!hit || !anySensorKind || faultedDevices.has(device.index) || faultedAssets.has(device.assetIndex)) continue;
    place(rng.weighted(sensorWeights), undefined, device);
  }

  const faults = drafts
    .map((d, i) => ({ ...d, id: `f${String(i + 1).padStart(3, '0')}` }))
    .sort((a, b) => a.startAt - b.startAt || a.id.localeCompare(b.id));
  return { faults, unplaceable };
}

/** The first device of the asset that measures the metric showing the fault. */
function observerOf(fleet: Fleet, asset: SimAsset, kind: AssetFaultKind): SimDevice | undefined {
  if (kind === 'cp_failure' && asset.physics.cp === null) return undefined;
  const metric = ASSET_FAULT_METRIC[kind];
  return asset.deviceIndexes.map((i) => fleet.devices[i]!).find((d) => d.metrics.includes(metric));
}

function startTime(rng: Rng, input: FaultPlanInput): number {
  const span = input.endMs - input.startMs;
  const at = input.startMs + rng.between(input.faults.startWindow) * span;
  return Math.round(at / MINUTE_MS) * MINUTE_MS;
}

function reportDelay(rng: Rng, input: FaultPlanInput): number {
  return Math.round(rng.between(input.customers.reportDelayHours) * HOUR_MS);
}

function draftAssetFault(
  rng: Rng,
  input: FaultPlanInput,
  kind: AssetFaultKind,
  asset: SimAsset,
  observer: SimDevice,
): Omit<PlannedFault, 'id'> {
  const startAt = startTime(rng, input);
  const remainingDays = Math.max(1, (input.endMs - startAt) / DAY_MS);
  let params: FaultParams;
  switch (kind) {
    case 'coating_damage':
      params = { kind, lossFraction: rng.uniform(0.55, 0.9), exposureTauDays: rng.uniform(0.25, 2) };
      break;
    case 'accelerated_degradation':
      params = { kind, breakdownAfterDays: Math.max(1, rng.uniform(0.15, 0.4) * remainingDays) };
      break;
    case 'corrosion_onset':
      params = { kind, targetRateMmY: rng.uniform(0.15, 0.6), rampDays: rng.uniform(1, 7) };
      break;
    case 'cp_failure':
      params = { kind, tauDays: rng.uniform(0.2, 5) };
      break;
  }
  return {
    kind,
    scope: 'asset',
    assetIndex: asset.index,
    deviceIndex: observer.index,
    metric: ASSET_FAULT_METRIC[kind],
    startAt,
    plannedFailureAt: null,
    reportDelayMs: reportDelay(rng, input),
    params,
  };
}

function draftSensorFault(
  rng: Rng,
  input: FaultPlanInput,
  kind: SensorFaultKind,
  device: SimDevice,
): Omit<PlannedFault, 'id'> {
  const startAt = startTime(rng, input);
  const cfg = input.faults;
  let params: FaultParams;
  let metric: CatalogMetricName | null = device.primaryMetric;
  let failureAt: number | null;
  switch (kind) {
    case 'stuck_value':
      params = { kind, noticeDays: rng.uniform(2, 7) };
      failureAt = startAt + params.noticeDays * DAY_MS;
      break;
    case 'spikes':
      params = { kind, probability: rng.uniform(0.05, 0.2), noticeDays: rng.uniform(1, 5) };
      failureAt = startAt + params.noticeDays * DAY_MS;
      break;
    case 'drift':
      params = { kind, direction: rng.chance(0.5) ? 1 : -1, noticeDays: rng.uniform(4, 15) };
      failureAt = startAt + params.noticeDays * DAY_MS;
      break;
    case 'dropout':
      params = { kind, durationDays: rng.between(cfg.dropoutDays) };
      metric = null;
      failureAt = startAt + MISSING_DATA_NOTICE_MS;
      break;
    case 'offline':
      params = { kind, durationDays: rng.between(cfg.offlineDays) };
      metric = null;
      failureAt = params.durationDays * DAY_MS > MISSING_DATA_NOTICE_MS ? startAt + MISSING_DATA_NOTICE_MS : null;
      break;
    case 'battery_depletion':
      params = { kind, lifeDays: rng.between(cfg.batteryLifeDays) };
      metric = 'battery_v';
      failureAt = startAt + Math.round(params.lifeDays * DAY_MS);
      break;
  }
  return {
    kind,
    scope: 'sensor',
    assetIndex: device.assetIndex,
    deviceIndex: device.index,
    metric,
    startAt,
    plannedFailureAt: failureAt,
    reportDelayMs: reportDelay(rng, input),
    params,
  };
}
