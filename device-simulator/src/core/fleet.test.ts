import { describe, expect, it } from 'vitest';
import { AssetCreateSchema, DEVICE_ID_PATTERN, DeviceCreateSchema } from '#contracts';
import { parseScenario } from '../scenario/scenario-schema.js';
import { generateFleet, type FleetInput } from './fleet.js';
import { DAY_MS } from './time.js';

const start = Date.UTC(2025, 0, 1);
const input = (devices: number, seed = 3): FleetInput => {
  const s = parseScenario({ name: 'f', start: '2025-01-01', days: 90, fleet: { devices } }, 'test');
  return {
    seed,
    idPrefix: 'sim-t-',
    startMs: start,
    endMs: start + 90 * DAY_MS,
    fleet: s.fleet,
    transport: s.transport,
  };
};

describe('generateFleet', () => {
  it('is the same fleet for the same seed, another for another seed', () => {
    expect(generateFleet(input(120))).toEqual(generateFleet(input(120)));
    expect(generateFleet(input(120, 4))).not.toEqual(generateFleet(input(120)));
  });

  it('has exactly the asked devices, one to three per asset, each on its asset', () => {
    const fleet = generateFleet(input(200));
    expect(fleet.devices).toHaveLength(200);
    for (const a of fleet.assets) {
      expect(a.deviceIndexes.length).toBeGreaterThanOrEqual(1);
      expect(a.deviceIndexes.length).toBeLessThanOrEqual(3);
      for (const i of a.deviceIndexes) expect(fleet.devices[i]!.assetIndex).toBe(a.index);
    }
    expect(new Set(fleet.devices.map((d) => d.id)).size).toBe(200);
  });

  it('draws coating specs from the ISO 12944 ranges of the scenario', () => {
    const fleet = generateFleet(input(300));
    const categories = new Set<string>();
    for (const a of fleet.assets) {
      categories.add(a.coating.corrosivityCategory);
      expect(a.coating.nominalDftUm).toBeGreaterThanOrEqual(120);
      expect(a.coating.nominalDftUm).toBeLessThanOrEqual(400);
      expect(['L', 'M', 'H']).toContain(a.coating.durability);
      expect(a.coating.installedAt <= '2025-01-01').toBe(true);
      // A healthy asset's film is above breakdown at the start and the ER element within its range.
      expect(a.physics.initialDftUm).toBeGreaterThan(a.physics.breakdownDftUm);
      expect(a.physics.appliedDftUm).toBeGreaterThanOrEqual(a.coating.nominalDftUm);
    }
    expect([...categories].sort()).toEqual(['C2', 'C3', 'C4', 'C5', 'CX', 'Im1', 'Im2', 'Im3'].sort());
  });

  it('produces bodies the gateway API accepts and device ids usable as MQTT usernames', () => {
    const fleet = generateFleet(input(100));
    for (const a of fleet.assets) {
      const body = {
        customerId: '00000000-0000-4000-8000-000000000000',
        name: a.name,
        kind: a.kind,
        location: a.location,
        region: a.region,
        coating: a.coating,
      };
      expect(AssetCreateSchema.safeParse(body).success).toBe(true);
    }
    for (const d of fleet.devices) {
      expect(d.id).toMatch(DEVICE_ID_PATTERN);
      const body = {
        id: d.id,
        assetId: '00000000-0000-4000-8000-000000000000',
        name: d.name,
        kind: d.kind,
        samplingIntervalS: d.samplingIntervalS,
      };
      expect(DeviceCreateSchema.safeParse(body).success).toBe(true);
    }
  });

  it('puts a CP logger only on cathodically protected assets', () => {
    const fleet = generateFleet(input(300));
    for (const d of fleet.devices) {
      if (d.metrics.includes('cp_potential_mv')) expect(fleet.assets[d.assetIndex]!.physics.cp).not.toBeNull();
    }
  });
});
