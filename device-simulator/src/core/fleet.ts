import type { ASSET_KINDS, CatalogMetricName, CorrosivityCategory, DEVICE_KINDS, DurabilityClass } from '#contracts';
import type { FleetConfig, TransportConfig } from '../scenario/scenario-schema.js';
import { annualCorrosionNormaliser, type ClimateParams } from './climate.js';
import { Rng } from './random.js';
import { CLIMATE_REGIONS } from './regions.js';
import { BREAKDOWN_FRACTION_OF_NOMINAL, DURABILITY_YEARS, FIRST_YEAR_STEEL_LOSS_UM, isImmersion } from './standards.js';
import { DAY_MS, isoDate, YEAR_MS } from './time.js';

export type AssetKind = (typeof ASSET_KINDS)[number];
export type DeviceKind = (typeof DEVICE_KINDS)[number];

export interface SimCustomer {
  readonly key: string;
  readonly name: string;
  readonly region: string;
}

/** The coating specification sent to `POST /api/assets`. */
export interface SimCoating {
  readonly nominalDftUm: number;
  readonly corrosivityCategory: CorrosivityCategory;
  readonly durability: DurabilityClass;
  readonly installedAt: string;
  readonly warrantyUntil: string;
}

/** Hidden physical truth of an asset: what the sensors measure, never sent to the platform. */
export interface AssetPhysicsParams {
  /** Film thickness at installation (applicators overshoot the nominal). */
  readonly appliedDftUm: number;
  /** Film thickness at the start of the run. */
  readonly initialDftUm: number;
  /** Steady thinning by weathering and erosion, um per year. */
  readonly coatingLossUmPerYear: number;
  readonly breakdownDftUm: number;
  readonly lifetimeYears: number;
  /** First-year loss of bare carbon steel here (ISO 9223), um per year. */
  readonly bareSteelLossUmPerYear: number;
  /** Metal already lost by the ER probe element at the start. */
  readonly initialMetalLossUm: number;
  readonly climate: ClimateParams;
  /** Cathodic protection: the protected potential and the native (free corrosion) potential, mV CSE. */
  readonly cp: { readonly protectedMv: number; readonly nativeMv: number } | null;
}

export interface SimAsset {
  readonly key: string;
  readonly index: number;
  readonly customerIndex: number;
  readonly name: string;
  readonly kind: AssetKind;
  readonly region: string;
  readonly location: { readonly lat: number; readonly lon: number };
  readonly coating: SimCoating;
  readonly deviceIndexes: readonly number[];
  readonly physics: AssetPhysicsParams;
}

export interface SimDevice {
  readonly id: string;
  readonly index: number;
  readonly assetIndex: number;
  readonly kind: DeviceKind;
  readonly name: string;
  readonly samplingIntervalS: number;
  readonly metrics: readonly CatalogMetricName[];
  /** The metric a sensor fault corrupts: the one the device exists for. */
  readonly primaryMetric: CatalogMetricName;
  /** Offset of the first sample after the start, ms: devices are not synchronised. */
  readonly phaseMs: number;
  /** Constant error of the device clock, ms (positive = fast). */
  readonly clockOffsetMs: number;
  /** Rate error of the device clock, parts per million. */
  readonly clockDriftPpm: number;
  /** Standard deviation of the sampling instant, ms. */
  readonly sampleJitterMs: number;
  readonly batteryFullV: number;
}

export interface Fleet {
  readonly customers: readonly SimCustomer[];
  readonly assets: readonly SimAsset[];
  readonly devices: readonly SimDevice[];
}

export interface FleetInput {
  readonly seed: number;
  readonly idPrefix: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly fleet: FleetConfig;
  readonly transport: Pick<TransportConfig, 'clockOffsetMaxS' | 'sampleJitterS'>;
}

/** What each kind of device measures (every logger also reports its battery). */
const DEVICE_METRICS: Readonly<Record<DeviceKind, readonly CatalogMetricName[]>> = {
  dft_gauge: ['coating_thickness_um', 'temperature_c', 'battery_v'],
  er_probe: ['corrosion_rate_mm_y', 'metal_loss_um', 'temperature_c', 'battery_v'],
  lpr_probe: ['corrosion_rate_mm_y', 'temperature_c', 'battery_v'],
  cp_logger: ['cp_potential_mv', 'battery_v'],
  environment: ['temperature_c', 'humidity_pct', 'battery_v'],
  multi: ['coating_thickness_um', 'corrosion_rate_mm_y', 'metal_loss_um', 'temperature_c', 'humidity_pct', 'battery_v'],
};

const PRIMARY_ORDER: readonly CatalogMetricName[] = [
  'coating_thickness_um',
  'corrosion_rate_mm_y',
  'cp_potential_mv',
  'humidity_pct',
  'temperature_c',
];

const KIND_LABEL: Readonly<Record<AssetKind, string>> = {
  pipeline: 'Pipeline',
  tank: 'Tank',
  bridge: 'Bridge',
  ship_hull: 'Hull',
  offshore_structure: 'Jacket',
  other: 'Structure',
};

