import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GroundTruthOnlyReporter } from '../transport/customer-reporter.js';
import type { FleetApi } from '../transport/fleet-api-client.js';
import { loadScenario } from '../scenario/load-scenario.js';
import type { WallClock } from './pacer.js';
import { runSimulation } from './run-simulation.js';

describe('runSimulation', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'run-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('dry run: generates and encodes everything, writes the truth, summary counts agree', async () => {
    const truthFile = path.join(dir, 'zoo.jsonl');
    const reporter = new GroundTruthOnlyReporter();
    const summary = await runSimulation({
      scenario: 'fault-zoo',
      overrides: { days: 30, badPayloadRate: 0.01 },
      dryRun: true,
      truthFile,
      customerReporter: reporter,
    });
    expect(summary).toMatchObject({
      scenario: 'fault-zoo',
      dryRun: true,
      aborted: false,
      unacked: 0,
      rejected: 0,
      reconnects: 0,
    });
    expect(summary.acked).toBe(summary.published);
    expect(summary.ackedReadings).toBe(summary.readings);
    expect(summary.badPayloads).toBeGreaterThan(0);
    expect(summary.readingsPerSecond).toBeGreaterThan(0);
    const lines = (await readFile(truthFile, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; customerReport?: string; faultId?: string });
    expect(lines[0]!.type).toBe('run');
    expect(lines[lines.length - 1]).toMatchObject({ type: 'summary', published: summary.published });
    expect(lines.filter((l) => l.type === 'device')).toHaveLength(summary.devices);
    expect(lines.filter((l) => l.type === 'bad_payload')).toHaveLength(summary.badPayloads);
    // A dry run has no service desk to report to: reports are recorded in the truth only.
    const recorded = lines.filter((l) => l.type === 'fault' && l.customerReport === 'recorded').map((l) => l.faultId);
    expect(recorded.sort()).toEqual(reporter.reports.map((r) => r.faultId).sort());
    expect(summary.customerReports).toBe(reporter.reports.length);
  });

  it('paces event time at --speed N on the wall clock', async () => {
    let now = 0;
    let slept = 0;
    const clock: WallClock = {
      now: () => now,
      sleep: async (ms) => {
        slept += ms;
        now += ms;
      },
    };
    const summary = await runSimulation({ scenario: 'smoke', dryRun: true, speed: 86_400, clock });
    // Two simulated days at one day per second: close to two seconds of (fake) waiting.
    expect(slept).toBeGreaterThan(1900);
    expect(slept).toBeLessThanOrEqual(2000);
    expect(summary.published).toBeGreaterThan(0);
  });

  it('refuses a window ending in the future, as the gateway would reject its readings', async () => {
    const scenario = await loadScenario('smoke');
    const api: FleetApi = {
      createCustomer: () => Promise.reject(new Error('must not provision')),
      createAsset: () => Promise.reject(new Error('must not provision')),
      createDevice: () => Promise.reject(new Error('must not provision')),
      deviceExists: () => Promise.reject(new Error('must not provision')),
    };
    await expect(
      runSimulation({ scenario, adminToken: 't', fleetApi: api, now: () => Date.parse('2025-06-02T00:00:00Z') }),
    ).rejects.toThrow(/ends at 2025-06-03T00:00:00.000Z.*earlier --start or fewer --days/);
    // Played at one simulated second per second from a start in the past, it stays behind the clock.
    await expect(
      runSimulation({
        scenario,
        adminToken: 't',
        fleetApi: api,
        speed: 1,
        now: () => Date.parse('2025-06-02T00:00:00Z'),
      }),
    ).rejects.toThrow(/must not provision/);
  });

  it('needs the admin token unless dry-running', async () => {
    await expect(runSimulation({ scenario: 'smoke' })).rejects.toThrow(/--token .* is required unless --dry-run/);
  });
});
