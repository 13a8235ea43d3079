import type { FaultClass, FindingKind } from '#detection';

/**
 * The service desk's fault category for each fault class of detection: the "fault kind" of its rule "one open
 * work order per asset and fault kind", and what dispatch matches technicians' skills on (see the service
 * desk's DEFAULT_CATEGORY_REQUIREMENTS: coating_damage, corrosion, cathodic_protection, sensor_fault,
 * communication). A thinning coating and a damaged one are the same repair (recoat the area), so both land on
 * coating_damage; a statistical oddity without a domain meaning is an instrument to check.
 */
export const FAULT_CATEGORY_BY_CLASS: Readonly<Record<FaultClass, string>> = {
  coating_damage: 'coating_damage',
  coating_degradation: 'coating_damage',
  corrosion: 'corrosion',
  cathodic_protection: 'cathodic_protection',
  sensor: 'sensor_fault',
  anomaly: 'sensor_fault',
};

/** Kinds whose category is not their class's: a silent logger is a link (or power) problem, not a bad sensor. */
const CATEGORY_BY_KIND: Partial<Readonly<Record<FindingKind, string>>> = {
  sensor_offline: 'communication',
};

export function faultCategoryOf(alert: { readonly fault: FaultClass; readonly kind: FindingKind }): string {
  return CATEGORY_BY_KIND[alert.kind] ?? FAULT_CATEGORY_BY_CLASS[alert.fault];
}
