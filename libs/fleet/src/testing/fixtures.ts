import type { Asset, Customer, Technician } from '#contracts';
import type { FleetTestApp } from './fleet-test-app.js';

export const coating = {
  system: 'epoxy zinc primer + PU topcoat',
  nominalDftUm: 250,
  corrosivityCategory: 'C5',
  durability: 'H',
  installedAt: '2024-05-01',
  warrantyUntil: '2034-05-01',
} as const;

export async function createCustomer(t: FleetTestApp, name = 'Nordic Tank Storage'): Promise<Customer> {
  const res = await t.request<Customer>('POST', '/api/customers', { body: { name, email: 'ops@example.com' } });
  if (res.status !== 201) throw new Error(`create customer: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createAsset(t: FleetTestApp, customerId: string, name = 'Tank 7'): Promise<Asset> {
  const res = await t.request<Asset>('POST', '/api/assets', { body: { customerId, name, kind: 'tank', coating } });
  if (res.status !== 201) throw new Error(`create asset: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createDevice(
  t: FleetTestApp,
  assetId: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; token: string }> {
  const res = await t.request<{ id: string; token: string }>('POST', '/api/devices', { body: { assetId, ...extra } });
  if (res.status !== 201) throw new Error(`create device: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function createTechnician(t: FleetTestApp, name = 'Ana Ruiz'): Promise<Technician> {
  const res = await t.request<Technician>('POST', '/api/technicians', {
    body: { name, level: 'senior', skills: ['dft', 'cp'], region: 'north', base: { lat: 59.9, lon: 10.7 } },
  });
  if (res.status !== 201) throw new Error(`create technician: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Issues an API token for a role (admin call). */
export async function issueToken(t: FleetTestApp, body: Record<string, unknown>): Promise<string> {
  const res = await t.request<{ token: string }>('POST', '/api/tokens', { body });
  if (res.status !== 201) throw new Error(`issue token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}
