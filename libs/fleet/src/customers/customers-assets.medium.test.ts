import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, AssetSchema, CustomerSchema } from '#contracts';
import { createAsset, createCustomer, createDevice, coating } from '../testing/fixtures.js';
import { type FleetTestApp, startFleetApp } from '../testing/fleet-test-app.js';

const MISSING = '9b2f3c1e-8f0a-4c55-9d1e-2a3b4c5d6e7f';

describe('customers and assets over HTTP', () => {
  let t: FleetTestApp;
  beforeAll(async () => {
    t = await startFleetApp();
  });
  afterAll(async () => t?.close());

  describe('customers', () => {
    it('creates, reads, lists, updates and deletes a customer', async () => {
      const created = await t.request('POST', '/api/customers', {
        body: { name: '  Harbour Bridge Authority ', email: 'maint@harbour.example', region: 'west' },
      });
      expect(created.status).toBe(201);
      const customer = CustomerSchema.parse(created.body);
      expect(customer).toMatchObject({
        name: 'Harbour Bridge Authority',
        email: 'maint@harbour.example',
        region: 'west',
      });
      expect(customer).not.toHaveProperty('phone');

      const got = await t.request('GET', `/api/customers/${customer.id}`);
      expect(got).toEqual({ status: 200, body: customer });

      const list = await t.request<unknown[]>('GET', '/api/customers');
      expect(list.status).toBe(200);
      expect(list.body).toContainEqual(customer);

      const patched = await t.request('PATCH', `/api/customers/${customer.id}`, { body: { phone: '+47 555 0100' } });
      expect(patched.status).toBe(200);
      expect(CustomerSchema.parse(patched.body)).toEqual({ ...customer, phone: '+47 555 0100' });

      expect((await t.request('DELETE', `/api/customers/${customer.id}`)).status).toBe(204);
      expect((await t.request('GET', `/api/customers/${customer.id}`)).status).toBe(404);
      expect((await t.request('DELETE', `/api/customers/${customer.id}`)).status).toBe(404);
    });

    it('names the offending field of an invalid body', async () => {
      const res = await t.request('POST', '/api/customers', { body: { name: 'X', email: 'not-an-email' } });
      expect(res.status).toBe(400);
      expect(ApiErrorSchema.parse(res.body)).toMatchObject({ statusCode: 400, error: 'Bad Request', field: 'email' });

      const unknown = await t.request('POST', '/api/customers', { body: { name: 'X', vip: true } });
      expect(unknown.status).toBe(400);
      expect(ApiErrorSchema.parse(unknown.body).message).toMatch(/vip/);

      const blank = await t.request('POST', '/api/customers', { body: { name: '   ' } });
      expect(blank.status).toBe(400);
      expect(blank.body).toMatchObject({ field: 'name' });
    });

    it('answers 404 for an unknown or malformed id', async () => {
      for (const id of [MISSING, 'not-a-uuid']) {
        const res = await t.request('GET', `/api/customers/${id}`);
        expect(res.status).toBe(404);
        expect(ApiErrorSchema.parse(res.body)).toMatchObject({ statusCode: 404, error: 'Not Found' });
      }
      expect((await t.request('PATCH', `/api/customers/${MISSING}`, { body: { name: 'Y' } })).status).toBe(404);
    });

    it('refuses to delete a customer that still owns assets', async () => {
      const customer = await createCustomer(t);
      await createAsset(t, customer.id);
      const res = await t.request('DELETE', `/api/customers/${customer.id}`);
      expect(res.status).toBe(409);
      expect(ApiErrorSchema.parse(res.body).message).toMatch(/asset/);
    });

    it('pages the list', async () => {
      for (let i = 0; i < 3; i++) await createCustomer(t, `Paged ${i}`);
      const all = await t.request<{ id: string }[]>('GET', '/api/customers?limit=1000');
      const page = await t.request<{ id: string }[]>('GET', '/api/customers?limit=2&offset=1');
      expect(page.body.map((c) => c.id)).toEqual(all.body.slice(1, 3).map((c) => c.id));
      const bad = await t.request('GET', '/api/customers?limit=0');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ field: 'limit' });
    });
  });

  describe('assets', () => {
    it('creates an asset with its coating specification and reads it back', async () => {
      const customer = await createCustomer(t);
      const res = await t.request('POST', '/api/assets', {
        body: {
          customerId: customer.id,
          name: 'Crude tank T-7',
          kind: 'tank',
          location: { lat: 59.91, lon: 10.75 },
          region: 'north',
          coating,
        },
      });
      expect(res.status).toBe(201);
      const asset = AssetSchema.parse(res.body);
      expect(asset).toMatchObject({
        customerId: customer.id,
        kind: 'tank',
        location: { lat: 59.91, lon: 10.75 },
        region: 'north',
        coating,
      });
      expect(await t.request('GET', `/api/assets/${asset.id}`)).toEqual({ status: 200, body: asset });
    });

    it('defaults the kind and leaves optional coating fields out', async () => {
      const customer = await createCustomer(t);
      const res = await t.request('POST', '/api/assets', {
        body: {
          customerId: customer.id,
          name: 'Pier',
          coating: { nominalDftUm: 320, corrosivityCategory: 'Im2', durability: 'VH', installedAt: '2023-01-15' },
        },
      });
      expect(res.status).toBe(201);
      const asset = AssetSchema.parse(res.body);
      expect(asset.kind).toBe('other');
      expect(asset.location).toBeNull();
      expect(asset.region).toBeNull();
      expect(asset.coating).toEqual({
        nominalDftUm: 320,
        corrosivityCategory: 'Im2',
        durability: 'VH',
        installedAt: '2023-01-15',
      });
    });

    it.each([
      [{ ...coating, corrosivityCategory: 'C6' }, 'coating.corrosivityCategory'],
      [{ ...coating, durability: 'XL' }, 'coating.durability'],
      [{ ...coating, nominalDftUm: -5 }, 'coating.nominalDftUm'],
      [{ ...coating, installedAt: '2024-13-01' }, 'coating.installedAt'],
      [{ ...coating, warrantyUntil: '2020-01-01' }, 'coating.warrantyUntil'],
    ])('names the coating field at fault (%#)', async (badCoating, field) => {
      const customer = await createCustomer(t);
      const res = await t.request('POST', '/api/assets', {
        body: { customerId: customer.id, name: 'A', coating: badCoating },
      });
      expect(res.status).toBe(400);
      expect(ApiErrorSchema.parse(res.body)).toMatchObject({ statusCode: 400, field });
    });

    it('refuses an unknown customerId, naming the field', async () => {
      const res = await t.request('POST', '/api/assets', { body: { customerId: MISSING, name: 'A', coating } });
      expect(res.status).toBe(400);
      expect(ApiErrorSchema.parse(res.body)).toMatchObject({ field: 'customerId' });
      expect((res.body as { message: string }).message).toContain(MISSING);
    });

    it('filters the list by customer', async () => {
      const a = await createCustomer(t, 'A');
      const b = await createCustomer(t, 'B');
      const assetA = await createAsset(t, a.id);
      await createAsset(t, b.id);
      const res = await t.request<unknown[]>('GET', `/api/assets?customerId=${a.id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual([assetA]);
      const bad = await t.request('GET', '/api/assets?customerId=nope');
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ field: 'customerId' });
    });

    it('patches fields, replaces the coating whole and clears the location', async () => {
      const customer = await createCustomer(t);
      const created = await t.request<{ id: string }>('POST', '/api/assets', {
        body: { customerId: customer.id, name: 'Hull', kind: 'ship_hull', location: { lat: 1, lon: 2 }, coating },
      });
      const id = created.body.id;
      const renamed = await t.request('PATCH', `/api/assets/${id}`, { body: { name: 'Hull 2', location: null } });
      expect(renamed.status).toBe(200);
      expect(AssetSchema.parse(renamed.body)).toMatchObject({
        name: 'Hull 2',
        location: null,
        kind: 'ship_hull',
        coating,
      });

      const newCoating = { nominalDftUm: 400, corrosivityCategory: 'Im3', durability: 'VH', installedAt: '2025-02-01' };
      const recoated = await t.request('PATCH', `/api/assets/${id}`, { body: { coating: newCoating } });
      expect(AssetSchema.parse(recoated.body).coating).toEqual(newCoating);

      // An asset never changes hands: customerId is not a PATCH field.
      const moved = await t.request('PATCH', `/api/assets/${id}`, { body: { customerId: MISSING } });
      expect(moved.status).toBe(400);
      expect(ApiErrorSchema.parse(moved.body).message).toMatch(/customerId/);
    });

    it('refuses to delete an asset while devices are attached', async () => {
      const customer = await createCustomer(t);
      const asset = await createAsset(t, customer.id);
      const device = await createDevice(t, asset.id);
      const refused = await t.request('DELETE', `/api/assets/${asset.id}`);
      expect(refused.status).toBe(409);
      expect(ApiErrorSchema.parse(refused.body).message).toMatch(/device/);
      expect((await t.request('DELETE', `/api/devices/${device.id}`)).status).toBe(204);
      expect((await t.request('DELETE', `/api/assets/${asset.id}`)).status).toBe(204);
      expect((await t.request('GET', `/api/assets/${asset.id}`)).status).toBe(404);
    });

    it('refuses to delete an asset with service history, and says what refers to it (not "devices")', async () => {
      const customer = await createCustomer(t);
      const asset = await createAsset(t, customer.id);
      // A preventive plan of the service desk (its own lib; the table is in the shared schema).
      await t.db.connection.rows(sql`
        INSERT INTO preventive_plans (id, asset_id, title, description, every, unit, anchor, start_date, lead_days,
          priority, active, occurrence_open, created_at, updated_at, version)
        VALUES (gen_random_uuid(), ${asset.id}, 'Yearly inspection', 'DFT survey', 1, 'year', 'calendar', '2026-01-01',
          14, 'P3', true, false, now(), now(), 1)`);
      const refused = await t.request('DELETE', `/api/assets/${asset.id}`);
      expect(refused.status).toBe(409);
      const { message } = ApiErrorSchema.parse(refused.body);
      expect(message).toMatch(/preventive plans/);
      expect(message).not.toMatch(/device/);
      // Its customer, likewise: the asset (kept for its history) still belongs to it.
      const owner = await t.request('DELETE', `/api/customers/${customer.id}`);
      expect(owner.status).toBe(409);
      expect(ApiErrorSchema.parse(owner.body).message).toMatch(/asset/);
    });

    it('refuses to delete a customer with service history (a complaint), naming it', async () => {
      const customer = await createCustomer(t);
      await t.db.connection.rows(sql`
        INSERT INTO complaints (id, customer_id, subject, description, opened_at, version)
        VALUES (gen_random_uuid(), ${customer.id}, 'Late visit', 'The technician came a day late', now(), 1)`);
      const refused = await t.request('DELETE', `/api/customers/${customer.id}`);
      expect(refused.status).toBe(409);
      expect(ApiErrorSchema.parse(refused.body).message).toMatch(/complaints/);
    });
  });
});
