import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AlertView, DetectionSettingsView, EffectiveDetectionConfig, ReplayResult } from '#contracts';
import { DATABASE, type Database } from '#database';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { HOUR, T0, makeSeries } from '../core/test-support/series.js';
import { DEVICE_PROFILE_SOURCE, type DeviceProfileSource } from '../profiles/device-profile.js';
import { createFleet, type DetectionTestApp, issueToken, startDetectionApp } from '../testing/detection-test-app.js';
import { DetectionSettingsRepository } from './detection-settings.repository.js';

/** 300 um nominal, in service: 305 um for 100 readings, then 250 um (above the default 150 um breakdown). */
const worn = (deviceId: string) =>
  makeSeries({
    deviceId,
    metric: 'coating_thickness_um',
    count: 130,
    value: (i) => (i < 100 ? 305 : 250),
    noise: 2,
    seed: 11,
  });

const path = (assetId: string) => `/api/assets/${assetId}/detection-settings`;

describe('asset detection settings (real PGlite, real HTTP)', () => {
  let db: TestDatabase;
  let t: DetectionTestApp;
  let api: Awaited<ReturnType<typeof createFleet>>;
  let other: Awaited<ReturnType<typeof createFleet>>;
  let planner: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startDetectionApp({ connection: db.connection });
    api = await createFleet(t, 'Nordic Tank Storage', { id: 'gauge-api', samplingIntervalS: 1800 });
    other = await createFleet(t, 'Harbour Bridges', { id: 'gauge-other' });
    planner = await issueToken(t, { role: 'planner' });
  });
  afterAll(async () => {
    await t.close();
    await db.dispose();
  });

  it('answers empty settings before any change; customers read only their own assets, technicians read', async () => {
    const empty = await t.request<DetectionSettingsView>('GET', path(api.asset.id), { token: planner });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      assetId: api.asset.id,
      settings: {},
      version: 0,
      updatedAt: null,
      updatedBy: null,
      history: [],
    });
    const customer = await issueToken(t, { role: 'customer', customerId: api.customerId });
    const stranger = await issueToken(t, { role: 'customer', customerId: other.customerId });
    const technicianId = (
      await t.request<{ id: string }>('POST', '/api/technicians', { body: { name: 'Ana', level: 'senior' } })
    ).body.id;
    const technician = await issueToken(t, { role: 'technician', technicianId });
    expect((await t.request('GET', path(api.asset.id), { token: customer })).status).toBe(200);
    expect((await t.request('GET', path(api.asset.id), { token: technician })).status).toBe(200);
    expect((await t.request('GET', path(api.asset.id), { token: stranger })).status).toBe(404);
    expect(
      (await t.request('GET', `${path(api.asset.id)}/effective?metric=battery_v`, { token: stranger })).status,
    ).toBe(404);
    for (const token of [customer, technician]) {
      expect((await t.request('PUT', path(api.asset.id), { token, body: { settings: {} } })).status).toBe(403);
    }
    expect((await t.request('GET', path(crypto.randomUUID()))).status).toBe(404);
    expect((await t.request('GET', path('not-a-uuid'))).status).toBe(404);
    expect((await t.request('PUT', path(crypto.randomUUID()), { token: planner, body: { settings: {} } })).status).toBe(
      404,
    );
    expect((await t.request('GET', path(api.asset.id), { token: null })).status).toBe(401);
  });

  it('stores a planner’s settings with versions and history; a stale version is a conflict', async () => {
    const first = await t.request<DetectionSettingsView>('PUT', path(api.asset.id), {
      token: planner,
      body: { settings: { streams: { coating_thickness_um: { stuck: null } } }, version: 0 },
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      assetId: api.asset.id,
      settings: { streams: { coating_thickness_um: { stuck: null } } },
      version: 1,
      updatedAt: new Date(t.clock.now()).toISOString(),
    });
    expect(first.body.updatedBy).toEqual(expect.any(String));

    const stale = await t.request<{ field: string }>('PUT', path(api.asset.id), {
      token: planner,
      body: { settings: {}, version: 0 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.field).toBe('version');

    const settings = {
      thresholds: { dftBreakdownFraction: 0.8 },
      streams: { coating_thickness_um: { stuck: null, window: { size: 48, warmup: 24 } } },
    };
    const second = await t.request<DetectionSettingsView>('PUT', path(api.asset.id), {
      token: planner,
      body: { settings, version: 1 },
    });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(2);
    // Without a version the write is unconditional.
    const third = await t.request<DetectionSettingsView>('PUT', path(api.asset.id), {
      token: planner,
      body: { settings },
    });
    expect(third.body.version).toBe(3);

    const read = await t.request<DetectionSettingsView>('GET', path(api.asset.id));
    expect(read.body).toMatchObject({ settings, version: 3, updatedBy: first.body.updatedBy });
    expect(read.body.history.map((h) => h.version)).toEqual([1, 2, 3]);
    expect(read.body.history[0]).toMatchObject({
      by: first.body.updatedBy,
      settings: { streams: { coating_thickness_um: { stuck: null } } },
    });
    const events = t.publisher.events.filter((e) => e.type === 'asset.detection_settings_changed');
    expect(events).toHaveLength(3);
    expect(events[2]).toMatchObject({
      subject: { kind: 'asset', id: api.asset.id },
      customerId: api.customerId,
      data: { assetId: api.asset.id, version: 3 },
    });
  });

  it('of two planners writing over the same version at once, one wins and the other gets a conflict', async () => {
    const fleet = await createFleet(t, 'Concurrent Tanks', { id: 'gauge-race' });
    const put = (fraction: number) =>
      t.request<DetectionSettingsView>('PUT', path(fleet.asset.id), {
        token: planner,
        body: { settings: { thresholds: { dftBreakdownFraction: fraction } }, version: 0 },
      });
    const results = await Promise.all([put(0.6), put(0.7)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200)!.body;
    const stored = (await t.request<DetectionSettingsView>('GET', path(fleet.asset.id))).body;
    expect(stored).toMatchObject({ version: 1, settings: winner.settings });
    expect(stored.history).toHaveLength(1);
  });

  it('rejects invalid settings with the field, also those the detectors cannot run with', async () => {
    const put = (settings: unknown) =>
      t.request<{ field: string; message: string }>('PUT', path(api.asset.id), { token: planner, body: { settings } });
    const schema = await put({ thresholds: { dftBreakdownFraction: 2 } });
    expect(schema.status).toBe(400);
    expect(schema.body.field).toBe('settings.thresholds.dftBreakdownFraction');
    const unknown = await put({ streams: { coating_thickness_um: { stuck: { limit: 3 } } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.field).toBe('settings.streams.coating_thickness_um.stuck.limit');
    const semantic = await put({ streams: { coating_thickness_um: { window: { size: 12, warmup: 20 } } } });
    expect(semantic.status).toBe(400);
    expect(semantic.body.field).toBe('settings.streams.coating_thickness_um.window.warmup');
    expect(semantic.body.message).toMatch(/window\.warmup must not exceed window\.size/);
    const generic = await put({ streams: { vibration_rms_g: { slope: { recentBuckets: 25 } } } });
    expect(generic.status).toBe(400);
    expect(generic.body.field).toBe('settings.streams.vibration_rms_g.slope.recentBuckets');
    // Nothing of it was stored.
    expect((await t.request<DetectionSettingsView>('GET', path(api.asset.id))).body.version).toBe(3);
  });

  it('shows the effective configuration of a metric: defaults, coating specification and settings', async () => {
    const effective = await t.request<EffectiveDetectionConfig>(
      'GET',
      `${path(api.asset.id)}/effective?metric=coating_thickness_um`,
    );
    expect(effective.status).toBe(200);
    expect(effective.body).toMatchObject({
      assetId: api.asset.id,
      deviceId: null,
      metric: 'coating_thickness_um',
      settingsVersion: 3,
      config: { unit: 'um', stuck: null, window: { size: 48, warmup: 24 }, offline: { intervalMs: 3_600_000 } },
    });
    // The breakdown rule follows the threshold: 80 % of the asset's 300 um nominal DFT.
    const breakdown = effective.body.config.rules.find((r) => r.kind === 'dft_below_breakdown');
    expect(breakdown?.bands[0]?.limit).toBe(240);
    expect(effective.body.config.spike).not.toBeNull();

    const onDevice = await t.request<EffectiveDetectionConfig>(
      'GET',
      `${path(api.asset.id)}/effective?metric=coating_thickness_um&deviceId=gauge-api`,
    );
    expect(onDevice.body).toMatchObject({ deviceId: 'gauge-api', config: { offline: { intervalMs: 1_800_000 } } });
    // An unknown metric runs the generic detectors.
    const generic = await t.request<EffectiveDetectionConfig>('GET', `${path(api.asset.id)}/effective?metric=flow_lpm`);
    expect(generic.status).toBe(200);
    expect(generic.body.config).toMatchObject({ rules: [], range: null, stuck: null });
    expect(
      (await t.request('GET', `${path(api.asset.id)}/effective?metric=coating_thickness_um&deviceId=gauge-other`))
        .status,
    ).toBe(404);
    const missing = await t.request<{ field: string }>('GET', `${path(api.asset.id)}/effective`);
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('metric');
  });

  it('a change takes effect on the asset’s devices at their next reading, and in the replay', async () => {
    const tuned = await createFleet(t, 'Tuned Tanks', { id: 'gauge-tuned' });
    const plain = await createFleet(t, 'Plain Tanks', { id: 'gauge-plain' });
    const head = (id: string) => worn(id).slice(0, 100);
    const tail = (id: string) => worn(id).slice(100);
    await t.ingest([...head('gauge-tuned'), ...head('gauge-plain')]);
    const dftAlerts = async (deviceId: string) =>
      (await t.request<AlertView[]>('GET', `/api/alerts?deviceId=${deviceId}&kind=dft_below_breakdown`)).body;
    expect(await dftAlerts('gauge-tuned')).toEqual([]);

    // The film is taken as broken down at 90 % of nominal (270 um) on this asset only. The profiles the pipeline
    // holds would otherwise be re-read after 5 minutes: the frozen clock never gets there.
    const put = await t.request('PUT', path(tuned.asset.id), {
      token: planner,
      body: { settings: { thresholds: { dftBreakdownFraction: 0.9 } } },
    });
    expect(put.status).toBe(200);
    // The fleet source has the optional batch lookup.
    const profiles = t.app.get<DeviceProfileSource & Required<Pick<DeviceProfileSource, 'profilesOf'>>>(
      DEVICE_PROFILE_SOURCE,
    );
    const profilesOf = vi.spyOn(profiles, 'profilesOf');
    const profileOf = vi.spyOn(profiles, 'profileOf');
    await t.ingest([...tail('gauge-tuned'), ...tail('gauge-plain')]);
    // Only the changed asset's device was looked up again.
    const lookedUp = [...profilesOf.mock.calls.flatMap((c) => [...c[0]]), ...profileOf.mock.calls.map((c) => c[0])];
    expect(lookedUp).toEqual(['gauge-tuned']);

    const alerts = await dftAlerts('gauge-tuned');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.explanation).toMatch(/270 um \(90 % of the 300 um nominal DFT, coating breakdown\)/);
    // Confirmed on the third reading below the limit.
    expect(alerts[0]!.eventTime).toBe(new Date(T0 + 102 * HOUR).toISOString());
    expect(await dftAlerts('gauge-plain')).toEqual([]);
    expect(plain.asset.id).not.toBe(tuned.asset.id);

    const window = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + 130 * HOUR).toISOString()}`;
    const replay = async (deviceId: string) =>
      (await t.request<ReplayResult>('POST', `/api/devices/${deviceId}/replay?${window}`)).body;
    expect((await replay('gauge-tuned')).alerts.some((a) => a.kind === 'dft_below_breakdown')).toBe(true);
    expect((await replay('gauge-plain')).alerts.some((a) => a.kind === 'dft_below_breakdown')).toBe(false);
  });

  it('goes with its asset', async () => {
    const customer = (await t.request<{ id: string }>('POST', '/api/customers', { body: { name: 'Short Lived' } }))
      .body;
    const asset = await t.request<{ id: string }>('POST', '/api/assets', {
      body: {
        customerId: customer.id,
        name: 'temporary tank',
        kind: 'tank',
        coating: {
          system: 'epoxy',
          nominalDftUm: 200,
          corrosivityCategory: 'C3',
          durability: 'M',
          installedAt: '2025-01-01',
        },
      },
    });
    expect(asset.status).toBe(201);
    await t.request('PUT', path(asset.body.id), { token: planner, body: { settings: { thresholds: {} } } });
    const repo = t.app.get(DetectionSettingsRepository);
    const database = t.app.get<Database>(DATABASE);
    expect(await repo.get(database, asset.body.id)).toBeDefined();
    expect((await t.request('DELETE', `/api/assets/${asset.body.id}`)).status).toBe(204);
    expect(await repo.get(database, asset.body.id)).toBeUndefined();
  });

  it('documents its routes in the OpenAPI document, from the zod schemas', () => {
    const doc = SwaggerModule.createDocument(t.app, new DocumentBuilder().addBearerAuth().build());
    const settings = doc.paths['/api/assets/{id}/detection-settings'];
    expect(settings?.get).toBeDefined();
    expect(JSON.stringify(settings?.put?.requestBody)).toContain('dftBreakdownFraction');
    expect(JSON.stringify(settings?.put?.responses['409'])).toBeDefined();
    const effective = doc.paths['/api/assets/{id}/detection-settings/effective']?.get;
    expect(effective?.parameters?.map((p) => ('name' in p ? p.name : undefined)).sort()).toEqual([
      'deviceId',
      'id',
      'metric',
    ]);
    expect(JSON.stringify(effective?.responses['200'])).toContain('refreshEvery');
  });
});
