import type { CatalogMetricName } from '#contracts';

/** Faults of the asset itself: the coating, the steel, the cathodic protection. */
export const ASSET_FAULT_KINDS = [
  'coating_damage',
  'accelerated_degradation',
  'corrosion_onset',
  'cp_failure',
] as const;
/** Faults of a sensor or logger: the asset is fine, the data is not. */
export const SENSOR_FAULT_KINDS = [
  'stuck_value',
  'spikes',
  'drift',
  'dropout',
  'offline',
  'battery_depletion',
] as const;
export const FAULT_KINDS = [...ASSET_FAULT_KINDS, ...SENSOR_FAULT_KINDS] as const;

export type AssetFaultKind = (typeof ASSET_FAULT_KINDS)[number];
export type SensorFaultKind = (typeof SENSOR_FAULT_KINDS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isAssetFaultKind(kind: FaultKind): kind is AssetFaultKind {
  return (ASSET_FAULT_KINDS as readonly string[]).includes(kind);
}

/** The metric whose series shows an asset fault first (a device must measure it to be given the fault). */
export const ASSET_FAULT_METRIC: Readonly<Record<AssetFaultKind, CatalogMetricName>> = {
  coating_damage: 'coating_thickness_um',
  accelerated_degradation: 'coating_thickness_um',
  corrosion_onset: 'corrosion_rate_mm_y',
  cp_failure: 'cp_potential_mv',
};
