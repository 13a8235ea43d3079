import { METRIC_CATALOG } from '#contracts';
import { clamp, climateCycle, corrosionClimateFactor, cycleHumidity, cycleTemperature } from './climate.js';
import type { PlannedFault } from './fault-plan.js';
import type { SimAsset } from './fleet.js';
import { Rng } from './random.js';
import { CP_PROTECTION_CRITERION_MV, VISIBLE_RUST_UM } from './standards.js';
import { DAY_MS, HOUR_MS, YEAR_MS, yearPhase } from './time.js';

/**
 * Integration step of the physics. The state lives on this fixed grid whoever asks for it, so the
 * series and the failure times do not depend on the devices' sampling intervals.
 */
export const PHYSICS_STEP_MS = HOUR_MS;

/** An intact film still lets a little corrosion through (pores, edges): 2 % of the bare-steel rate. */
const INTACT_FILM_LEAK = 0.02;
/** Residual corrosion of steel held below the CP criterion. */
const CP_PROTECTED_FACTOR = 0.03;
/** Bare steel spreads under a worn-out film over weeks; under a film that failed early, faster. */
const NATURAL_EXPOSURE_TAU_MS = 60 * DAY_MS;
const ACCELERATED_EXPOSURE_TAU_MS = 10 * DAY_MS;

/** Weather: hour-to-hour persistence of the random part (about a day and a half). */
const WEATHER_PHI = Math.exp(-PHYSICS_STEP_MS / (36 * HOUR_MS));
const WEATHER_INNOVATION = Math.sqrt(1 - WEATHER_PHI * WEATHER_PHI);
/** CP potential: mean reversion over ten days, random walk of a few mV per day. */
const CP_REVERSION_PER_STEP = PHYSICS_STEP_MS / (10 * DAY_MS);
const CP_WALK_SD_PER_STEP = 6 * Math.sqrt(PHYSICS_STEP_MS / DAY_MS);

/** Cause reported for an asset that wore out by itself (no injected fault). */
export const NATURAL_CAUSE = 'natural';

export interface PhysicsListener {
  /** The coating of a healthy asset reached the breakdown thickness by normal ageing. */
  naturalBreakdown(at: number): void;
  /** A failure the owner would notice: visible rust, or the CP criterion lost. */
  failure(cause: string, at: number): void;
}

/** The true state of the asset at one instant (what a perfect sensor would read). */
export interface AssetReading {
  readonly dftUm: number;
  readonly metalLossUm: number;
  readonly corrosionRateMmY: number;
  readonly cpMv: number | null;
  readonly temperatureC: number;
  readonly humidityPct: number;
}

interface Attack {
  readonly since: number;
  readonly tauMs: number;
  /** Rate at the attacked spot relative to bare steel here (pitting, crevices). */
  readonly multiplier: number;
  /** Under-film corrosion is shielded from the CP current. */
  readonly shielded: boolean;
  readonly cause: string;
  siteLossUm: number;
  failed: boolean;
}

/** Hidden physics of one asset: coating, steel, cathodic protection and weather. Pure (seeded). */
export class AssetPhysics {
  private t: number;
  private dftUm: number;
  private metalLossUm: number;
  private cpMv: number | null;
  private tempNoise = 0;
  private rhNoise = 0;
  private extraCoatingLossUmPerYear = 0;
  private attack: Attack | null = null;
  private cpFailure: { since: number; fromMv: number; tauMs: number; failed: boolean } | null = null;
  private faultActive = false;
  private readonly rng: Rng;
  private readonly uvAmplitude: number;

  constructor(
    private readonly asset: SimAsset,
    private readonly fault: PlannedFault | undefined,
    seed: number,
    startMs: number,
    private readonly listener: PhysicsListener,
  ) {
    const p = asset.physics;
    this.rng = Rng.fork(seed, 'physics', asset.key);
    this.t = startMs;
    this.dftUm = p.initialDftUm;
    this.metalLossUm = p.initialMetalLossUm;
    this.cpMv = p.cp ? p.cp.protectedMv : null;
    this.uvAmplitude = p.climate.immersed ? 0.05 : 0.3;
    this.tempNoise = this.rng.normal(0, 1);
    this.rhNoise = this.rng.normal(0, 1);
  }

