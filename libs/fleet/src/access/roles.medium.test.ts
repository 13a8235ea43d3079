import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, type Asset, type Customer, type Technician } from '#contracts';
import {
  coating,
  createAsset,
  createCustomer,
  createDevice,
  createTechnician,
  issueToken,
} from '../testing/fixtures.js';
import { type FleetTestApp, startFleetApp } from '../testing/fleet-test-app.js';

/**
 * The role matrix over HTTP: admin everything; planner writes the fleet; technician reads it;
 * customer reads only what is its own (404 for the rest); only admin manages tokens.
 */
describe('roles', () => {
  let t: FleetTestApp;
  let planner: string;
  let technician: string;
  let customerToken: string;
  let mine: Customer;
  let theirs: Customer;
  let myAsset: Asset;
  let theirAsset: Asset;
  let myDevice: string;
  let theirDevice: string;
  let tech: Technician;

  beforeAll(async () => {
    t = await startFleetApp();
    mine = await createCustomer(t, 'Mine');
    theirs = await createCustomer(t, 'Theirs');
    myAsset = await createAsset(t, mine.id, 'my tank');
    theirAsset = await createAsset(t, theirs.id, 'their tank');
    myDevice = (await createDevice(t, myAsset.id)).id;
    theirDevice = (await createDevice(t, theirAsset.id)).id;
    tech = await createTechnician(t);
    planner = await issueToken(t, { role: 'planner', name: 'planning desk' });
    technician = await issueToken(t, { role: 'technician', technicianId: tech.id });
    customerToken = await issueToken(t, { role: 'customer', customerId: mine.id });
  });
  afterAll(async () => t?.close());

  it('refuses a request without a token, or with an unknown one, with 401', async () => {
    const none = await t.request('GET', '/api/customers', { token: null });
    expect(none.status).toBe(401);
    expect(ApiErrorSchema.parse(none.body).error).toBe('Unauthorized');
    expect((await t.request('GET', '/api/customers', { token: 'api_guessed' })).status).toBe(401);
  });

  describe('planner', () => {
    it('writes customers, assets, devices and technicians', async () => {
      const c = await t.request<Customer>('POST', '/api/customers', { token: planner, body: { name: 'By planner' } });
      expect(c.status).toBe(201);
      const a = await t.request<Asset>('POST', '/api/assets', {
        token: planner,
        body: { customerId: c.body.id, name: 'x', coating },
      });
      expect(a.status).toBe(201);
      const d = await t.request<{ id: string }>('POST', '/api/devices', {
        token: planner,
        body: { assetId: a.body.id },
      });
      expect(d.status).toBe(201);
      expect((await t.request('POST', `/api/devices/${d.body.id}/token`, { token: planner })).status).toBe(200);
      expect(
        (await t.request('PATCH', `/api/devices/${d.body.id}`, { token: planner, body: { enabled: false } })).status,
      ).toBe(200);
      expect((await t.request('DELETE', `/api/devices/${d.body.id}`, { token: planner })).status).toBe(204);
      expect(
        (await t.request('PATCH', `/api/assets/${a.body.id}`, { token: planner, body: { name: 'y' } })).status,
      ).toBe(200);
      expect((await t.request('DELETE', `/api/assets/${a.body.id}`, { token: planner })).status).toBe(204);
      expect(
        (await t.request('PATCH', `/api/customers/${c.body.id}`, { token: planner, body: { name: 'z' } })).status,
      ).toBe(200);
      expect((await t.request('DELETE', `/api/customers/${c.body.id}`, { token: planner })).status).toBe(204);
      const tc = await t.request<Technician>('POST', '/api/technicians', {
        token: planner,
        body: { name: 'New', level: 'junior' },
      });
      expect(tc.status).toBe(201);
      expect((await t.request('DELETE', `/api/technicians/${tc.body.id}`, { token: planner })).status).toBe(204);
    });

    it('may not manage tokens', async () => {
      const res = await t.request('GET', '/api/tokens', { token: planner });
      expect(res.status).toBe(403);
      expect(ApiErrorSchema.parse(res.body)).toMatchObject({ statusCode: 403, error: 'Forbidden' });
      expect((await t.request('POST', '/api/tokens', { token: planner, body: { role: 'admin' } })).status).toBe(403);
    });
  });

  describe('technician', () => {
    it('reads every customer, asset, device and technician', async () => {
      for (const path of [
        '/api/customers',
        `/api/customers/${theirs.id}`,
        '/api/assets',
        `/api/assets/${theirAsset.id}`,
        '/api/devices',
        `/api/devices/${theirDevice}`,
        '/api/technicians',
        `/api/technicians/${tech.id}`,
      ]) {
        expect((await t.request('GET', path, { token: technician })).status, path).toBe(200);
      }
      const customers = await t.request<Customer[]>('GET', '/api/customers', { token: technician });
      expect(customers.body.map((c) => c.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    });

    it('writes nothing', async () => {
      const writes: Array<[string, string, unknown]> = [
        ['POST', '/api/customers', { name: 'x' }],
        ['PATCH', `/api/customers/${mine.id}`, { name: 'x' }],
        ['DELETE', `/api/customers/${mine.id}`, undefined],
        ['POST', '/api/assets', { customerId: mine.id, name: 'x', coating }],
        ['PATCH', `/api/assets/${myAsset.id}`, { name: 'x' }],
        ['DELETE', `/api/assets/${myAsset.id}`, undefined],
        ['POST', '/api/devices', { assetId: myAsset.id }],
        ['PATCH', `/api/devices/${myDevice}`, { enabled: false }],
        ['POST', `/api/devices/${myDevice}/token`, undefined],
        ['DELETE', `/api/devices/${myDevice}`, undefined],
        ['POST', '/api/technicians', { name: 'x', level: 'junior' }],
        ['PATCH', `/api/technicians/${tech.id}`, { available: false }],
        ['DELETE', `/api/technicians/${tech.id}`, undefined],
        ['GET', '/api/tokens', undefined],
      ];
      for (const [method, path, body] of writes) {
        expect((await t.request(method, path, { token: technician, body })).status, `${method} ${path}`).toBe(403);
      }
    });
  });

  describe('customer', () => {
    it('sees only itself among customers', async () => {
      const list = await t.request<Customer[]>('GET', '/api/customers', { token: customerToken });
      expect(list).toEqual({ status: 200, body: [mine] });
      expect((await t.request('GET', `/api/customers/${mine.id}`, { token: customerToken })).status).toBe(200);
      const other = await t.request('GET', `/api/customers/${theirs.id}`, { token: customerToken });
      expect(other.status).toBe(404);
      expect(ApiErrorSchema.parse(other.body).error).toBe('Not Found');
    });

    it('sees only its own assets', async () => {
      const list = await t.request<Asset[]>('GET', '/api/assets', { token: customerToken });
      expect(list.status).toBe(200);
      expect(list.body.map((a) => a.id)).toEqual([myAsset.id]);
      const filtered = await t.request('GET', `/api/assets?customerId=${theirs.id}`, { token: customerToken });
      expect(filtered).toEqual({ status: 200, body: [] });
      expect((await t.request('GET', `/api/assets/${myAsset.id}`, { token: customerToken })).status).toBe(200);
      expect((await t.request('GET', `/api/assets/${theirAsset.id}`, { token: customerToken })).status).toBe(404);
    });

    it('sees only its own devices', async () => {
      const list = await t.request<{ id: string }[]>('GET', '/api/devices', { token: customerToken });
      expect(list.body.map((d) => d.id)).toEqual([myDevice]);
      const byTheirAsset = await t.request('GET', `/api/devices?assetId=${theirAsset.id}`, { token: customerToken });
      expect(byTheirAsset).toEqual({ status: 200, body: [] });
      const byTheirCustomer = await t.request('GET', `/api/devices?customerId=${theirs.id}`, { token: customerToken });
      expect(byTheirCustomer).toEqual({ status: 200, body: [] });
      expect((await t.request('GET', `/api/devices/${myDevice}`, { token: customerToken })).status).toBe(200);
      expect((await t.request('GET', `/api/devices/${theirDevice}`, { token: customerToken })).status).toBe(404);
    });

    it('writes nothing, sees no technicians and manages no tokens', async () => {
      const calls: Array<[string, string, unknown]> = [
        ['POST', '/api/customers', { name: 'x' }],
        ['PATCH', `/api/customers/${mine.id}`, { name: 'x' }],
        ['DELETE', `/api/customers/${mine.id}`, undefined],
        ['POST', '/api/assets', { customerId: mine.id, name: 'x', coating }],
        ['PATCH', `/api/assets/${myAsset.id}`, { name: 'x' }],
        ['DELETE', `/api/assets/${myAsset.id}`, undefined],
        ['POST', '/api/devices', { assetId: myAsset.id }],
        ['PATCH', `/api/devices/${myDevice}`, { enabled: false }],
        ['POST', `/api/devices/${myDevice}/token`, undefined],
        ['DELETE', `/api/devices/${myDevice}`, undefined],
        ['GET', '/api/technicians', undefined],
        ['GET', `/api/technicians/${tech.id}`, undefined],
        ['GET', '/api/tokens', undefined],
        ['DELETE', `/api/tokens/${tech.id}`, undefined],
      ];
      for (const [method, path, body] of calls) {
        expect((await t.request(method, path, { token: customerToken, body })).status, `${method} ${path}`).toBe(403);
      }
    });
  });
});