const DEVICE_LABEL: Readonly<Record<DeviceKind, string>> = {
  dft_gauge: 'DFT gauge',
  er_probe: 'ER probe',
  lpr_probe: 'LPR probe',
  cp_logger: 'CP logger',
  environment: 'climate sensor',
  multi: 'multi-sensor',
};

const CUSTOMER_NAMES = [
  'Nordic Pipelines',
  'Harbour Tank Terminals',
  'Delta Bridges',
  'Blue Water Shipping',
  'Offshore Energy Partners',
  'Ruhr Steel Structures',
  'Gulf Midstream',
  'Coastal Water Authority',
  'Atlas Storage',
  'Meridian Offshore',
];

/** Generates the fleet: customers, assets with coating specs and hidden physics, devices. Pure. */
export function generateFleet(input: FleetInput): Fleet {
  const { fleet: cfg } = input;
  const rng = Rng.fork(input.seed, 'fleet');
  const customerCount = cfg.customers ?? Math.max(1, Math.ceil(cfg.devices / 25));
  const regions = cfg.regions ? CLIMATE_REGIONS.filter((r) => cfg.regions!.includes(r.code)) : CLIMATE_REGIONS;

  const customers: SimCustomer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const base = CUSTOMER_NAMES[i % CUSTOMER_NAMES.length]!;
    const round = Math.floor(i / CUSTOMER_NAMES.length);
    customers.push({
      key: `c${pad(i + 1, customerCount)}`,
      name: round === 0 ? base : `${base} ${round + 1}`,
      region: rng.pick(regions).name,
    });
  }

  const assets: SimAsset[] = [];
  const devices: SimDevice[] = [];
  const digits = String(cfg.devices).length;
  const runYears = (input.endMs - input.startMs) / YEAR_MS;
  while (devices.length < cfg.devices) {
    const index = assets.length;
    const customerIndex = rng.int(0, customerCount - 1);
    const category = rng.weighted(cfg.corrosivity);
    const durability = rng.weighted(cfg.durability);
    const immersed = isImmersion(category);
    const kind = pickAssetKind(rng, category);
    // Most of a customer's assets are in its home region.
    const home = regions.find((r) => r.name === customers[customerIndex]!.region);
    const region = home && rng.chance(0.7) ? home : rng.pick(regions);
    const location = {
      lat: round(clampLat(region.lat + rng.uniform(-region.spreadDeg, region.spreadDeg)), 4),
      lon: round(region.lon + rng.uniform(-region.spreadDeg, region.spreadDeg), 4),
    };
    const nominal = Math.round(rng.between(cfg.nominalDftUm) / 5) * 5;
    const applied = nominal * rng.uniform(1.05, 1.25);
    const breakdown = nominal * BREAKDOWN_FRACTION_OF_NOMINAL;
    const lifetimeYears = rng.between(DURABILITY_YEARS[durability]);
    const coatingLossUmPerYear = (applied - breakdown) / lifetimeYears;
    // A healthy asset must not wear out during the run (so that every failure is in the ground truth):
    // its age leaves at least the run plus half a year of life. Shorter lives than the run wear out.
    const maxAgeYears = Math.max(0, lifetimeYears - runYears - 0.5);
    const ageYears = rng.uniform(0, Math.min(maxAgeYears, 0.8 * lifetimeYears));
    const installedMs = input.startMs - Math.round(ageYears * YEAR_MS);
    const warrantyYears = rng.pick([2, 3, 5, 5, 10]);
    const typicalCp = decideCp(rng, kind, category);
    const hasCp = cfg.cathodicProtection === 'typical' ? typicalCp : cfg.cathodicProtection === 'all';
    const climateBase = {
      meanTempC: region.meanTempC + (immersed ? 1.5 : 0) + rng.normal(0, 0.7),
      seasonalAmpC: region.seasonalAmpC * (immersed ? (category === 'Im3' ? 0.4 : 0.6) : 1),
      dailyAmpC: immersed ? 0.3 : region.dailyAmpC * rng.uniform(0.8, 1.2),
      meanRhPct: Math.min(95, region.meanRhPct + rng.normal(0, 3)),
      immersed,
      southern: location.lat < 0,
      lonDeg: location.lon,
    };
    const physics: AssetPhysicsParams = {
      appliedDftUm: applied,
      initialDftUm: applied - coatingLossUmPerYear * ageYears,
      coatingLossUmPerYear,
      breakdownDftUm: breakdown,
      lifetimeYears,
      bareSteelLossUmPerYear: rng.between(FIRST_YEAR_STEEL_LOSS_UM[category]),
      initialMetalLossUm: rng.uniform(0.5, 15),
      climate: { ...climateBase, corrosionNormaliser: annualCorrosionNormaliser(climateBase, input.startMs) },
      cp: hasCp ? { protectedMv: rng.uniform(-1150, -950), nativeMv: rng.uniform(-680, -550) } : null,
    };

    const wanted = Math.min(cfg.devices - devices.length, rng.int(cfg.devicesPerAsset.min, cfg.devicesPerAsset.max));
    const kinds = pickDeviceKinds(rng, cfg.deviceKinds, wanted, hasCp);
    const deviceIndexes: number[] = [];
    const assetName = `${KIND_LABEL[kind]} ${region.code}-${pad(index + 1, 1000)}`;
    for (const deviceKind of kinds) {
      const deviceIndex = devices.length;
      const intervals = Array.isArray(cfg.samplingIntervalS) ? cfg.samplingIntervalS : [cfg.samplingIntervalS];
      const samplingIntervalS = rng.pick(intervals);
      const metrics = DEVICE_METRICS[deviceKind].slice();
      if (deviceKind === 'multi' && hasCp) metrics.splice(3, 0, 'cp_potential_mv');
      const intervalMs = samplingIntervalS * 1000;
      deviceIndexes.push(deviceIndex);
      devices.push({
        id: `${input.idPrefix}d${String(deviceIndex + 1).padStart(Math.max(4, digits), '0')}`,
        index: deviceIndex,
        assetIndex: index,
        kind: deviceKind,
        name: `${assetName} ${DEVICE_LABEL[deviceKind]}`,
        samplingIntervalS,
        metrics,
        primaryMetric: PRIMARY_ORDER.find((m) => metrics.includes(m)) ?? 'battery_v',
        phaseMs: Math.floor(rng.uniform(0, intervalMs)),
        clockOffsetMs: Math.round(rng.uniform(-1, 1) * input.transport.clockOffsetMaxS * 1000),
        clockDriftPpm: rng.uniform(-20, 20),
        // Jitter stays well inside the interval so a device's timestamps keep their order.
        sampleJitterMs: Math.min(input.transport.sampleJitterS * 1000, intervalMs / 10),
        batteryFullV: rng.uniform(3.6, 3.68),
      });
    }
    assets.push({
      key: `a${pad(index + 1, cfg.devices)}`,
      index,
      customerIndex,
      name: assetName,
      kind,
      region: region.name,
      location,
      coating: {
        nominalDftUm: nominal,
        corrosivityCategory: category,
        durability,
        installedAt: isoDate(installedMs),
        warrantyUntil: isoDate(installedMs + warrantyYears * 365 * DAY_MS),
      },
      deviceIndexes,
      physics,
    });
  }
  return { customers, assets, devices };
}

