import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AlertDetail, AlertView, DeviceSensitivity, ReplayResult } from '#contracts';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { HOUR, T0, makeSeries } from './core/test-support/series.js';
import {
  createFleet,
  type DetectionTestApp,
  issueToken,
  startDetectionApp,
  WALL,
} from './testing/detection-test-app.js';

/** 300 um nominal, in service: healthy around 305 um, then below the breakdown DFT (150 um) from reading 100 on. */
const crossing = (deviceId: string, start = T0) =>
  makeSeries({
    deviceId,
    metric: 'coating_thickness_um',
    start,
    count: 130,
    value: (i) => (i < 100 ? 305 : 125),
    noise: 2,
    seed: 7,
  });

describe('detection wired to the reading stream (real PGlite, real HTTP)', () => {
  let db: TestDatabase;
  let t: DetectionTestApp;
  let fleetA: Awaited<ReturnType<typeof createFleet>>;
  let fleetB: Awaited<ReturnType<typeof createFleet>>;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startDetectionApp({ connection: db.connection });
    fleetA = await createFleet(t, 'Nordic Tank Storage', { id: 'gauge-a' });
    fleetB = await createFleet(t, 'Harbour Bridges', { id: 'gauge-b' });
    await t.ingest(crossing('gauge-a'));
    await t.ingest(crossing('gauge-b', T0 + 10 * 24 * HOUR));
  });
  afterAll(async () => {
    await t.close();
    await db.dispose();
  });

  it('raises exactly one DFT alert, at the event time of the reading that triggered it', async () => {
    const res = await t.request<AlertView[]>('GET', '/api/alerts?deviceId=gauge-a&kind=dft_below_breakdown');
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    const alert = res.body[0]!;
    // Confirmation over 3 readings: the third reading below 150 um (index 102) triggers it.
    expect(alert).toMatchObject({
      status: 'active',
      severity: 'high',
      priority: 'P2',
      occurrences: 1,
      deviceId: 'gauge-a',
      assetId: fleetA.asset.id,
      customerId: fleetA.customerId,
      eventTime: new Date(T0 + 102 * HOUR).toISOString(),
      onsetTime: new Date(T0 + 100 * HOUR).toISOString(),
      openedAt: new Date(WALL).toISOString(),
      standard: expect.stringMatching(/ISO 12944-1/),
    });
    expect(alert.explanation).toMatch(/150 um \(50 % of the 300 um nominal DFT, coating breakdown\)/);
    expect(alert.evidence.points.length).toBeGreaterThan(0);
    const raised = t.publisher.events.filter((e) => e.type === 'alert.raised' && e.subject.id === alert.id);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      customerId: fleetA.customerId,
      data: { kind: 'dft_below_breakdown', priority: 'P2' },
    });
    expect(t.changes.filter((c) => c.alert.id === alert.id && c.type === 'raised')).toHaveLength(1);
    // Every alert of the device is one per kind (one open alert per device, metric and kind).
    const all = await t.request<AlertView[]>('GET', '/api/alerts?deviceId=gauge-a');
    const kinds = all.body.map((a) => a.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it('shows one alert with its history', async () => {
    const [alert] = (await t.request<AlertView[]>('GET', '/api/alerts?deviceId=gauge-a&kind=dft_below_breakdown')).body;
    const res = await t.request<AlertDetail>('GET', `/api/alerts/${alert!.id}`);
    expect(res.status).toBe(200);
    expect(res.body.history.map((h) => h.action)).toEqual(['raised']);
    expect(res.body.history[0]).toMatchObject({ actor: 'system', eventTime: alert!.eventTime });
    expect((await t.request('GET', '/api/alerts/not-a-uuid')).status).toBe(404);
    expect((await t.request('GET', `/api/alerts/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('filters alerts and scopes them to the customer', async () => {
    const customerA = await issueToken(t, { role: 'customer', customerId: fleetA.customerId });
    const technician = await issueToken(t, {
      role: 'technician',
      technicianId: (
        await t.request<{ id: string }>('POST', '/api/technicians', { body: { name: 'Ana', level: 'senior' } })
      ).body.id,
    });
    const mine = await t.request<AlertView[]>('GET', '/api/alerts', { token: customerA });
    expect(mine.status).toBe(200);
    expect(mine.body.length).toBeGreaterThan(0);
    expect(mine.body.every((a) => a.customerId === fleetA.customerId)).toBe(true);
    expect(
      (await t.request<AlertView[]>('GET', `/api/alerts?customerId=${fleetB.customerId}`, { token: customerA })).body,
    ).toEqual([]);
    const other = (await t.request<AlertView[]>('GET', '/api/alerts?deviceId=gauge-b')).body[0]!;
    expect((await t.request('GET', `/api/alerts/${other.id}`, { token: customerA })).status).toBe(404);
    expect((await t.request('GET', `/api/alerts/${other.id}`, { token: technician })).status).toBe(200);

    const everyone = (await t.request<AlertView[]>('GET', '/api/alerts')).body;
    expect(new Set(everyone.map((a) => a.deviceId))).toEqual(new Set(['gauge-a', 'gauge-b']));
    const byAsset = (await t.request<AlertView[]>('GET', `/api/alerts?assetId=${fleetB.asset.id}`)).body;
    expect(byAsset.length).toBeGreaterThan(0);
    expect(byAsset.every((a) => a.deviceId === 'gauge-b')).toBe(true);
    const high = (await t.request<AlertView[]>('GET', '/api/alerts?severity=high,critical&status=open')).body;
    expect(high.every((a) => ['high', 'critical'].includes(a.severity) && a.status === 'active')).toBe(true);
    const early = (
      await t.request<AlertView[]>(
        'GET',
        `/api/alerts?from=${new Date(T0).toISOString()}&to=${new Date(T0 + 9 * 24 * HOUR).toISOString()}`,
      )
    ).body;
    expect(early.length).toBeGreaterThan(0);
    expect(early.every((a) => a.deviceId === 'gauge-a')).toBe(true);
    const bad = await t.request<{ field: string }>('GET', '/api/alerts?status=open,sleeping');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('status');
    expect((await t.request('GET', '/api/alerts', { token: null })).status).toBe(401);
  });

  it('lets a planner act on an alert; a false positive lowers the device sensitivity, visibly', async () => {
    const planner = await issueToken(t, { role: 'planner' });
    const customerB = await issueToken(t, { role: 'customer', customerId: fleetB.customerId });
    const [alert] = (await t.request<AlertView[]>('GET', '/api/alerts?deviceId=gauge-b&kind=dft_below_breakdown')).body;
    const id = alert!.id;
    expect(
      (await t.request('POST', `/api/alerts/${id}/actions`, { token: customerB, body: { action: 'dismiss' } })).status,
    ).toBe(403);
    const ack = await t.request<AlertDetail>('POST', `/api/alerts/${id}/actions`, {
      token: planner,
      body: { action: 'acknowledge' },
    });
    expect(ack.status).toBe(200);
    expect(ack.body.status).toBe('acknowledged');
    const stale = await t.request<{ field: string }>('POST', `/api/alerts/${id}/actions`, {
      token: planner,
      body: { action: 'dismiss', version: 1 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.field).toBe('version');

    const fp = await t.request<AlertDetail>('POST', `/api/alerts/${id}/actions`, {
      token: planner,
      body: { action: 'false_positive', note: 'gauge probe lifted off during a repaint' },
    });
    expect(fp.status).toBe(200);
    expect(fp.body).toMatchObject({ status: 'false_positive', note: 'gauge probe lifted off during a repaint' });
    expect(fp.body.history.map((h) => h.action)).toEqual(['raised', 'acknowledged', 'false_positive']);
    expect(fp.body.history[2]!.details).toMatchObject({ sensitivity: { from: 1, to: 0.8 } });

    const sensitivity = await t.request<DeviceSensitivity>('GET', '/api/devices/gauge-b/sensitivity', {
      token: customerB,
    });
    expect(sensitivity.status).toBe(200);
    expect(sensitivity.body).toMatchObject({ deviceId: 'gauge-b', sensitivity: 0.8 });
    expect(sensitivity.body.history).toEqual([
      expect.objectContaining({ from: 1, to: 0.8, alertId: id, note: 'gauge probe lifted off during a repaint' }),
    ]);
    // The running detectors use it from the next reading on.
    expect(t.pipeline.registry.sensitivityOf('gauge-b')).toBe(0.8);
    expect(t.publisher.events.some((e) => e.type === 'alert.false_positive' && e.subject.id === id)).toBe(true);
    const again = await t.request('POST', `/api/alerts/${id}/actions`, { token: planner, body: { action: 'dismiss' } });
    expect(again.status).toBe(409);
    const customerA = await issueToken(t, { role: 'customer', customerId: fleetA.customerId });
    expect((await t.request('GET', '/api/devices/gauge-b/sensitivity', { token: customerA })).status).toBe(404);
    expect(
      (await t.request('POST', `/api/alerts/${id}/actions`, { token: planner, body: { action: 'close' } })).status,
    ).toBe(400);
  });

  it('replays a device history through the current rules and writes nothing', async () => {
    const before = (await t.request<AlertView[]>('GET', '/api/alerts?limit=1000')).body.length;
    const events = t.publisher.events.length;
    const from = new Date(T0).toISOString();
    const to = new Date(T0 + 130 * HOUR).toISOString();
    const res = await t.request<ReplayResult>('POST', `/api/devices/gauge-a/replay?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ deviceId: 'gauge-a', readings: 130, metrics: ['coating_thickness_um'] });
    const dft = res.body.alerts.filter((a) => a.kind === 'dft_below_breakdown');
    expect(dft).toHaveLength(1);
    expect(dft[0]!.eventTime).toBe(new Date(T0 + 102 * HOUR).toISOString());
    expect(res.body.findings.some((f) => f.kind === 'dft_below_breakdown' && f.phase === 'raised')).toBe(true);
    expect((await t.request<AlertView[]>('GET', '/api/alerts?limit=1000')).body).toHaveLength(before);
    expect(t.publisher.events).toHaveLength(events);
    expect((await t.request('POST', `/api/devices/gauge-a/replay?from=${to}&to=${from}`)).status).toBe(400);
    expect((await t.request('POST', '/api/devices/nope/replay')).status).toBe(404);
  });

  it('documents its routes in the OpenAPI document, from the zod schemas', () => {
    const doc = SwaggerModule.createDocument(t.app, new DocumentBuilder().addBearerAuth().build());
    const paths = Object.keys(doc.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/alerts',
        '/api/alerts/{id}',
        '/api/alerts/{id}/actions',
        '/api/devices/{id}/sensitivity',
        '/api/devices/{id}/replay',
      ]),
    );
    const list = doc.paths['/api/alerts']?.get;
    expect(list?.parameters?.map((p) => ('name' in p ? p.name : undefined)).sort()).toEqual([
      'assetId',
      'customerId',
      'deviceId',
      'from',
      'kind',
      'limit',
      'offset',
      'severity',
      'status',
      'to',
    ]);
    expect(JSON.stringify(doc.paths['/api/alerts/{id}/actions']?.post?.requestBody)).toContain('false_positive');
    expect(JSON.stringify(list?.responses['200'])).toContain('openedAt');
  });
});