  get time(): number {
    return this.t;
  }

  /** Integrates the grid up to `t` (never backwards). */
  advanceTo(t: number): void {
    while (this.t + PHYSICS_STEP_MS <= t) this.step();
  }

  /** The true state at `t` (>= the grid time, less than one step ahead): slow state from the grid, weather at `t`. */
  read(t: number): AssetReading {
    const p = this.asset.physics;
    const cycle = climateCycle(p.climate, t);
    const immersed = p.climate.immersed;
    const temperatureC = clamp(
      cycleTemperature(p.climate, cycle) + this.tempNoise * (immersed ? 0.3 : 2.5),
      METRIC_CATALOG.temperature_c.min,
      METRIC_CATALOG.temperature_c.max,
    );
    const humidityPct = immersed
      ? 100
      : clamp(cycleHumidity(p.climate, cycle) - 2 * this.tempNoise + 6 * this.rhNoise, 5, 100);
    const rate = this.rateUmPerYear(t, temperatureC, humidityPct).total;
    return {
      dftUm: this.dftUm,
      metalLossUm: Math.min(this.metalLossUm, METRIC_CATALOG.metal_loss_um.max),
      corrosionRateMmY: clamp(rate / 1000, 0, METRIC_CATALOG.corrosion_rate_mm_y.max),
      cpMv: this.cpMv,
      temperatureC,
      humidityPct,
    };
  }

  private step(): void {
    const from = this.t;
    const to = from + PHYSICS_STEP_MS;
    const p = this.asset.physics;
    const dtYears = PHYSICS_STEP_MS / YEAR_MS;

    if (this.fault && !this.faultActive && this.fault.startAt < to) this.activateFault(this.fault);

    // Weather: AR(1) around the seasonal and daily cycles.
    this.tempNoise = WEATHER_PHI * this.tempNoise + WEATHER_INNOVATION * this.rng.normal();
    this.rhNoise = WEATHER_PHI * this.rhNoise + WEATHER_INNOVATION * this.rng.normal();

    // Coating: steady weathering, faster in the UV of summer, plus any accelerated degradation.
    const peak = p.climate.southern ? 0.06 : 0.56;
    const uv = 1 + this.uvAmplitude * Math.cos(2 * Math.PI * (yearPhase(from) - peak));
    this.dftUm = Math.max(0, this.dftUm - (p.coatingLossUmPerYear * uv + this.extraCoatingLossUmPerYear) * dtYears);
    if (this.attack === null && this.dftUm < p.breakdownDftUm) {
      const fault = this.faultActive ? this.fault : undefined;
      const caused = fault?.params.kind === 'accelerated_degradation';
      this.attack = {
        since: to,
        tauMs: caused ? ACCELERATED_EXPOSURE_TAU_MS : NATURAL_EXPOSURE_TAU_MS,
        multiplier: 1,
        shielded: false,
        cause: caused ? fault.id : NATURAL_CAUSE,
        siteLossUm: 0,
        failed: false,
      };
      if (!caused) this.listener.naturalBreakdown(to);
    }

    // Cathodic protection: a slow mean-reverting walk around the protected potential, or a relaxation
    // towards the native potential once it has failed.
    if (this.cpMv !== null && p.cp) {
      if (this.cpFailure) {
        const f = this.cpFailure;
        const relaxed = p.cp.nativeMv + (f.fromMv - p.cp.nativeMv) * Math.exp(-(to - f.since) / f.tauMs);
        this.cpMv = relaxed + this.rng.normal(0, 2);
        if (!f.failed && this.cpMv > CP_PROTECTION_CRITERION_MV) {
          f.failed = true;
          this.listener.failure(this.fault!.id, to);
        }
      } else {
        const seasonal = 12 * Math.cos(2 * Math.PI * (yearPhase(to) - peak));
        const target = p.cp.protectedMv + seasonal;
        this.cpMv += CP_REVERSION_PER_STEP * (target - this.cpMv) + this.rng.normal(0, CP_WALK_SD_PER_STEP);
      }
      this.cpMv = clamp(this.cpMv, METRIC_CATALOG.cp_potential_mv.min, METRIC_CATALOG.cp_potential_mv.max);
    }

    // Steel: integrate the corrosion rate at the middle of the step.
    const mid = from + PHYSICS_STEP_MS / 2;
    const cycle = climateCycle(p.climate, mid);
    const temp = cycleTemperature(p.climate, cycle) + this.tempNoise * (p.climate.immersed ? 0.3 : 2.5);
    const rh = p.climate.immersed
      ? 100
      : clamp(cycleHumidity(p.climate, cycle) - 2 * this.tempNoise + 6 * this.rhNoise, 5, 100);
    const rate = this.rateUmPerYear(mid, temp, rh);
    this.metalLossUm += rate.total * dtYears;
    const attack = this.attack;
    if (attack) {
      attack.siteLossUm += rate.site * dtYears;
      if (!attack.failed && attack.siteLossUm >= VISIBLE_RUST_UM) {
        attack.failed = true;
        this.listener.failure(attack.cause, to);
      }
    }
    this.t = to;
  }

