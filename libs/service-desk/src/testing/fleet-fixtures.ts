import { randomUUID } from 'node:crypto';
import type { Principal } from '#contracts';
import { type DbExecutor, tables } from '#database';

/**
 * Fleet rows the service desk reads (customers, assets, devices, technicians), written straight into fleet's
 * tables: the service desk never imports the fleet lib, and its tests need only the rows.
 */
export interface FleetFixture {
  readonly customers: { readonly north: string; readonly south: string };
  readonly assets: {
    /** Tank in Oslo (north), customer north, warranty until 2034. */
    readonly tank: string;
    /** Pipeline near Oslo (north), customer north, warranty expired 2025. */
    readonly pipeline: string;
    /** Bridge in Bergen (west), customer south. */
    readonly bridge: string;
  };
  readonly devices: { readonly tankGauge: string; readonly bridgeProbe: string };
  readonly technicians: {
    /** Senior, coating + corrosion + cathodic protection, based in Oslo. */
    readonly ana: string;
    /** Intermediate, coating, based in Oslo. */
    readonly ben: string;
    /** Senior, coating, based in Bergen (out of radius for Oslo). */
    readonly cai: string;
  };
  /** Bearer tokens for every role (resolved by StaticTokenResolver). */
  readonly tokens: {
    readonly admin: string;
    readonly planner: string;
    readonly ana: string;
    readonly ben: string;
    readonly cai: string;
    readonly north: string;
    readonly south: string;
  };
  readonly principals: ReadonlyMap<string, Principal>;
}

const OSLO = { lat: 59.91, lon: 10.75 };
const BERGEN = { lat: 60.39, lon: 5.32 };

export async function seedFleet(db: DbExecutor): Promise<FleetFixture> {
  const id = () => randomUUID();
  const customers = { north: id(), south: id() };
  await db.insert(tables.customers).values([
    { id: customers.north, name: 'Nordic Tank Storage', region: 'north' },
    { id: customers.south, name: 'Bergen Bridges', region: 'west' },
  ]);
  const coating = { nominalDftUm: 250, corrosivityCategory: 'C5', durability: 'H', installedAt: '2024-05-01' };
  const assets = { tank: id(), pipeline: id(), bridge: id() };
  await db.insert(tables.assets).values([
    {
      id: assets.tank,
      customerId: customers.north,
      name: 'Tank T-7',
      kind: 'tank',
      ...coating,
      lat: OSLO.lat,
      lon: OSLO.lon,
      region: 'north',
      warrantyUntil: '2034-05-01',
    },
    {
      id: assets.pipeline,
      customerId: customers.north,
      name: 'Pipeline P-1',
      kind: 'pipeline',
      ...coating,
      installedAt: '2019-01-01',
      lat: 59.95,
      lon: 10.9,
      region: 'north',
      warrantyUntil: '2025-01-01',
    },
    {
      id: assets.bridge,
      customerId: customers.south,
      name: 'Bridge B-2',
      kind: 'bridge',
      ...coating,
      lat: BERGEN.lat,
      lon: BERGEN.lon,
      region: 'west',
      warrantyUntil: '2034-05-01',
    },
  ]);
  const devices = { tankGauge: `dft-${id().slice(0, 8)}`, bridgeProbe: `er-${id().slice(0, 8)}` };
  await db.insert(tables.devices).values([
    { id: devices.tankGauge, assetId: assets.tank, kind: 'dft_gauge', tokenDigest: Buffer.alloc(32) },
    { id: devices.bridgeProbe, assetId: assets.bridge, kind: 'er_probe', tokenDigest: Buffer.alloc(32) },
  ]);
  const technicians = { ana: id(), ben: id(), cai: id() };
  await db.insert(tables.technicians).values([
    {
      id: technicians.ana,
      name: 'Ana Ruiz',
      level: 'senior',
      skills: ['coating', 'corrosion', 'cathodic_protection'],
      region: 'north',
      baseLat: OSLO.lat,
      baseLon: OSLO.lon,
    },
    {
      id: technicians.ben,
      name: 'Ben Olsen',
      level: 'intermediate',
      skills: ['coating'],
      region: 'north',
      baseLat: 59.92,
      baseLon: 10.8,
    },
    {
      id: technicians.cai,
      name: 'Cai Berg',
      level: 'senior',
      skills: ['coating'],
      region: 'west',
      baseLat: BERGEN.lat,
      baseLon: BERGEN.lon,
    },
  ]);
  const tokens = {
    admin: 'tok-admin',
    planner: 'tok-planner',
    ana: 'tok-ana',
    ben: 'tok-ben',
    cai: 'tok-cai',
    north: 'tok-north',
    south: 'tok-south',
  };
  const principals = new Map<string, Principal>([
    [tokens.admin, { role: 'admin', tokenId: 'admin-token' }],
    [tokens.planner, { role: 'planner', tokenId: 'planner-token' }],
    [tokens.ana, { role: 'technician', tokenId: 'ana-token', technicianId: technicians.ana }],
    [tokens.ben, { role: 'technician', tokenId: 'ben-token', technicianId: technicians.ben }],
    [tokens.cai, { role: 'technician', tokenId: 'cai-token', technicianId: technicians.cai }],
    [tokens.north, { role: 'customer', tokenId: 'north-token', customerId: customers.north }],
    [tokens.south, { role: 'customer', tokenId: 'south-token', customerId: customers.south }],
  ]);
  return { customers, assets, devices, technicians, tokens, principals };
}