function pickAssetKind(rng: Rng, category: CorrosivityCategory): AssetKind {
  switch (category) {
    case 'Im1':
      return rng.weighted<AssetKind>({ tank: 2, pipeline: 1, other: 1 });
    case 'Im2':
    case 'Im4':
      return rng.weighted<AssetKind>({ ship_hull: 2, offshore_structure: 2, pipeline: 1 });
    case 'Im3':
      return rng.weighted<AssetKind>({ pipeline: 3, tank: 1 });
    case 'C5':
    case 'CX':
      return rng.weighted<AssetKind>({ offshore_structure: 2, tank: 1, bridge: 1, pipeline: 1 });
    case 'C1':
    case 'C2':
    case 'C3':
    case 'C4':
      return rng.weighted<AssetKind>({ bridge: 2, tank: 2, pipeline: 2, other: 1 });
  }
}

/** Buried and immersed steel is normally cathodically protected (Im4 is defined with CP). */
function decideCp(rng: Rng, kind: AssetKind, category: CorrosivityCategory): boolean {
  if (category === 'Im2' || category === 'Im3' || category === 'Im4') return true;
  if (kind === 'ship_hull' || kind === 'offshore_structure') return true;
  if (kind === 'pipeline' || kind === 'tank') return rng.chance(0.4);
  return false;
}

function pickDeviceKinds(rng: Rng, weights: FleetConfig['deviceKinds'], count: number, hasCp: boolean): DeviceKind[] {
  const available: Partial<Record<DeviceKind, number>> = { ...weights };
  if (!hasCp) delete available.cp_logger;
  const kinds: DeviceKind[] = [];
  for (let i = 0; i < count; i++) {
    const positive = Object.values(available).some((w) => (w ?? 0) > 0);
    // Distinct kinds per asset while there are some left, then repeats.
    const kind = positive ? rng.weighted(available) : rng.weighted(withoutCp(weights, hasCp));
    kinds.push(kind);
    delete available[kind];
  }
  return kinds;
}

function withoutCp(weights: FleetConfig['deviceKinds'], hasCp: boolean): Partial<Record<DeviceKind, number>> {
  const w: Partial<Record<DeviceKind, number>> = { ...weights };
  if (!hasCp) delete w.cp_logger;
  if (!Object.values(w).some((v) => (v ?? 0) > 0)) return { multi: 1 };
  return w;
}

function pad(n: number, max: number): string {
  return String(n).padStart(Math.max(3, String(max).length), '0');
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}

function clampLat(lat: number): number {
  return Math.max(-89.9, Math.min(89.9, lat));
}
