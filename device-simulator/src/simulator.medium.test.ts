import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseConnection } from '#database';
import { AutomationReconciler } from '#automation';
import { DetectionPipeline } from '#detection';
import {
  removeDataDir,
  startTestGateway,
  TEST_ADMIN_TOKEN,
  type TestGateway,
} from '../../test/support/test-gateway.js';
import { Simulation } from './core/simulation.js';
import type { TruthRecord } from './core/ground-truth.js';
import { runSimulation, type SimulationSummary } from './run/run-simulation.js';
import { parseScenario, type Scenario } from './scenario/scenario-schema.js';

/**
 * The simulator against the whole gateway in-process (real aedes on an ephemeral port, real database):
 * every acked reading is stored, the rejected messages are exactly the bad payloads asked for, and the
 * ground truth is what the simulation injected.
 */
describe('simulator against the real gateway', () => {
  let gw: TestGateway;
  let dir: string;
  let summary: SimulationSummary;
  let truth: TruthRecord[];
  const idPrefix = 'med-';
  const truthFile = () => path.join(dir, 'truth.jsonl');
  // Small, but with an offline period (disconnect, backlog upload) and sensor faults.
  const scenario: Scenario = parseScenario(
    {
      name: 'medium',
      seed: 5,
      start: '2025-05-01T00:00:00Z',
      days: 3,
      fleet: { devices: 6, customers: 2, samplingIntervalS: 1800 },
      faults: {
        everyKind: true,
        assetFaultRate: 0,
        sensorFaultRate: 0,
        kinds: { offline: 1, stuck_value: 1, spikes: 1 },
        startWindow: { min: 0.2, max: 0.4 },
        offlineDays: { min: 0.5, max: 1 },
      },
      transport: { uploadBatchSize: 10 },
    },
    'medium',
  );
  const badPayloadRate = 0.1;
  const db = () => gw.gateway.app.get(DatabaseConnection);

  beforeAll(async () => {
    gw = await startTestGateway();
    dir = await mkdtemp(path.join(tmpdir(), 'simulator-'));
    summary = await runSimulation({
      scenario,
      overrides: { badPayloadRate },
      apiUrl: gw.baseUrl,
      adminToken: TEST_ADMIN_TOKEN,
      gatewayUrl: gw.mqttUrl,
      speed: 'max',
      idPrefix,
      truthFile: truthFile(),
    });
    truth = (await readFile(truthFile(), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TruthRecord);
  });

  afterAll(async () => {
    await gw?.stop();
    if (gw) await removeDataDir(gw.dataDir);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The same scenario generated again without any network: what should have arrived. */
  const expected = () => {
    const sim = new Simulation({
      scenario: parseScenario({ ...scenario, transport: { ...scenario.transport, badPayloadRate } }, 'x'),
      idPrefix,
    });
    const events = [...sim.events()];
    return { sim, events };
  };

  it('acknowledges everything it published, with the offline device reconnecting', () => {
    expect(summary.devices).toBe(6);
    expect(summary.published).toBeGreaterThan(100);
    expect(summary.acked).toBe(summary.published);
    expect(summary.unacked).toBe(0);
    expect(summary.reconnects).toBeGreaterThanOrEqual(1);
    expect(summary.backlogAtEnd).toBe(0);
  });

  it('stores every acked reading', async () => {
    const { sim } = expected();
    const rows = await db().rows<{ n: number }>(
      sql`select count(*)::int as n from readings where device_id like ${idPrefix + '%'}`,
    );
    expect(summary.ackedValues).toBe(sim.counters.values);
    expect(rows[0]!.n).toBe(summary.ackedValues);
  });

  it('stores the series exactly as generated', async () => {
    const { sim, events } = expected();
    const device = sim.fleet.devices[0]!;
    const metric = device.primaryMetric;
    const generated: Array<{ ts: number; value: number }> = [];
    for (const e of events) {
      if (e.type !== 'message' || e.bad !== null || e.deviceIndex !== 0) continue;
      const decoded = JSON.parse(e.payload) as
        { ts: number; metrics: Record<string, number> } | Array<{ ts: number; metrics: Record<string, number> }>;
      for (const r of Array.isArray(decoded) ? decoded : [decoded])
        generated.push({ ts: r.ts, value: r.metrics[metric]! });
    }
    generated.sort((a, b) => a.ts - b.ts);
    const from = new Date(sim.startMs - 3600_000).toISOString();
    const to = new Date(sim.endMs + 3600_000).toISOString();
    const res = await gw.api<{ points: Array<{ ts: string; value: number }> }>(
      'GET',
      `/api/devices/${device.id}/readings?metric=${metric}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.points.map((p) => ({ ts: Date.parse(p.ts), value: p.value }))).toEqual(generated);
  });

  it('gets exactly the bad payloads it asked for rejected, each for its reason', async () => {
    const badLines = truth.filter((r) => r.type === 'bad_payload');
    expect(summary.badPayloads).toBeGreaterThan(5);
    expect(summary.badPayloads / summary.published).toBeGreaterThan(0.03);
    expect(summary.rejected).toBe(summary.badPayloads);
    expect(badLines).toHaveLength(summary.badPayloads);
    const asked: Record<string, number> = {};
    for (const b of badLines) if (b.type === 'bad_payload') asked[b.reason] = (asked[b.reason] ?? 0) + 1;
    expect(summary.rejectionReasons).toEqual(asked);
    const dead = await db().rows<{ reason: string; n: number }>(
      sql`select reason, count(*)::int as n from dead_letters where device_id like ${idPrefix + '%'} group by reason`,
    );
    expect(Object.fromEntries(dead.map((d) => [d.reason, d.n]))).toEqual(asked);
  });

  it('writes a ground truth that matches what was injected', async () => {
    const { sim } = expected();
    const faults = truth.filter((r) => r.type === 'fault');
    expect(faults.map((f) => f.type === 'fault' && [f.faultId, f.kind, f.deviceId, Date.parse(f.startAt)])).toEqual(
      sim.outcomes.map((o) => [o.id, o.kind, sim.fleet.devices[o.deviceIndex]!.id, o.startAt]),
    );
    expect(faults.map((f) => f.type === 'fault' && f.failureAt)).toEqual(
      sim.outcomes.map((o) => (o.failureAt === null ? null : new Date(o.failureAt).toISOString())),
    );
    expect(faults.map((f) => f.type === 'fault' && f.kind).sort()).toEqual(['offline', 'spikes', 'stuck_value']);
    const devices = truth.filter((r) => r.type === 'device');
    expect(devices.map((d) => d.type === 'device' && d.deviceId)).toEqual(sim.fleet.devices.map((d) => d.id));
    // The truth names the gateway's own ids for the assets it provisioned.
    for (const a of truth.filter((r) => r.type === 'asset')) {
      if (a.type !== 'asset') continue;
      const res = await gw.api<{ id: string; name: string }>('GET', `/api/assets/${a.assetId}`);
      expect(res.status).toBe(200);
      expect(res.body.name).toBe(a.name);
    }
    expect(truth[0]!.type).toBe('run');
    expect(truth[truth.length - 1]).toMatchObject({ type: 'summary', acked: summary.acked });
  });

  it('refuses to run a second time over the same device ids, naming the way out', async () => {
    await expect(
      runSimulation({
        scenario,
        apiUrl: gw.baseUrl,
        adminToken: TEST_ADMIN_TOKEN,
        gatewayUrl: gw.mqttUrl,
        idPrefix,
      }),
    ).rejects.toThrow(/6 of the 6 device ids exist on this gateway already.*--id-prefix/);
    // Nothing was created by the refused run.
    const customers = await db().rows<{ n: number }>(sql`select count(*)::int as n from customers`);
    expect(customers[0]!.n).toBe(2);
  });
});

/**
 * Customer emulation against the whole gateway: the simulated customers report their failures through the
 * service desk's self-service API (`POST /api/reports`, with their own customer tokens), in event-time order,
 * after the readings that show the failure are stored and detection has caught up with them; the ground truth
 * keeps each answer. A coating damage and a stuck gauge are both caught by the sensors first.
 */
describe('simulated customers report through the service desk', () => {
  let gw: TestGateway;
  let dir: string;
  let summary: SimulationSummary;
  let faults: Array<Extract<TruthRecord, { type: 'fault' }>>;
  const scenario: Scenario = parseScenario(
    {
      name: 'reports',
      seed: 3,
      start: '2025-04-01T00:00:00Z',
      days: 12,
      fleet: {
        devices: 4,
        customers: 1,
        samplingIntervalS: 3600,
        devicesPerAsset: { min: 1, max: 1 },
        corrosivity: { CX: 1 },
        deviceKinds: { dft_gauge: 1 },
        cathodicProtection: 'none',
      },
      faults: {
        everyKind: true,
        assetFaultRate: 0,
        sensorFaultRate: 0,
        kinds: { coating_damage: 1, stuck_value: 1 },
        startWindow: { min: 0.1, max: 0.25 },
      },
      customers: { reportDelayHours: { min: 6, max: 24 } },
    },
    'reports',
  );
  let settledBeforeReports = 0;

  beforeAll(async () => {
    gw = await startTestGateway();
    dir = await mkdtemp(path.join(tmpdir(), 'simulator-reports-'));
    const truthFile = path.join(dir, 'truth.jsonl');
    summary = await runSimulation({
      scenario,
      apiUrl: gw.baseUrl,
      adminToken: TEST_ADMIN_TOKEN,
      gatewayUrl: gw.mqttUrl,
      speed: 'max',
      truthFile,
      // As the eval does: the platform gets the time the event-time gap gives it before the customer calls.
      beforeCustomerReport: async () => {
        await gw.gateway.app.get(DetectionPipeline).idle();
        await gw.gateway.app.get(AutomationReconciler).idle();
        settledBeforeReports++;
      },
    });
    faults = (await readFile(truthFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TruthRecord)
      .filter((r): r is Extract<TruthRecord, { type: 'fault' }> => r.type === 'fault');
  });

  afterAll(async () => {
    await gw?.stop();
    if (gw) await removeDataDir(gw.dataDir);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('sends every report due within the run, after the readings are stored', () => {
    expect(summary.acked).toBe(summary.published);
    expect(faults.map((f) => f.kind).sort()).toEqual(['coating_damage', 'stuck_value']);
    expect(faults.every((f) => f.customerReport === 'sent')).toBe(true);
    expect(summary).toMatchObject({ customerReports: 2, customerReportsSent: 2, customerReportsFailed: 0 });
    expect(settledBeforeReports).toBe(2);
  });

  it('records the answer: linked to the work order the sensors opened first', async () => {
    for (const f of faults) {
      expect(f.customerReportAnswer).toMatchObject({
        outcome: 'linked',
        platformWasFirst: true,
        workOrderSource: 'detector',
      });
      const wo = await gw.api<{ assetId: string; source: string; customerReportedAt: string | null }>(
        'GET',
        `/api/work-orders/${f.customerReportAnswer!.workOrderId}`,
      );
      expect(wo.body).toMatchObject({ assetId: f.assetId, source: 'detector' });
      expect(wo.body.customerReportedAt).not.toBeNull();
    }
    expect(summary.platformFirst).toBe(2);
  });

  it('reported as the customer, on its own assets', async () => {
    const reports = await gw.api<Array<{ assetId: string; platformWasFirst: boolean; faultCategory: string }>>(
      'GET',
      '/api/reports',
    );
    expect(reports.status).toBe(200);
    expect(reports.body.map((r) => r.faultCategory).sort()).toEqual(['coating_damage', 'sensor_fault']);
    expect(new Set(reports.body.map((r) => r.assetId))).toEqual(new Set(faults.map((f) => f.assetId)));
    const tokens = await gw.api<Array<{ role: string; customerId: string | null }>>('GET', '/api/tokens');
    expect(tokens.body.filter((t) => t.role === 'customer')).toHaveLength(1);
  });
});
