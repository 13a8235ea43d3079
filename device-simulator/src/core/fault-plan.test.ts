import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/scenario-schema.js';
import { FAULT_KINDS } from './fault-kinds.js';
import { planFaults } from './fault-plan.js';
import { generateFleet } from './fleet.js';
import { DAY_MS } from './time.js';

const start = Date.UTC(2025, 0, 1);
const end = start + 60 * DAY_MS;

function setup(faults: Record<string, unknown>, devices = 60, seed = 1) {
  const s = parseScenario(
    { name: 'p', start: '2025-01-01', days: 60, fleet: { devices, corrosivity: { C4: 1, Im2: 1 } }, faults },
    'test',
  );
  const fleet = generateFleet({
    seed,
    idPrefix: 'p-',
    startMs: start,
    endMs: end,
    fleet: s.fleet,
    transport: s.transport,
  });
  return {
    fleet,
    plan: planFaults(fleet, { seed, startMs: start, endMs: end, faults: s.faults, customers: s.customers }),
  };
}

describe('planFaults', () => {
  it('is the same plan for the same seed', () => {
    expect(setup({}).plan).toEqual(setup({}).plan);
    expect(setup({}, 60, 2).plan).not.toEqual(setup({}).plan);
  });

  it('places every kind with everyKind, each on a device that can show it', () => {
    const { fleet, plan } = setup({ everyKind: true, assetFaultRate: 0, sensorFaultRate: 0 });
    expect(plan.unplaceable).toEqual([]);
    expect(plan.faults.map((f) => f.kind).sort()).toEqual([...FAULT_KINDS].sort());
    for (const f of plan.faults) {
      const device = fleet.devices[f.deviceIndex]!;
      expect(device.assetIndex).toBe(f.assetIndex);
      if (f.metric !== null) expect(device.metrics).toContain(f.metric);
      expect(f.startAt).toBeGreaterThanOrEqual(start + 0.15 * 60 * DAY_MS - 60_000);
      expect(f.startAt).toBeLessThanOrEqual(start + 0.6 * 60 * DAY_MS + 60_000);
    }
  });

  it('gives an asset or a device at most one fault, never both', () => {
    const { fleet, plan } = setup({ assetFaultRate: 0.6, sensorFaultRate: 0.6 }, 200);
    const assets = plan.faults.filter((f) => f.scope === 'asset').map((f) => f.assetIndex);
    const devices = plan.faults.filter((f) => f.scope === 'sensor').map((f) => f.deviceIndex);
    expect(new Set(assets).size).toBe(assets.length);
    expect(new Set(devices).size).toBe(devices.length);
    for (const d of devices) expect(assets).not.toContain(fleet.devices[d]!.assetIndex);
  });

  it('reports the kinds it cannot place', () => {
    const s = parseScenario(
      {
        name: 'p',
        start: '2025-01-01',
        days: 60,
        fleet: { devices: 10, deviceKinds: { environment: 1 } },
        faults: { everyKind: true, kinds: { cp_failure: 1, drift: 1 } },
      },
      'test',
    );
    const fleet = generateFleet({
      seed: 1,
      idPrefix: 'p-',
      startMs: start,
      endMs: end,
      fleet: s.fleet,
      transport: s.transport,
    });
    const plan = planFaults(fleet, { seed: 1, startMs: start, endMs: end, faults: s.faults, customers: s.customers });
    expect(plan.unplaceable).toEqual(['cp_failure']);
    expect(plan.faults.filter((f) => f.kind === 'drift')).not.toHaveLength(0);
  });
});
