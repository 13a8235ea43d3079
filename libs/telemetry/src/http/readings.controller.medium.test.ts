import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Principal } from '#contracts';
import { API_TOKEN_RESOLVER, ApiAuthGuard, type ApiTokenResolver, HttpErrorFilter } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { TELEMETRY_STORE, type TelemetryStore } from '../store/telemetry-store.js';
import { StubDeviceAccessPolicy, telemetryTestingModule } from '../testing/telemetry-test-module.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const H = 3_600_000;
const T0 = Date.parse('2026-11-01T00:00:00Z');

const PRINCIPALS: Record<string, Principal> = {
  admin: { role: 'admin', tokenId: 't-admin' },
  planner: { role: 'planner', tokenId: 't-planner' },
  tech: { role: 'technician', tokenId: 't-tech', technicianId: 'tech-1' },
  acme: { role: 'customer', tokenId: 't-acme', customerId: 'acme' },
  other: { role: 'customer', tokenId: 't-other', customerId: 'other' },
};
const resolver: ApiTokenResolver = { resolve: async (token) => PRINCIPALS[token] };

describe('ReadingsController over HTTP', () => {
  let t: TestDatabase;
  let app: INestApplication;
  let base: string;
  const policy = new StubDeviceAccessPolicy({ 'dft-001': 'acme', 'dft-002': 'other' });

  beforeAll(async () => {
    t = await createTestDatabase();
    const { builder } = telemetryTestingModule({
      connection: t.connection,
      policy,
      now: NOW,
      extraProviders: [
        { provide: API_TOKEN_RESOLVER, useValue: resolver },
        { provide: APP_GUARD, useClass: ApiAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    });
    const moduleRef = await builder.compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    const store = app.get<TelemetryStore>(TELEMETRY_STORE);
    const r = (metric: string, ts: number, value: number) => ({ deviceId: 'dft-001', metric, ts, value });
    await store.insert([
      r('humidity_pct', T0, 10),
      r('humidity_pct', T0 + 0.5 * H, 20),
      r('humidity_pct', T0 + H, 30),
      r('humidity_pct', T0 + 1.75 * H, 60),
      r('temperature_c', T0, -5),
      // Inside and outside the default window (the last 24 h before NOW).
      r('humidity_pct', NOW - 2 * H, 40),
      r('humidity_pct', NOW - 25 * H, 41),
      { deviceId: 'dft-002', metric: 'humidity_pct', ts: T0, value: 99 },
    ]);
  });

  afterAll(async () => {
    await app.close();
    await t.dispose();
  });

  const get = async <T = Record<string, unknown>>(route: string, token: string | null = 'admin') => {
    const res = await fetch(base + route, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    return { status: res.status, body: (await res.json()) as T };
  };
  const range = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + 6 * H).toISOString()}`;

  it('raw readings of a window, ascending, ISO timestamps', async () => {
    const res = await get(`/api/devices/dft-001/readings?metric=humidity_pct&${range}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      deviceId: 'dft-001',
      metric: 'humidity_pct',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-01T06:00:00.000Z',
      points: [
        { ts: '2026-11-01T00:00:00.000Z', value: 10 },
        { ts: '2026-11-01T00:30:00.000Z', value: 20 },
        { ts: '2026-11-01T01:00:00.000Z', value: 30 },
        { ts: '2026-11-01T01:45:00.000Z', value: 60 },
      ],
    });
  });

  it('accepts from/to with an offset and a limit (the newest points of the window)', async () => {
    const res = await get(
      `/api/devices/dft-001/readings?metric=humidity_pct&from=2026-11-01T01:00:00%2B01:00&to=2026-11-01T07:00:00%2B01:00&limit=2`,
    );
    expect(res.status).toBe(200);
    expect(res.body['points']).toEqual([
      { ts: '2026-11-01T01:00:00.000Z', value: 30 },
      { ts: '2026-11-01T01:45:00.000Z', value: 60 },
    ]);
  });

  it('defaults to the last 24 hours', async () => {
    const res = await get('/api/devices/dft-001/readings?metric=humidity_pct');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      from: new Date(NOW - 24 * H).toISOString(),
      to: new Date(NOW).toISOString(),
      points: [{ ts: new Date(NOW - 2 * H).toISOString(), value: 40 }],
    });
  });

  it('with step: min / max / avg / count per bucket', async () => {
    const res = await get(`/api/devices/dft-001/readings?metric=humidity_pct&${range}&step=1h`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      step: '1h',
      points: [
        { ts: '2026-11-01T00:00:00.000Z', min: 10, max: 20, avg: 15, count: 2 },
        { ts: '2026-11-01T01:00:00.000Z', min: 30, max: 60, avg: 45, count: 2 },
      ],
    });
  });

  it('400 naming the field: from after to, a bad metric, a bad step, too many buckets, a bad limit', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [`metric=humidity_pct&from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z`, 'from', /must not be after to/],
      [`metric=Humidity`, 'metric', /metric/],
      [`${range}`, 'metric', /metric/],
      [`metric=humidity_pct&step=1w`, 'step', /step/],
      [`metric=humidity_pct&from=2026-01-01T00:00:00Z&to=2026-11-01T00:00:00Z&step=1m`, 'step', /buckets/],
      [`metric=humidity_pct&limit=0`, 'limit', /limit/],
      [`metric=humidity_pct&from=yesterday`, 'from', /from/],
    ];
    for (const [query, field, message] of cases) {
      const res = await get(`/api/devices/dft-001/readings?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body, query).toMatchObject({ statusCode: 400, error: 'Bad Request', field });
      expect(String(res.body['message']), query).toMatch(message);
    }
  });

  it('latest value per metric', async () => {
    const res = await get('/api/devices/dft-001/latest', 'planner');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      deviceId: 'dft-001',
      metrics: {
        humidity_pct: { ts: new Date(NOW - 2 * H).toISOString(), value: 40 },
        temperature_c: { ts: '2026-11-01T00:00:00.000Z', value: -5 },
      },
    });
  });

  it('every role may read; a customer only its own devices (404 otherwise, as for an unknown device)', async () => {
    for (const token of ['admin', 'planner', 'tech', 'acme']) {
      expect((await get(`/api/devices/dft-001/readings?metric=humidity_pct&${range}`, token)).status, token).toBe(200);
      expect((await get('/api/devices/dft-001/latest', token)).status, token).toBe(200);
    }
    const foreign = await get(`/api/devices/dft-001/readings?metric=humidity_pct&${range}`, 'other');
    expect(foreign).toEqual({
      status: 404,
      body: { statusCode: 404, error: 'Not Found', message: 'device dft-001 not found', field: 'id' },
    });
    expect((await get('/api/devices/dft-001/latest', 'other')).status).toBe(404);
    expect((await get('/api/devices/nope/latest', 'admin')).status).toBe(404);
    expect((await get(`/api/devices/dft-002/readings?metric=humidity_pct&${range}`, 'other')).body['points']).toEqual([
      { ts: '2026-11-01T00:00:00.000Z', value: 99 },
    ]);
    expect(policy.calls).toContainEqual({ role: 'customer', deviceId: 'dft-001' });
  });

  it('401 without a token', async () => {
    const res = await get('/api/devices/dft-001/latest', null);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
  });

  it('documents the query parameters and responses in OpenAPI', () => {
    const doc = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    const op = doc.paths['/api/devices/{id}/readings']?.get;
    expect(op?.parameters?.map((p) => ('name' in p ? p.name : undefined))).toEqual(
      expect.arrayContaining(['id', 'metric', 'from', 'to', 'step', 'limit']),
    );
    expect(Object.keys(op?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '404']));
    expect(doc.paths['/api/devices/{id}/latest']?.get?.responses['200']).toBeDefined();
  });
});
