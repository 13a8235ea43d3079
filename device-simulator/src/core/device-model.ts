import { type CatalogMetricName, METRIC_CATALOG } from '#contracts';
import type { AssetReading } from './asset-physics.js';
import type { PlannedFault } from './fault-plan.js';
import type { SimDevice } from './fleet.js';
import { Rng } from './random.js';
import { BATTERY_CUTOFF_V } from './standards.js';
import { DAY_MS, YEAR_MS } from './time.js';

/** One reading as a device sends it (native shape of the telemetry contract). */
export interface WireReading {
  readonly ts: number;
  readonly seq: number;
  readonly metrics: Readonly<Partial<Record<CatalogMetricName, number>>>;
}

/** Healthy Li-SOCl2 cells lose a few tens of mV a year, and read a little lower in the cold. */
const BATTERY_AGEING_V_PER_YEAR = 0.025;
const BATTERY_TEMP_COEFF_V_PER_C = 0.0015;

/**
 * One device: samples the asset's true state with sensor noise and clock errors, applies its sensor
 * fault, numbers its readings. Pure (seeded); the simulation decides when it samples.
 */
export class DeviceModel {
  /** Readings taken while offline, uploaded when the link is back. */
  readonly backlog: WireReading[] = [];
  offline = false;
  dead = false;
  private seq = 0;
  private lastTs = Number.NEGATIVE_INFINITY;
  private stuckValue: number | undefined;
  private driftPerMs: number | undefined;
  private readonly noise: Rng;
  private readonly faultRng: Rng;

  constructor(
    readonly device: SimDevice,
    private readonly fault: PlannedFault | undefined,
    seed: number,
    private readonly startMs: number,
  ) {
    this.noise = Rng.fork(seed, 'sensor', device.index);
    this.faultRng = Rng.fork(seed, 'sensor-fault', device.index);
  }

  get firstSampleAt(): number {
    return this.startMs + this.device.phaseMs;
  }

  get intervalMs(): number {
    return this.device.samplingIntervalS * 1000;
  }

  /** The reading taken at true time `t`, or null when the sensor is in a dropout or the battery is flat. */
  sample(t: number, truth: AssetReading): WireReading | null {
    if (this.dead) return null;
    const fault = this.fault;
    const active = fault !== undefined && t >= fault.startAt;
    if (active && fault.params.kind === 'battery_depletion' && t >= fault.plannedFailureAt!) {
      this.dead = true;
      return null;
    }
    if (active && fault.params.kind === 'dropout' && t < fault.startAt + fault.params.durationDays * DAY_MS) {
      return null;
    }

    const metrics: Partial<Record<CatalogMetricName, number>> = {};
    for (const metric of this.device.metrics) {
      let value = this.measure(metric, t, truth);
      if (active && metric === fault.metric) value = this.corrupt(fault, metric, value, t);
      metrics[metric] = roundFor(metric, clampToCatalog(metric, value));
    }
    return { ts: this.timestamp(t), seq: this.seq++, metrics };
  }

  private measure(metric: CatalogMetricName, t: number, truth: AssetReading): number {
    const n = this.noise;
    switch (metric) {
      case 'coating_thickness_um':
        // Gauge noise of a few percent (ISO 19840 allows for it in the acceptance rules).
        return truth.dftUm * (1 + n.normal(0, 0.025));
      case 'corrosion_rate_mm_y':
        return Math.max(0, truth.corrosionRateMmY * (1 + n.normal(0, 0.08)) + n.normal(0, 0.0002));
      case 'metal_loss_um':
        return Math.max(0, truth.metalLossUm + n.normal(0, 0.05));
      case 'cp_potential_mv':
        return (truth.cpMv ?? -600) + n.normal(0, 4);
      case 'temperature_c':
        return truth.temperatureC + n.normal(0, 0.2);
      case 'humidity_pct':
        return truth.humidityPct + n.normal(0, 1.5);
      case 'battery_v':
        return this.battery(t, truth.temperatureC) + n.normal(0, 0.003);
    }
  }

