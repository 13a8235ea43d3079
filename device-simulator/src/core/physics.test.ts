import { describe, expect, it } from 'vitest';
import { METRIC_CATALOG } from '#contracts';
import { parseScenario } from '../scenario/scenario-schema.js';
import { AssetPhysics } from './asset-physics.js';
import { generateFleet } from './fleet.js';
import { CORROSION_RATE_BANDS_MM_Y } from './standards.js';
import { DAY_MS, HOUR_MS, YEAR_MS } from './time.js';
import { Simulation } from './simulation.js';
import { collect } from '../testing/series.js';

const start = Date.UTC(2020, 0, 1);

function fleet(devices: number, years: number, seed = 5) {
  const s = parseScenario(
    {
      name: 'physics',
      start: '2020-01-01',
      days: years * 365,
      fleet: {
        devices,
        corrosivity: { C2: 1, C3: 1, C4: 1, C5: 1, CX: 1, Im1: 1, Im2: 1, Im3: 1, Im4: 1 },
        durability: { L: 1, M: 1, H: 1, VH: 1 },
      },
    },
    'test',
  );
  return generateFleet({
    seed,
    idPrefix: 'p-',
    startMs: start,
    endMs: start + years * YEAR_MS,
    fleet: s.fleet,
    transport: s.transport,
  });
}

describe('asset physics', () => {
  it('stays inside the physical ranges of the metric catalog over ten years, wear-out included', () => {
    const f = fleet(60, 10);
    let breakdowns = 0;
    const outside: string[] = [];
    const check = (asset: string, t: number, m: keyof typeof METRIC_CATALOG, v: number) => {
      if (!(Number.isFinite(v) && v >= METRIC_CATALOG[m].min && v <= METRIC_CATALOG[m].max)) {
        outside.push(`${asset} ${new Date(t).toISOString()} ${m}=${v}`);
      }
    };
    for (const asset of f.assets) {
      const physics = new AssetPhysics(asset, undefined, 5, start, {
        naturalBreakdown: () => breakdowns++,
        failure: () => undefined,
      });
      for (let t = start; t < start + 10 * YEAR_MS; t += 6 * HOUR_MS) {
        physics.advanceTo(t);
        const r = physics.read(t);
        check(asset.key, t, 'coating_thickness_um', r.dftUm);
        check(asset.key, t, 'corrosion_rate_mm_y', r.corrosionRateMmY);
        check(asset.key, t, 'metal_loss_um', r.metalLossUm);
        check(asset.key, t, 'temperature_c', r.temperatureC);
        check(asset.key, t, 'humidity_pct', r.humidityPct);
        if (r.cpMv !== null) check(asset.key, t, 'cp_potential_mv', r.cpMv);
      }
    }
    expect(outside.slice(0, 5)).toEqual([]);
    // Over ten years the L and M coatings wear out by themselves: the physics must survive that too.
    expect(breakdowns).toBeGreaterThan(5);
  }, 30_000);

  it('keeps the corrosion rate in the low band while the coating is intact, and the film thinning slowly', () => {
    const f = fleet(60, 1);
    for (const asset of f.assets) {
      const physics = new AssetPhysics(asset, undefined, 5, start, {
        naturalBreakdown: () => undefined,
        failure: () => undefined,
      });
      const first = physics.read(start).dftUm;
      let highest = 0;
      for (let t = start; t < start + 180 * DAY_MS; t += 12 * HOUR_MS) {
        physics.advanceTo(t);
        highest = Math.max(highest, physics.read(t).corrosionRateMmY);
      }
      expect(highest).toBeLessThan(CORROSION_RATE_BANDS_MM_Y.low);
      const after = physics.read(start + 180 * DAY_MS).dftUm;
      expect(after).toBeLessThan(first);
      expect(first - after).toBeLessThan(0.1 * asset.coating.nominalDftUm);
    }
  });

  it('follows the daily and seasonal temperature cycles', () => {
    const f = fleet(40, 1);
    const asset = f.assets.find((a) => !a.physics.climate.immersed && a.location.lat > 20)!;
    const physics = new AssetPhysics(asset, undefined, 5, start, {
      naturalBreakdown: () => undefined,
      failure: () => undefined,
    });
    const temps: Array<{ t: number; c: number }> = [];
    for (let t = start; t < start + YEAR_MS; t += HOUR_MS) {
      physics.advanceTo(t);
      temps.push({ t, c: physics.read(t).temperatureC });
    }
    const monthMean = (m: number) => {
      const xs = temps.filter((p) => new Date(p.t).getUTCMonth() === m).map((p) => p.c);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(monthMean(6)).toBeGreaterThan(monthMean(0) + asset.physics.climate.seasonalAmpC);
    // Afternoon warmer than the night, on average over the year (solar time).
    const hourMean = (solar: number) => {
      const xs = temps
        .filter((p) => Math.round(((p.t / HOUR_MS + asset.location.lon / 15) % 24) + 24) % 24 === solar)
        .map((p) => p.c);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(hourMean(15)).toBeGreaterThan(hourMean(3) + asset.physics.climate.dailyAmpC);
  });

  it('puts every generated value inside the catalog ranges over two years of a fleet with faults', () => {
    const scenario = parseScenario(
      {
        name: 'range',
        start: '2022-01-01',
        days: 730,
        seed: 9,
        fleet: { devices: 40, samplingIntervalS: 6 * 3600 },
        faults: { assetFaultRate: 0.5, sensorFaultRate: 0.5 },
      },
      'test',
    );
    const run = collect(new Simulation({ scenario, idPrefix: 'r-' }));
    let values = 0;
    const outside: string[] = [];
    for (const series of run.byDevice.values()) {
      for (const r of series) {
        for (const [metric, value] of Object.entries(r.metrics)) {
          const def = METRIC_CATALOG[metric as keyof typeof METRIC_CATALOG];
          if (def === undefined || !(value >= def.min && value <= def.max)) outside.push(`${metric}=${value}`);
          values++;
        }
      }
    }
    expect(outside.slice(0, 5)).toEqual([]);
    expect(values).toBe(run.sim.counters.values);
    expect(values).toBeGreaterThan(100_000);
  }, 30_000);
});
