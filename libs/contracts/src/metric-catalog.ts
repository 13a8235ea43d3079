/**
 * The metric catalog: the unit is part of the name, and a value outside the physical range of its
 * metric is rejected at ingestion (ARCHITECTURE.md, "Metric catalog").
 */
export interface MetricDefinition {
  readonly name: string;
  readonly unit: string;
  readonly description: string;
  readonly min: number;
  readonly max: number;
}

export const METRIC_CATALOG = {
  coating_thickness_um: {
    name: 'coating_thickness_um',
    unit: 'um',
    description: 'dry film thickness, micrometres',
    min: 0,
    max: 5000,
  },
  corrosion_rate_mm_y: {
    name: 'corrosion_rate_mm_y',
    unit: 'mm/y',
    description: 'corrosion rate, millimetres per year',
    min: 0,
    max: 10,
  },
  metal_loss_um: {
    name: 'metal_loss_um',
    unit: 'um',
    description: 'cumulative metal loss of an ER probe element',
    min: 0,
    max: 10000,
  },
  cp_potential_mv: {
    name: 'cp_potential_mv',
    unit: 'mV',
    description: 'cathodic-protection potential vs Cu/CuSO4',
    min: -3000,
    max: 1000,
  },
  temperature_c: {
    name: 'temperature_c',
    unit: 'degC',
    description: 'temperature, degrees Celsius',
    min: -60,
    max: 150,
  },
  humidity_pct: {
    name: 'humidity_pct',
    unit: '%',
    description: 'relative humidity',
    min: 0,
    max: 100,
  },
  battery_v: { name: 'battery_v', unit: 'V', description: 'sensor battery, volts', min: 0, max: 20 },
} as const satisfies Record<string, MetricDefinition>;

export type CatalogMetricName = keyof typeof METRIC_CATALOG;

/** Metrics outside the catalog are stored (no domain rules) when their name matches this pattern. */
export const METRIC_NAME_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export function catalogMetric(name: string): MetricDefinition | undefined {
  return Object.hasOwn(METRIC_CATALOG, name) ? METRIC_CATALOG[name as CatalogMetricName] : undefined;
}
