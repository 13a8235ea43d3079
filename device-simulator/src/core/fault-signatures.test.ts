import { linearRegression } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { collect, between, mean, metricSeries, onlyFault, singleFaultScenario } from '../testing/series.js';
import { CP_PROTECTION_CRITERION_MV, CORROSION_RATE_BANDS_MM_Y } from './standards.js';
import { Simulation } from './simulation.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './time.js';
import type { FaultKind } from './fault-kinds.js';
import type { ScenarioInput } from '../scenario/scenario-schema.js';

/** Clock offset (up to 20 s) and jitter move timestamps a little: stay clear of the edges. */
const EDGE = 2 * MINUTE_MS;
const dftOnly = { deviceKinds: { dft_gauge: 1 } } as const;
const days = (ms: number) => ms / DAY_MS;

const SEEDS = (process.env['SIM_SIGNATURE_SEEDS'] ?? '42,7,2025').split(',').map(Number);

describe.each(SEEDS)('seed %i: each fault leaves its signature in the series', (seed) => {
  function run(kind: FaultKind, fleet: Partial<ScenarioInput['fleet']>) {
    const sim = new Simulation({ scenario: singleFaultScenario(kind, { seed }, fleet), idPrefix: 's-' });
    const collected = collect(sim);
    const fault = onlyFault(sim);
    const device = sim.fleet.devices[fault.deviceIndex]!;
    const outcome = sim.outcomes.find((o) => o.id === fault.id)!;
    const series = (metric: string) => metricSeries(collected, device.id, metric);
    return { sim, collected, fault, device, outcome, series };
  }

  it('coating damage: a step loss of film thickness, then visible rust', () => {
    // Without cathodic protection: CP would keep the bare spot from rusting (see the next test).
    const { fault, series, outcome, sim } = run('coating_damage', {
      ...dftOnly,
      corrosivity: { C5: 1 },
      cathodicProtection: 'none',
    });
    if (fault.params.kind !== 'coating_damage') throw new Error('wrong fault');
    const dft = series('coating_thickness_um');
    const before = mean(between(dft, fault.startAt - 3 * DAY_MS, fault.startAt - EDGE).map((p) => p.value));
    const after = mean(between(dft, fault.startAt + HOUR_MS + EDGE, fault.startAt + 3 * DAY_MS).map((p) => p.value));
    expect(after / before).toBeCloseTo(1 - fault.params.lossFraction, 1);
    // Bare C5 steel rusts visibly within days to weeks.
    expect(outcome.failureAt).not.toBeNull();
    expect(outcome.failureAt!).toBeGreaterThan(fault.startAt);
    expect(outcome.customerReportAt!).toBeGreaterThan(outcome.failureAt!);
    expect(outcome.failureAt!).toBeLessThan(sim.endMs);
  });

  it('coating damage under cathodic protection: the same step, but the bare steel rusts far later', () => {
    const bare = run('coating_damage', { ...dftOnly, corrosivity: { C5: 1 }, cathodicProtection: 'none' }).outcome;
    const protectedRun = run('coating_damage', { ...dftOnly, corrosivity: { C5: 1 }, cathodicProtection: 'all' });
    const dft = protectedRun.series('coating_thickness_um');
    const f = protectedRun.fault;
    const before = mean(between(dft, f.startAt - 3 * DAY_MS, f.startAt - EDGE).map((p) => p.value));
    const after = mean(between(dft, f.startAt + HOUR_MS + EDGE, f.startAt + 3 * DAY_MS).map((p) => p.value));
    expect(after).toBeLessThan(0.5 * before);
    const rustAfter = (o: typeof bare) => (o.failureAt ?? Number.POSITIVE_INFINITY) - o.startAt;
    expect(rustAfter(protectedRun.outcome)).toBeGreaterThan(5 * rustAfter(bare));
  });

  it('accelerated degradation: the thinning slope changes by orders of magnitude', () => {
    const { fault, series, sim, device } = run('accelerated_degradation', dftOnly);
    if (fault.params.kind !== 'accelerated_degradation') throw new Error('wrong fault');
    const dft = series('coating_thickness_um');
    const slope = (from: number, to: number) =>
      linearRegression(between(dft, from, to).map((p) => [days(p.ts), p.value])).m;
    const asset = sim.fleet.assets[device.assetIndex]!;
    const level = mean(between(dft, fault.startAt - 3 * DAY_MS, fault.startAt).map((p) => p.value));
    const expected = (level - asset.physics.breakdownDftUm) / fault.params.breakdownAfterDays; // um per day
    const window = Math.min(5, fault.params.breakdownAfterDays) * DAY_MS;
    const before = slope(fault.startAt - 10 * DAY_MS, fault.startAt - EDGE);
    const after = slope(fault.startAt + HOUR_MS + EDGE, fault.startAt + window);
    expect(after).toBeLessThan(-0.7 * expected);
    expect(Math.abs(before)).toBeLessThan(0.1 * expected);
  });

  it('accelerated degradation that fails after the run: the failure is projected by carrying the physics on', () => {
    const { fault, sim, outcome } = run('accelerated_degradation', { ...dftOnly, cathodicProtection: 'none' });
    if (fault.params.kind !== 'accelerated_degradation') throw new Error('wrong fault');
    const breakdownAt = fault.startAt + fault.params.breakdownAfterDays * DAY_MS;
    expect(outcome.projectedFailureAt).toBeNull();
    sim.projectFailures(2 * 365 * DAY_MS);
    if (outcome.failureAt !== null) {
      // Failed inside this seed's run: the truth has the failure itself, nothing is projected.
      expect(outcome.projectedFailureAt).toBeNull();
      return;
    }
    // Breakdown a little before the planned day (the natural wear adds to the fault), then the bare steel rusts.
    expect(outcome.projectedFailureAt).not.toBeNull();
    expect(outcome.projectedFailureAt!).toBeGreaterThanOrEqual(sim.endMs);
    expect(outcome.projectedFailureAt!).toBeGreaterThan(breakdownAt - 5 * DAY_MS);
    expect(outcome.failureAt).toBeNull();
    // Coatings wearing out after the run are not faults of this run.
    expect(sim.outcomes.every((o) => o.startAt < sim.endMs)).toBe(true);
  });

  it('corrosion onset: the rate leaves the low band and the ER metal loss speeds up', () => {
    const { fault, series } = run('corrosion_onset', { deviceKinds: { er_probe: 1 }, corrosivity: { C4: 1, C5: 1 } });
    if (fault.params.kind !== 'corrosion_onset') throw new Error('wrong fault');
    const rate = series('corrosion_rate_mm_y');
    const loss = series('metal_loss_um');
    const ramped = fault.startAt + fault.params.rampDays * DAY_MS;
    const rateBefore = mean(between(rate, fault.startAt - 5 * DAY_MS, fault.startAt - EDGE).map((p) => p.value));
    const rateAfter = mean(between(rate, ramped, ramped + 5 * DAY_MS).map((p) => p.value));
    expect(rateBefore).toBeLessThan(CORROSION_RATE_BANDS_MM_Y.low);
    expect(rateAfter).toBeGreaterThan(CORROSION_RATE_BANDS_MM_Y.low);
    expect(rateAfter).toBeGreaterThan(10 * rateBefore);
    // ER metal loss: the slope of a regression, robust to the probe's noise.
    const slope = (from: number) =>
      linearRegression(between(loss, from, from + 5 * DAY_MS).map((p) => [days(p.ts), p.value])).m;
    expect(slope(ramped)).toBeGreaterThan(5 * Math.max(0.01, slope(fault.startAt - 6 * DAY_MS)));
  });

  it('CP failure: the potential leaves the protection criterion for the native potential', () => {
    const { fault, series, outcome } = run('cp_failure', { deviceKinds: { cp_logger: 1 }, corrosivity: { Im2: 1 } });
    if (fault.params.kind !== 'cp_failure') throw new Error('wrong fault');
    const cp = series('cp_potential_mv');
    const before = between(cp, fault.startAt - 10 * DAY_MS, fault.startAt - EDGE).map((p) => p.value);
    const settled = fault.startAt + 5 * fault.params.tauDays * DAY_MS;
    const after = between(cp, settled, settled + 3 * DAY_MS).map((p) => p.value);
    expect(Math.max(...before)).toBeLessThan(CP_PROTECTION_CRITERION_MV);
    expect(Math.min(...after)).toBeGreaterThan(CP_PROTECTION_CRITERION_MV);
    expect(outcome.failureAt).toBeGreaterThan(fault.startAt);
    expect(outcome.failureAt).toBeLessThanOrEqual(settled);
  });

  it('stuck value: the same number again and again', () => {
    const { fault, series } = run('stuck_value', dftOnly);
    const dft = series('coating_thickness_um');
    const before = between(dft, fault.startAt - 5 * DAY_MS, fault.startAt - EDGE).map((p) => p.value);
    const after = between(dft, fault.startAt + EDGE, fault.startAt + 10 * DAY_MS).map((p) => p.value);
    expect(after.length).toBeGreaterThan(100);
    expect(new Set(after).size).toBe(1);
    expect(new Set(before).size).toBeGreaterThan(50);
    // The other metrics of the device are still alive.
    expect(
      new Set(between(series('temperature_c'), fault.startAt + EDGE, fault.startAt + 10 * DAY_MS).map((p) => p.value))
        .size,
    ).toBeGreaterThan(50);
  });

  it('spikes: outliers far from the level, only after the start', () => {
    const { fault, series } = run('spikes', dftOnly);
    const dft = series('coating_thickness_um');
    const before = between(dft, fault.startAt - 10 * DAY_MS, fault.startAt - EDGE).map((p) => p.value);
    const after = between(dft, fault.startAt + EDGE, fault.startAt + 20 * DAY_MS).map((p) => p.value);
    const level = mean(before);
    const outliers = (xs: number[]) => xs.filter((v) => Math.abs(v - level) > 0.5 * level).length;
    expect(outliers(before)).toBe(0);
    expect(outliers(after)).toBeGreaterThan(5);
    // Most readings are still normal.
    expect(outliers(after)).toBeLessThan(after.length / 3);
  });

  it('drift: a growing offset, large by the time the customer notices', () => {
    const { fault, series, outcome } = run('drift', dftOnly);
    if (fault.params.kind !== 'drift') throw new Error('wrong fault');
    const dft = series('coating_thickness_um');
    const before = mean(between(dft, fault.startAt - DAY_MS, fault.startAt - EDGE).map((p) => p.value));
    const halfway = fault.startAt + (fault.params.noticeDays / 2) * DAY_MS;
    const mid = mean(between(dft, halfway - 6 * HOUR_MS, halfway + 6 * HOUR_MS).map((p) => p.value));
    const noticed = mean(between(dft, outcome.failureAt! - 12 * HOUR_MS, outcome.failureAt!).map((p) => p.value));
    const d = fault.params.direction;
    expect(d * (noticed - before)).toBeGreaterThan(0.2 * before);
    // Linear: about half the offset halfway.
    expect(d * (mid - before)).toBeGreaterThan(0.3 * d * (noticed - before));
    expect(d * (mid - before)).toBeLessThan(0.7 * d * (noticed - before));
  });

  it('dropout: a gap in the series, no backfill, numbering goes on', () => {
    const { fault, series, device, collected } = run('dropout', dftOnly);
    if (fault.params.kind !== 'dropout') throw new Error('wrong fault');
    const end = fault.startAt + fault.params.durationDays * DAY_MS;
    const dft = series('coating_thickness_um');
    expect(between(dft, fault.startAt + EDGE, end - EDGE)).toHaveLength(0);
    expect(between(dft, fault.startAt - DAY_MS, fault.startAt).length).toBeGreaterThan(20);
    expect(between(dft, end, end + DAY_MS).length).toBeGreaterThan(20);
    const seqs = collected.byDevice.get(device.id)!.map((r) => r.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i));
  });

  it('offline: the readings are taken, buffered, and uploaded in batches on reconnect', () => {
    const { fault, device, collected } = run('offline', dftOnly);
    if (fault.params.kind !== 'offline') throw new Error('wrong fault');
    const back = fault.startAt + Math.round(fault.params.durationDays * DAY_MS);
    const readings = collected.byDevice.get(device.id)!;
    const buffered = between(readings, fault.startAt + EDGE, back - EDGE);
    expect(buffered.length).toBeGreaterThanOrEqual(Math.floor(fault.params.durationDays * 24) - 1);
    for (const r of buffered) {
      expect(r.sentAt).toBe(back);
      expect(r.batch).toBeGreaterThan(1);
    }
    expect(between(readings, fault.startAt - DAY_MS, fault.startAt - EDGE).every((r) => r.batch === 1)).toBe(true);
    const link = collected.events.filter(
      (e) => (e.type === 'offline' || e.type === 'online') && e.deviceIndex === device.index,
    );
    expect(link.map((e) => [e.type, e.at])).toEqual([
      ['offline', fault.startAt],
      ['online', back],
    ]);
  });

  it('battery depletion: the voltage collapses, then the device falls silent', () => {
    const { fault, series, outcome, device, collected } = run('battery_depletion', dftOnly);
    if (fault.params.kind !== 'battery_depletion') throw new Error('wrong fault');
    const battery = series('battery_v');
    const dead = fault.startAt + Math.round(fault.params.lifeDays * DAY_MS);
    expect(outcome.failureAt).toBe(dead);
    const first = mean(between(battery, fault.startAt - DAY_MS, fault.startAt).map((p) => p.value));
    const last = battery[battery.length - 1]!;
    expect(first).toBeGreaterThan(3.5);
    expect(last.value).toBeLessThan(3.25);
    expect(last.ts).toBeLessThan(dead + EDGE);
    expect(collected.byDevice.get(device.id)!.every((r) => r.ts < dead + EDGE)).toBe(true);
  });
});
