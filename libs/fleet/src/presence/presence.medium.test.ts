import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Test } from '@nestjs/testing';
import { type Device, DeviceSchema, TransportPatterns } from '#contracts';
import { DatabaseModule } from '#database';
import { DomainEventBus, PlatformModule } from '#platform';
import { PATTERN_METADATA } from '@nestjs/microservices/constants.js';
import { createAsset, createCustomer, createDevice } from '../testing/fixtures.js';
import { type FleetTestApp, startFleetApp } from '../testing/fleet-test-app.js';
import { FleetModule } from '../fleet.module.js';
import { DevicePresenceRepository } from './device-presence.repository.js';
import { PresenceController } from './presence.controller.js';
import { PresenceService } from './presence.service.js';

/** Event times well before this process started (the start-up reset spares sessions begun after it). */
const T0 = Date.parse('2025-03-01T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

describe('device presence', () => {
  let t: FleetTestApp;
  let controller: PresenceController;
  let service: PresenceService;
  let bus: DomainEventBus;
  let assetId: string;

  const device = async (id: string): Promise<Device> =>
    DeviceSchema.parse((await t.request('GET', `/api/devices/${id}`)).body);
  const statusMessage = (deviceId: string, text: string, receivedAt: number) => ({
    deviceId,
    topic: `devices/${deviceId}/status`,
    payload: Buffer.from(text),
    qos: 1 as const,
    receivedAt,
  });

  beforeAll(async () => {
    t = await startFleetApp();
    controller = t.app.get(PresenceController);
    service = t.app.get(PresenceService);
    bus = t.app.get(DomainEventBus);
    assetId = (await createAsset(t, (await createCustomer(t)).id)).id;
  });
  afterAll(async () => t?.close());

  it('handles the broker transport patterns', () => {
    const pattern = (name: keyof PresenceController) =>
      Reflect.getMetadata(PATTERN_METADATA, Reflect.get(PresenceController.prototype, name)) as unknown[];
    expect(pattern('onConnected')).toEqual([TransportPatterns.connected]);
    expect(pattern('onDisconnected')).toEqual([TransportPatterns.disconnected]);
    expect(pattern('onStatus')).toEqual([TransportPatterns.status]);
  });

  it('marks a device online on connect and offline on disconnect', async () => {
    const { id } = await createDevice(t, assetId);
    await controller.onConnected({ deviceId: id, at: T0 });
    expect(await device(id)).toMatchObject({ online: true, lastConnectedAt: iso(T0), lastSeenAt: iso(T0) });
    const online = await t.request<{ id: string }[]>('GET', '/api/devices?online=true');
    expect(online.body.map((d) => d.id)).toContain(id);

    await controller.onDisconnected({ deviceId: id, at: T0 + 60_000 });
    expect(await device(id)).toMatchObject({ online: false, lastConnectedAt: iso(T0), lastSeenAt: iso(T0) });
  });

  it('follows status messages: the words, JSON strings and {"state"} objects, a last will included', async () => {
    const { id } = await createDevice(t, assetId);
    await controller.onConnected({ deviceId: id, at: T0 });
    await controller.onStatus(statusMessage(id, '{"state":"offline"}', T0 + 1000));
    expect(await device(id)).toMatchObject({ online: false, lastSeenAt: iso(T0 + 1000) });
    await controller.onStatus(statusMessage(id, '"online"', T0 + 2000));
    expect(await device(id)).toMatchObject({ online: true, lastSeenAt: iso(T0 + 2000) });
    await controller.onStatus(statusMessage(id, 'offline', T0 + 3000)); // a typical last will
    expect(await device(id)).toMatchObject({ online: false, lastSeenAt: iso(T0 + 3000) });
    await controller.onStatus(statusMessage(id, 'rebooting', T0 + 4000));
    expect(await device(id)).toMatchObject({ online: false, lastSeenAt: iso(T0 + 3000) });
  });

  it('keeps a taken-over session online when the old session ends late', async () => {
    const { id } = await createDevice(t, assetId);
    await controller.onConnected({ deviceId: id, at: T0 });
    // The new session is registered; the old one's disconnect and will arrive after it (MQTT-3.1.4-2).
    await controller.onConnected({ deviceId: id, at: T0 + 5000 });
    await Promise.all([
      controller.onDisconnected({ deviceId: id, at: T0 + 4000 }),
      controller.onStatus(statusMessage(id, 'offline', T0 + 4000)),
    ]);
    expect(await device(id)).toMatchObject({ online: true, lastConnectedAt: iso(T0 + 5000) });
  });

  it('applies one device’s events in the order they arrived', async () => {
    const { id } = await createDevice(t, assetId);
    // Not awaited one by one: a pool would otherwise be free to run them in any order.
    await Promise.all([
      controller.onDisconnected({ deviceId: id, at: T0 }),
      controller.onConnected({ deviceId: id, at: T0 }),
      controller.onDisconnected({ deviceId: id, at: T0 + 1 }),
      controller.onConnected({ deviceId: id, at: T0 + 2 }),
    ]);
    expect(await device(id)).toMatchObject({ online: true, lastConnectedAt: iso(T0 + 2) });
  });

  it('ignores events of unknown devices', async () => {
    await expect(controller.onConnected({ deviceId: 'ghost', at: T0 })).resolves.toBeUndefined();
    await expect(controller.onStatus(statusMessage('ghost', 'online', T0))).resolves.toBeUndefined();
  });

  it('writes device.seen times coalesced: one batch per flush, never moving back', async () => {
    const a = await createDevice(t, assetId);
    const b = await createDevice(t, assetId);
    const repo = t.app.get(DevicePresenceRepository);
    const touch = vi.spyOn(repo, 'touchLastSeen');
    try {
      for (let i = 0; i < 500; i++) {
        bus.publish({ type: 'device.seen', deviceId: a.id, at: T0 + i });
        bus.publish({ type: 'device.seen', deviceId: b.id, at: T0 + 2 * i });
      }
      await service.flush();
      expect(touch).toHaveBeenCalledTimes(1);
      expect(touch.mock.calls[0]?.[0]).toHaveLength(2);
      expect((await device(a.id)).lastSeenAt).toBe(iso(T0 + 499));
      expect((await device(b.id)).lastSeenAt).toBe(iso(T0 + 998));

      bus.publish({ type: 'device.seen', deviceId: a.id, at: T0 });
      await service.flush();
      expect((await device(a.id)).lastSeenAt).toBe(iso(T0 + 499));

      await service.flush();
      expect(touch).toHaveBeenCalledTimes(2); // nothing collected, nothing written
    } finally {
      touch.mockRestore();
    }
  });

  it('flushes on its own about every second', async () => {
    const { id } = await createDevice(t, assetId);
    bus.publish({ type: 'device.seen', deviceId: id, at: T0 + 123 });
    await vi.waitFor(async () => expect((await device(id)).lastSeenAt).toBe(iso(T0 + 123)), {
      timeout: 5000,
      interval: 100,
    });
  });
});

describe('device presence across a restart', () => {
  it('marks every device offline at start, and flushes last-seen times at shutdown', async () => {
    const first = await startFleetApp();
    try {
      const assetId = (await createAsset(first, (await createCustomer(first)).id)).id;
      const { id } = await createDevice(first, assetId);
      await first.app.get(PresenceController).onConnected({ deviceId: id, at: T0 });
      first.app.get(DomainEventBus).publish({ type: 'device.seen', deviceId: id, at: T0 + 777 });

      // A second process start on the same database (the first's shutdown would close the connection).
      const restarted = await Test.createTestingModule({
        imports: [DatabaseModule.forRoot(first.db.connection), PlatformModule, FleetModule],
      }).compile();
      const app = restarted.createNestApplication({ logger: false });
      await app.init();
      const seen = await first.db.connection.db.query.devices.findFirst({ where: (d, { eq }) => eq(d.id, id) });
      expect(seen).toMatchObject({ online: false, lastConnectedAt: new Date(T0) });

      // Shutting the first down writes what it had collected.
      await first.app.get(PresenceService).beforeApplicationShutdown();
      const flushed = await first.db.connection.db.query.devices.findFirst({ where: (d, { eq }) => eq(d.id, id) });
      expect(flushed?.lastSeenAt).toEqual(new Date(T0 + 777));

      // A session that began after this start is spared, whenever the reset happens to run.
      const now = Date.now();
      await app.get(PresenceController).onConnected({ deviceId: id, at: now });
      await app.get(PresenceService).onModuleInit();
      const spared = await first.db.connection.db.query.devices.findFirst({ where: (d, { eq }) => eq(d.id, id) });
      expect(spared).toMatchObject({ online: true, lastConnectedAt: new Date(now) });
      await app.close();
    } finally {
      await first.close();
    }
  });
});
