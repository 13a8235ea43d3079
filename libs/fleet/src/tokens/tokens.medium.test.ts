import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiErrorSchema, TokenCreatedSchema, TokenInfoSchema } from '#contracts';
import { API_TOKEN_RESOLVER, type ApiTokenResolver } from '#platform';
import { z } from 'zod';
import { createCustomer, createTechnician, issueToken } from '../testing/fixtures.js';
import { type FleetTestApp, startFleetApp } from '../testing/fleet-test-app.js';

const MISSING = '9b2f3c1e-8f0a-4c55-9d1e-2a3b4c5d6e7f';

describe('API tokens over HTTP', () => {
  let t: FleetTestApp;
  let resolver: ApiTokenResolver;
  beforeAll(async () => {
    t = await startFleetApp();
    resolver = t.app.get<ApiTokenResolver>(API_TOKEN_RESOLVER);
  });
  afterAll(async () => t?.close());

  it('issues a token once, lists it without its secret, resolves it, and revokes it at once', async () => {
    const customer = await createCustomer(t);
    const res = await t.request('POST', '/api/tokens', {
      body: { role: 'customer', customerId: customer.id, name: 'portal' },
    });
    expect(res.status).toBe(201);
    const issued = TokenCreatedSchema.parse(res.body);
    expect(issued.role).toBe('customer');
    expect(issued.token).toMatch(/^api_[A-Za-z0-9_-]{43}$/);

    const list = await t.request('GET', '/api/tokens');
    const infos = z.array(TokenInfoSchema).parse(list.body);
    expect(infos.find((i) => i.id === issued.id)).toMatchObject({
      role: 'customer',
      name: 'portal',
      customerId: customer.id,
      technicianId: null,
      revokedAt: null,
    });
    expect(JSON.stringify(list.body)).not.toContain(issued.token);
    expect(JSON.stringify(list.body)).not.toMatch(/digest/i);

    expect(await resolver.resolve(issued.token)).toEqual({
      role: 'customer',
      tokenId: issued.id,
      customerId: customer.id,
    });
    expect((await t.request('GET', '/api/customers', { token: issued.token })).status).toBe(200);

    expect((await t.request('DELETE', `/api/tokens/${issued.id}`)).status).toBe(204);
    // Within the cache's lifetime, and yet refused: revocation clears it.
    expect(await resolver.resolve(issued.token)).toBeUndefined();
    expect((await t.request('GET', '/api/customers', { token: issued.token })).status).toBe(401);
    const after = z.array(TokenInfoSchema).parse((await t.request('GET', '/api/tokens')).body);
    expect(after.find((i) => i.id === issued.id)?.revokedAt).toEqual(expect.any(String));
    // Revoking again changes nothing.
    expect((await t.request('DELETE', `/api/tokens/${issued.id}`)).status).toBe(204);
  });

  it('binds a technician token to its technician', async () => {
    const tech = await createTechnician(t);
    const token = await issueToken(t, { role: 'technician', technicianId: tech.id });
    expect(await resolver.resolve(token)).toMatchObject({ role: 'technician', technicianId: tech.id });
  });

  it('refuses a binding to a record that does not exist, naming the field', async () => {
    for (const [body, field] of [
      [{ role: 'technician', technicianId: MISSING }, 'technicianId'],
      [{ role: 'customer', customerId: MISSING }, 'customerId'],
    ] as const) {
      const res = await t.request('POST', '/api/tokens', { body });
      expect(res.status).toBe(400);
      expect(ApiErrorSchema.parse(res.body)).toMatchObject({ field });
    }
  });

  it('validates the body per role', async () => {
    const noBinding = await t.request('POST', '/api/tokens', { body: { role: 'technician' } });
    expect(noBinding.status).toBe(400);
    expect(noBinding.body).toMatchObject({ field: 'technicianId' });
    const badRole = await t.request('POST', '/api/tokens', { body: { role: 'root' } });
    expect(badRole.status).toBe(400);
    expect(badRole.body).toMatchObject({ field: 'role' });
    const reserved = await t.request('POST', '/api/tokens', { body: { role: 'admin', name: 'ADMIN_TOKEN' } });
    expect(reserved.status).toBe(400);
    expect(reserved.body).toMatchObject({ field: 'name' });
  });

  it('ends the tokens of a deleted customer or technician at once', async () => {
    const customer = await createCustomer(t);
    const customerToken = await issueToken(t, { role: 'customer', customerId: customer.id });
    const tech = await createTechnician(t);
    const techToken = await issueToken(t, { role: 'technician', technicianId: tech.id });
    expect(await resolver.resolve(customerToken)).toBeDefined();
    expect(await resolver.resolve(techToken)).toBeDefined();
    expect((await t.request('DELETE', `/api/customers/${customer.id}`)).status).toBe(204);
    expect((await t.request('DELETE', `/api/technicians/${tech.id}`)).status).toBe(204);
    expect(await resolver.resolve(customerToken)).toBeUndefined();
    expect(await resolver.resolve(techToken)).toBeUndefined();
  });

  it('answers 404 for an unknown token id', async () => {
    expect((await t.request('DELETE', `/api/tokens/${MISSING}`)).status).toBe(404);
    expect((await t.request('DELETE', '/api/tokens/not-a-uuid')).status).toBe(404);
  });

  it('keeps at least one admin token', async () => {
    const infos = z.array(TokenInfoSchema).parse((await t.request('GET', '/api/tokens')).body);
    const envAdmin = infos.find((i) => i.name === 'ADMIN_TOKEN');
    expect(envAdmin).toMatchObject({ role: 'admin', revokedAt: null });
    const second = await t.request<{ id: string; token: string }>('POST', '/api/tokens', {
      body: { role: 'admin', name: 'ops' },
    });
    // The second admin may revoke the first; then it is the last one and cannot revoke itself.
    expect((await t.request('DELETE', `/api/tokens/${envAdmin!.id}`, { token: second.body.token })).status).toBe(204);
    const last = await t.request('DELETE', `/api/tokens/${second.body.id}`, { token: second.body.token });
    expect(last.status).toBe(409);
    expect(ApiErrorSchema.parse(last.body).message).toMatch(/last admin token/);
  });
});
