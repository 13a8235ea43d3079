import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiErrorSchema,
  DEVICE_ACCESS_POLICY,
  DEVICE_CREDENTIALS_SOURCE,
  DEVICE_ID_PATTERN,
  DeviceCreatedSchema,
  type DeviceAccessPolicy,
  type DeviceCredentialsSource,
  DeviceSchema,
} from '#contracts';
import { tokenMatches } from '#platform';
import { NotFoundException } from '@nestjs/common';
import { createAsset, createCustomer, createDevice } from '../testing/fixtures.js';
import { type FleetTestApp, startFleetApp } from '../testing/fleet-test-app.js';

const MISSING_ASSET = '9b2f3c1e-8f0a-4c55-9d1e-2a3b4c5d6e7f';

describe('devices over HTTP', () => {
  let t: FleetTestApp;
  let credentials: DeviceCredentialsSource;
  let access: DeviceAccessPolicy;
  let assetId: string;
  let customerId: string;

  beforeAll(async () => {
    t = await startFleetApp();
    credentials = t.app.get<DeviceCredentialsSource>(DEVICE_CREDENTIALS_SOURCE);
    access = t.app.get<DeviceAccessPolicy>(DEVICE_ACCESS_POLICY);
    const customer = await createCustomer(t);
    customerId = customer.id;
    assetId = (await createAsset(t, customer.id)).id;
  });
  afterAll(async () => t?.close());

  it('registers a device with a generated id and shows its token once', async () => {
    const res = await t.request('POST', '/api/devices', {
      body: { assetId, name: 'ER probe north wall', kind: 'er_probe' },
    });
    expect(res.status).toBe(201);
    const created = DeviceCreatedSchema.parse(res.body);
    expect(Object.keys(res.body as object).sort()).toEqual(['id', 'token']);
    expect(created.id).toMatch(DEVICE_ID_PATTERN);
    expect(created.id.length).toBeLessThanOrEqual(16);
    expect(created.token).toMatch(/^dev_[A-Za-z0-9_-]{43}$/);

    const got = await t.request('GET', `/api/devices/${created.id}`);
    expect(got.status).toBe(200);
    const device = DeviceSchema.parse(got.body);
    expect(device).toMatchObject({
      id: created.id,
      assetId,
      customerId,
      name: 'ER probe north wall',
      kind: 'er_probe',
      samplingIntervalS: 3600,
      enabled: true,
      online: false,
      lastSeenAt: null,
      lastConnectedAt: null,
    });
    const text = JSON.stringify(got.body) + JSON.stringify((await t.request('GET', '/api/devices')).body);
    expect(text).not.toContain(created.token);
    expect(text).not.toMatch(/digest/i);

    // Only the digest is stored.
    const found = await credentials.findCredentials(created.id);
    expect(found).toMatchObject({ deviceId: created.id, enabled: true });
    expect(tokenMatches(created.token, found!.tokenDigest)).toBe(true);
    const stored = await t.db.connection.db.query.devices.findFirst({ where: (d, { eq }) => eq(d.id, created.id) });
    expect(stored?.tokenDigest.toString('utf8')).not.toContain(created.token);
    expect(stored?.tokenDigest).toHaveLength(32);
  });

  it('takes a chosen id, and refuses a taken one with 409 naming the field', async () => {
    const first = await t.request('POST', '/api/devices', { body: { id: 'tank7-dft-01', assetId } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'tank7-dft-01' });
    const again = await t.request('POST', '/api/devices', { body: { id: 'tank7-dft-01', assetId } });
    expect(again.status).toBe(409);
    expect(ApiErrorSchema.parse(again.body)).toMatchObject({ statusCode: 409, error: 'Conflict', field: 'id' });
  });

  it.each([
    [{ id: 'bad/id', assetId: 'x' }, 'id'],
    [{ id: 'has space', assetId: MISSING_ASSET }, 'id'],
    [{ assetId: 'not-a-uuid' }, 'assetId'],
    [{ assetId: MISSING_ASSET, samplingIntervalS: 0 }, 'samplingIntervalS'],
    [{ assetId: MISSING_ASSET, kind: 'toaster' }, 'kind'],
  ])('names the invalid field (%#)', async (body, field) => {
    const res = await t.request('POST', '/api/devices', { body });
    expect(res.status).toBe(400);
    expect(ApiErrorSchema.parse(res.body)).toMatchObject({ statusCode: 400, field });
  });

  it('refuses an unknown asset, naming the field', async () => {
    const res = await t.request('POST', '/api/devices', { body: { assetId: MISSING_ASSET } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'assetId' });
  });

  it('rotates the token: the new one is answered once, the old one stops matching, the broker is told', async () => {
    const device = await createDevice(t, assetId);
    const before = t.events.length;
    const res = await t.request('POST', `/api/devices/${device.id}/token`);
    expect(res.status).toBe(200);
    const rotated = DeviceCreatedSchema.parse(res.body);
    expect(rotated.id).toBe(device.id);
    expect(rotated.token).not.toBe(device.token);

    const found = await credentials.findCredentials(device.id);
    expect(tokenMatches(rotated.token, found!.tokenDigest)).toBe(true);
    expect(tokenMatches(device.token, found!.tokenDigest)).toBe(false);
    expect(t.events.slice(before)).toEqual([
      { type: 'device.credentials_changed', deviceId: device.id, enabled: true },
    ]);

    expect((await t.request('POST', '/api/devices/nope/token')).status).toBe(404);
  });

  it('disables and re-enables a device, publishing each change', async () => {
    const device = await createDevice(t, assetId);
    const before = t.events.length;
    const off = await t.request('PATCH', `/api/devices/${device.id}`, { body: { enabled: false } });
    expect(off.status).toBe(200);
    expect(DeviceSchema.parse(off.body).enabled).toBe(false);
    expect(await credentials.findCredentials(device.id)).toMatchObject({ enabled: false });
    const disabledList = await t.request<{ id: string }[]>('GET', `/api/devices?enabled=false`);
    expect(disabledList.body.map((d) => d.id)).toContain(device.id);

    const on = await t.request('PATCH', `/api/devices/${device.id}`, { body: { enabled: true } });
    expect(DeviceSchema.parse(on.body).enabled).toBe(true);
    expect(t.events.slice(before)).toEqual([
      { type: 'device.credentials_changed', deviceId: device.id, enabled: false },
      { type: 'device.credentials_changed', deviceId: device.id, enabled: true },
    ]);
  });

  it('updates name, interval and asset; an unknown asset is refused naming the field', async () => {
    const device = await createDevice(t, assetId);
    const otherAsset = await createAsset(t, customerId, 'Tank 8');
    const before = t.events.length;
    const res = await t.request('PATCH', `/api/devices/${device.id}`, {
      body: { name: 'moved', samplingIntervalS: 600, assetId: otherAsset.id },
    });
    expect(res.status).toBe(200);
    expect(DeviceSchema.parse(res.body)).toMatchObject({
      name: 'moved',
      samplingIntervalS: 600,
      assetId: otherAsset.id,
    });
    expect(t.events.length).toBe(before);

    const bad = await t.request('PATCH', `/api/devices/${device.id}`, { body: { assetId: MISSING_ASSET } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'assetId' });
    expect((await t.request('PATCH', '/api/devices/unknown-device', { body: { name: 'x' } })).status).toBe(404);
  });

  it('filters the list by asset, customer and online', async () => {
    const customer = await createCustomer(t, 'Filter Co');
    const asset = await createAsset(t, customer.id);
    const a = await createDevice(t, asset.id);
    const b = await createDevice(t, asset.id);
    const byAsset = await t.request<{ id: string }[]>('GET', `/api/devices?assetId=${asset.id}`);
    expect(byAsset.body.map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
    const byCustomer = await t.request<{ id: string }[]>('GET', `/api/devices?customerId=${customer.id}`);
    expect(byCustomer.body.map((d) => d.id).sort()).toEqual([a.id, b.id].sort());
    const online = await t.request<unknown[]>('GET', `/api/devices?customerId=${customer.id}&online=true`);
    expect(online.body).toEqual([]);
    const offline = await t.request<unknown[]>('GET', `/api/devices?customerId=${customer.id}&online=false`);
    expect(offline.body).toHaveLength(2);
    const bad = await t.request('GET', '/api/devices?online=yes');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'online' });
  });

  it('deletes a device and tells the broker', async () => {
    const device = await createDevice(t, assetId);
    const before = t.events.length;
    expect((await t.request('DELETE', `/api/devices/${device.id}`)).status).toBe(204);
    expect(t.events.slice(before)).toEqual([{ type: 'device.deleted', deviceId: device.id }]);
    expect(await credentials.findCredentials(device.id)).toBeUndefined();
    expect((await t.request('GET', `/api/devices/${device.id}`)).status).toBe(404);
    expect((await t.request('DELETE', `/api/devices/${device.id}`)).status).toBe(404);
  });

  it('answers no credentials for an unknown device', async () => {
    expect(await credentials.findCredentials('never-registered')).toBeUndefined();
  });

  it('lets staff read any device and a customer only its own, with 404 otherwise', async () => {
    const device = await createDevice(t, assetId);
    const other = await createCustomer(t, 'Other');
    await expect(access.assertCanRead({ role: 'planner', tokenId: 't' }, device.id)).resolves.toBeUndefined();
    await expect(
      access.assertCanRead({ role: 'technician', tokenId: 't', technicianId: MISSING_ASSET }, device.id),
    ).resolves.toBeUndefined();
    await expect(
      access.assertCanRead({ role: 'customer', tokenId: 't', customerId }, device.id),
    ).resolves.toBeUndefined();
    await expect(
      access.assertCanRead({ role: 'customer', tokenId: 't', customerId: other.id }, device.id),
    ).rejects.toBeInstanceOf(NotFoundException);
    await expect(access.assertCanRead({ role: 'admin', tokenId: 't' }, 'no-such-device')).rejects.toBeInstanceOf(
      NotFoundException,
    );
  });
});