  private battery(t: number, tempC: number): number {
    const healthy =
      this.device.batteryFullV -
      (BATTERY_AGEING_V_PER_YEAR * (t - this.startMs)) / YEAR_MS +
      BATTERY_TEMP_COEFF_V_PER_C * (tempC - 20);
    const fault = this.fault;
    if (fault?.params.kind !== 'battery_depletion' || t < fault.startAt) return healthy;
    // Remaining charge falls linearly; the voltage of a lithium cell stays flat, then collapses.
    const left = Math.max(0, 1 - (t - fault.startAt) / (fault.params.lifeDays * DAY_MS));
    return BATTERY_CUTOFF_V + (healthy - BATTERY_CUTOFF_V) * (1 - Math.pow(1 - left, 5));
  }

  private corrupt(fault: PlannedFault, metric: CatalogMetricName, value: number, t: number): number {
    const params = fault.params;
    switch (params.kind) {
      case 'stuck_value':
        this.stuckValue ??= roundFor(metric, clampToCatalog(metric, value));
        return this.stuckValue;
      case 'spikes':
        return this.faultRng.chance(params.probability) ? spike(this.faultRng, metric, value) : value;
      case 'drift':
        this.driftPerMs ??= (params.direction * driftAtNotice(metric, value)) / (params.noticeDays * DAY_MS);
        return value + this.driftPerMs * (t - fault.startAt);
      case 'coating_damage':
      case 'accelerated_degradation':
      case 'corrosion_onset':
      case 'cp_failure':
      case 'dropout':
      case 'offline':
      case 'battery_depletion':
        return value;
    }
  }

  /** Device clock: constant offset, rate error and sampling jitter; always strictly increasing. */
  private timestamp(t: number): number {
    const d = this.device;
    const clock = t + d.clockOffsetMs + (d.clockDriftPpm * (t - this.startMs)) / 1e6;
    let ts = Math.round(clock + this.noise.normal(0, d.sampleJitterMs));
    if (ts <= this.lastTs) ts = this.lastTs + 1;
    this.lastTs = ts;
    return ts;
  }
}

/** How far a drifting sensor is off when the owner notices the data is implausible. */
function driftAtNotice(metric: CatalogMetricName, value: number): number {
  switch (metric) {
    case 'coating_thickness_um':
      return Math.max(25, 0.3 * value);
    case 'corrosion_rate_mm_y':
      return Math.max(0.05, 2 * value);
    case 'metal_loss_um':
      return Math.max(5, 0.2 * value);
    case 'cp_potential_mv':
      return 200;
    case 'temperature_c':
      return 8;
    case 'humidity_pct':
      return 25;
    case 'battery_v':
      return 0.3;
  }
}

/** An outlier that still passes the gateway's range check: the detector must catch it, not the decoder. */
function spike(rng: Rng, metric: CatalogMetricName, value: number): number {
  const sign = rng.chance(0.5) ? 1 : -1;
  switch (metric) {
    case 'coating_thickness_um':
    case 'metal_loss_um':
      return sign > 0 ? value * rng.uniform(2, 4) : value * rng.uniform(0.05, 0.3);
    case 'corrosion_rate_mm_y':
      return Math.max(value, 0.01) * rng.uniform(5, 20);
    case 'cp_potential_mv':
      return value + sign * rng.uniform(300, 800);
    case 'temperature_c':
      return value + sign * rng.uniform(25, 60);
    case 'humidity_pct':
      return value > 50 ? rng.uniform(0, 15) : rng.uniform(90, 100);
    case 'battery_v':
      return value + sign * rng.uniform(0.5, 1.5);
  }
}

function clampToCatalog(metric: CatalogMetricName, value: number): number {
  const def = METRIC_CATALOG[metric];
  return value < def.min ? def.min : value > def.max ? def.max : value;
}

const DECIMALS: Readonly<Record<CatalogMetricName, number>> = {
  coating_thickness_um: 1,
  corrosion_rate_mm_y: 5,
  metal_loss_um: 3,
  cp_potential_mv: 1,
  temperature_c: 2,
  humidity_pct: 1,
  battery_v: 3,
};
const FACTORS = Object.fromEntries(Object.entries(DECIMALS).map(([k, d]) => [k, 10 ** d])) as Readonly<
  Record<CatalogMetricName, number>
>;

/** Sensor resolution, and shorter payloads. */
function roundFor(metric: CatalogMetricName, value: number): number {
  const f = FACTORS[metric];
  return Math.round(value * f) / f;
}
