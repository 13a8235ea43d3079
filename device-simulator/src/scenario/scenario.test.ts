import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAULT_KINDS } from '../core/fault-kinds.js';
import { Simulation } from '../core/simulation.js';
import { listScenarios, loadScenario } from './load-scenario.js';
import { ScenarioError } from './scenario-schema.js';

describe('scenarios', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'scenarios-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ships smoke, fault-zoo, year-of-fleet and burst-backlog, all valid', async () => {
    const names = await listScenarios();
    expect(names).toEqual(expect.arrayContaining(['smoke', 'fault-zoo', 'year-of-fleet', 'burst-backlog']));
    for (const name of names) expect((await loadScenario(name)).name).toBe(name);
  });

  it('smoke is a few devices over a few days; year-of-fleet hundreds over a year', async () => {
    const smoke = await loadScenario('smoke');
    expect(smoke.fleet.devices).toBeLessThanOrEqual(10);
    expect(smoke.days).toBeLessThanOrEqual(5);
    const year = await loadScenario('year-of-fleet');
    expect(year.fleet.devices).toBeGreaterThanOrEqual(100);
    expect(year.days).toBeGreaterThanOrEqual(365);
  });

  it('fault-zoo injects every fault kind', async () => {
    const sim = new Simulation({ scenario: await loadScenario('fault-zoo'), idPrefix: 'z-' });
    expect(sim.plan.unplaceable).toEqual([]);
    expect([...new Set(sim.plan.faults.map((f) => f.kind))].sort()).toEqual([...FAULT_KINDS].sort());
    // Most of the zoo's devices are healthy, for the false-alarm count.
    expect(sim.plan.faults.length).toBeLessThan(sim.fleet.devices.length / 2);
  });

  it('burst-backlog takes most devices offline for days', async () => {
    const sim = new Simulation({ scenario: await loadScenario('burst-backlog'), idPrefix: 'b-' });
    const offline = sim.plan.faults.filter((f) => f.params.kind === 'offline' && f.params.durationDays >= 2);
    expect(offline.length).toBeGreaterThan(sim.fleet.devices.length / 2);
  });

  it('applies command-line overrides', async () => {
    const s = await loadScenario('smoke', {
      days: 1,
      devices: 2,
      seed: 99,
      start: '2024-01-01',
      badPayloadRate: 0.2,
      uploadBatchSize: 7,
    });
    expect(s).toMatchObject({
      days: 1,
      seed: 99,
      start: '2024-01-01',
      fleet: { devices: 2 },
      transport: { badPayloadRate: 0.2, uploadBatchSize: 7 },
    });
  });

  it('loads a file by path, and names every bad field of it', async () => {
    const file = path.join(dir, 'mine.json');
    await writeFile(file, JSON.stringify({ name: 'mine', start: '2025-01-01', days: 2, fleet: { devices: 3 } }));
    expect((await loadScenario(file)).fleet.devices).toBe(3);

    const bad = path.join(dir, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        name: 'Bad Name',
        start: 'soon',
        days: -1,
        fleet: { devices: 3, nominalDftUm: { min: 400, max: 100 } },
        extra: 1,
      }),
    );
    const error = await loadScenario(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const lines = (error as ScenarioError).lines;
    for (const field of ['name', 'start', 'days', 'fleet.nominalDftUm.max']) {
      expect(lines.some((l) => l.startsWith(`bad.json: ${field}:`))).toBe(true);
    }
    expect(lines.some((l) => l.includes('extra'))).toBe(true);
  });

  it('explains an unknown name and broken JSON', async () => {
    await expect(loadScenario('no-such-scenario')).rejects.toThrow(
      /no scenario named "no-such-scenario" \(shipped: .*smoke/,
    );
    const broken = path.join(dir, 'broken.json');
    await writeFile(broken, '{"name": ');
    await expect(loadScenario(broken)).rejects.toThrow(/broken.json: not valid JSON/);
  });
});
