import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario/scenario-schema.js';
import { Simulation } from '../core/simulation.js';
import { ApiRequestError, type FleetApi, HttpFleetApi } from './fleet-api-client.js';
import { provisionFleet } from './provision.js';

const fleet = new Simulation({
  scenario: parseScenario({ name: 'prov', start: '2025-01-01', days: 1, fleet: { devices: 7, customers: 2 } }, 't'),
  idPrefix: 'p-',
}).fleet;

function fakeApi(existing: string[] = []) {
  const calls: string[] = [];
  let n = 0;
  const api: FleetApi = {
    createCustomer: async (b) => (calls.push(`customer ${b.name}`), { id: `cust-${n++}` }),
    createAsset: async (b) => (calls.push(`asset ${b.name} of ${b.customerId}`), { id: `asset-${n++}` }),
    createDevice: async (b) => (calls.push(`device ${b.id} on ${b.assetId}`), { id: b.id!, token: `tok-${b.id}` }),
    deviceExists: async (id) => existing.includes(id),
  };
  return { api, calls };
}

describe('provisionFleet', () => {
  it('creates customers, then assets under them, then devices on them, and keeps every token', async () => {
    const { api, calls } = fakeApi();
    const p = await provisionFleet(fleet, api);
    expect(p.customers.size).toBe(2);
    expect(p.assets.size).toBe(fleet.assets.length);
    expect([...p.tokens.keys()]).toEqual(expect.arrayContaining(fleet.devices.map((d) => d.id)));
    expect(p.tokens.get(fleet.devices[0]!.id)).toBe(`tok-${fleet.devices[0]!.id}`);
    const firstAsset = calls.findIndex((c) => c.startsWith('asset'));
    const firstDevice = calls.findIndex((c) => c.startsWith('device'));
    expect(calls.slice(0, firstAsset).every((c) => c.startsWith('customer'))).toBe(true);
    expect(calls.slice(firstAsset, firstDevice).every((c) => c.startsWith('asset'))).toBe(true);
    for (const d of fleet.devices) {
      const assetId = p.assets.get(fleet.assets[d.assetIndex]!.key);
      expect(calls).toContain(`device ${d.id} on ${assetId}`);
    }
  });

  it('creates nothing when a device id is taken already, and says how to run again', async () => {
    const { api, calls } = fakeApi([fleet.devices[3]!.id]);
    await expect(provisionFleet(fleet, api)).rejects.toThrow(/1 of the 7 device ids exist.*--id-prefix/);
    expect(calls).toEqual([]);
  });
});

describe('HttpFleetApi', () => {
  const respond = (status: number, body: unknown) => async () =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('sends the admin token and answers the created id', async () => {
    let seen: Request | undefined;
    const api = new HttpFleetApi('http://gw:3000/api/', 'admin-token', async (input, init) => {
      seen = new Request(input, init);
      return new Response(JSON.stringify({ id: 'c1' }), { status: 201 });
    });
    expect(await api.createCustomer({ name: 'Acme' })).toEqual({ id: 'c1' });
    expect(seen!.url).toBe('http://gw:3000/api/customers');
    expect(seen!.headers.get('authorization')).toBe('Bearer admin-token');
    expect(await seen!.json()).toEqual({ name: 'Acme' });
  });

  it('turns refusals into one line naming the request, the status and the reason', async () => {
    await expect(
      new HttpFleetApi('http://gw', 't', respond(401, { message: 'no' })).createCustomer({ name: 'x' }),
    ).rejects.toThrow('POST /api/customers: 401 the gateway refused the admin token; check --token (or ADMIN_TOKEN)');
    const bad = new HttpFleetApi(
      'http://gw',
      't',
      respond(400, { statusCode: 400, error: 'Bad Request', message: 'coating.nominalDftUm: too big' }),
    );
    await expect(bad.createDevice({ assetId: 'a' })).rejects.toThrow(
      'POST /api/devices: 400 coating.nominalDftUm: too big',
    );
    const down = new HttpFleetApi('http://gw', 't', async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:3000') });
    });
    const error = await down.createCustomer({ name: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect((error as Error).message).toMatch(
      /cannot reach the gateway API at http:\/\/gw \(connect ECONNREFUSED.*check --api/,
    );
  });

  it('tells an existing device id from a free one', async () => {
    expect(await new HttpFleetApi('http://gw', 't', respond(200, { id: 'd' })).deviceExists('d')).toBe(true);
    expect(await new HttpFleetApi('http://gw', 't', respond(404, { message: 'not found' })).deviceExists('d')).toBe(
      false,
    );
  });
});