  private activateFault(fault: PlannedFault): void {
    this.faultActive = true;
    const p = this.asset.physics;
    const params = fault.params;
    switch (params.kind) {
      case 'coating_damage':
        this.dftUm *= 1 - params.lossFraction;
        this.attack = {
          since: fault.startAt,
          tauMs: params.exposureTauDays * DAY_MS,
          multiplier: 1,
          shielded: false,
          cause: fault.id,
          siteLossUm: 0,
          failed: false,
        };
        break;
      case 'accelerated_degradation': {
        const margin = Math.max(1, this.dftUm - p.breakdownDftUm);
        this.extraCoatingLossUmPerYear = margin / ((params.breakdownAfterDays * DAY_MS) / YEAR_MS);
        break;
      }
      case 'corrosion_onset':
        this.attack = {
          since: fault.startAt,
          tauMs: params.rampDays * DAY_MS,
          multiplier: Math.max(1, (params.targetRateMmY * 1000) / p.bareSteelLossUmPerYear),
          shielded: true,
          cause: fault.id,
          siteLossUm: 0,
          failed: false,
        };
        break;
      case 'cp_failure':
        if (this.cpMv !== null) {
          this.cpFailure = { since: fault.startAt, fromMv: this.cpMv, tauMs: params.tauDays * DAY_MS, failed: false };
        }
        break;
      case 'stuck_value':
      case 'spikes':
      case 'drift':
      case 'dropout':
      case 'offline':
      case 'battery_depletion':
        // Sensor faults leave the asset alone.
        break;
    }
  }

  /** Corrosion rate, um/year: `total` over the probe, `site` at the attacked spot only. */
  private rateUmPerYear(t: number, tempC: number, rhPct: number): { total: number; site: number } {
    const p = this.asset.physics;
    const bare =
      (p.bareSteelLossUmPerYear * corrosionClimateFactor(p.climate.immersed, tempC, rhPct)) /
      p.climate.corrosionNormaliser;
    const protection = this.cpProtection();
    const attack = this.attack;
    if (attack === null) return { total: bare * INTACT_FILM_LEAK * protection, site: 0 };
    const exposed = Math.min(1, Math.max(0, (t - attack.since) / attack.tauMs));
    const site = bare * exposed * attack.multiplier * (attack.shielded ? 1 : protection);
    return { total: bare * (1 - exposed) * INTACT_FILM_LEAK * protection + site, site };
  }

  /** 0.03 below the CP criterion, rising linearly to 1 (no protection) at the native potential. */
  private cpProtection(): number {
    const cp = this.asset.physics.cp;
    if (this.cpMv === null || cp === null) return 1;
    if (this.cpMv <= CP_PROTECTION_CRITERION_MV) return CP_PROTECTED_FACTOR;
    const fraction = clamp((this.cpMv - CP_PROTECTION_CRITERION_MV) / (cp.nativeMv - CP_PROTECTION_CRITERION_MV), 0, 1);
    return CP_PROTECTED_FACTOR + (1 - CP_PROTECTED_FACTOR) * fraction;
  }
}
