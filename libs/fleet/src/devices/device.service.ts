import { Injectable } from '@nestjs/common';
import type { Device, DeviceCreate, DeviceListQuery, DeviceUpdateSchema, Principal } from '#contracts';
import { Clock, digestToken, DomainEventBus, generateToken } from '#platform';
import type { z } from 'zod';
import { scopeAllows, scopedCustomerFilter, scopeOf } from '../access/customer-scope.js';
import { AssetRepository } from '../assets/asset.repository.js';
import { conflict, notFound, unknownReference } from '../shared/http-errors.js';
import { PG_FOREIGN_KEY_VIOLATION, pgErrorCode } from '../shared/pg-error.js';
import { generateDeviceId } from './device-id.js';
import { toDevice } from './device.mapper.js';
import { DeviceRepository } from './device.repository.js';

export type DeviceUpdate = z.infer<typeof DeviceUpdateSchema>;

/** A device's id with its token: answered once, at registration and at rotation. */
export interface DeviceToken {
  readonly id: string;
  readonly token: string;
}

/** Attempts at a free generated id; 60 random bits make a second attempt already unlikely. */
const GENERATED_ID_ATTEMPTS = 5;

@Injectable()
export class DeviceService {
  constructor(
    private readonly devices: DeviceRepository,
    private readonly assets: AssetRepository,
    private readonly events: DomainEventBus,
    private readonly clock: Clock,
  ) {}

  /** Registers a device. Its token is answered here once; only the digest is stored. */
  async create(dto: DeviceCreate): Promise<DeviceToken> {
    await this.assertAssetExists(dto.assetId);
    const token = generateToken('dev');
    const base = {
      assetId: dto.assetId,
      name: dto.name ?? null,
      kind: dto.kind,
      samplingIntervalS: dto.samplingIntervalS,
      tokenDigest: digestToken(token),
    };
    const candidates =
      dto.id === undefined ? Array.from({ length: GENERATED_ID_ATTEMPTS }, () => generateDeviceId()) : [dto.id];
    for (const id of candidates) {
      if (await this.insert({ id, ...base })) return { id, token };
    }
    if (dto.id !== undefined) throw conflict(`device id ${dto.id} is already taken`, 'id');
    throw new Error(`no free device id after ${GENERATED_ID_ATTEMPTS} attempts`);
  }

  async list(principal: Principal, query: DeviceListQuery): Promise<Device[]> {
    const filter = scopedCustomerFilter(scopeOf(principal), query.customerId);
    if (filter === null) return [];
    const views = await this.devices.list({
      assetId: query.assetId,
      customerId: filter.customerId,
      online: query.online,
      enabled: query.enabled,
      limit: query.limit,
      offset: query.offset,
    });
    return views.map(toDevice);
  }

  /** A device the caller may see; 404 otherwise. */
  async get(principal: Principal, id: string): Promise<Device> {
    const view = await this.devices.findView(id);
    if (!view || !scopeAllows(scopeOf(principal), view.customerId)) throw notFound('device', id);
    return toDevice(view);
  }

  /** Lookup for other libs, without access checks. */
  async find(id: string): Promise<Device | undefined> {
    const view = await this.devices.findView(id);
    return view && toDevice(view);
  }

  /** Lookup of several devices in one query, for other libs, without access checks (unknown ids are absent). */
  async findMany(ids: readonly string[]): Promise<Map<string, Device>> {
    const views = await this.devices.findViews(ids);
    return new Map(views.map((v) => [v.id, toDevice(v)]));
  }

  async update(id: string, dto: DeviceUpdate): Promise<Device> {
    if (dto.assetId !== undefined) await this.assertAssetExists(dto.assetId);
    let found: boolean;
    try {
      found = await this.devices.update(id, dto);
    } catch (error) {
      if (dto.assetId !== undefined && pgErrorCode(error) === PG_FOREIGN_KEY_VIOLATION) {
        throw unknownReference('assetId', 'asset', dto.assetId);
      }
      throw error;
    }
    if (!found) throw notFound('device', id);
    // The broker drops its cached credentials and, when disabled, the live session.
    if (dto.enabled !== undefined)
      this.events.publish({ type: 'device.credentials_changed', deviceId: id, enabled: dto.enabled });
    const view = await this.devices.findView(id);
    if (!view) throw notFound('device', id);
    return toDevice(view);
  }

  /** Issues a new token; the old one stops working and the live session (if any) is dropped by the broker. */
  async rotateToken(id: string): Promise<DeviceToken> {
    const token = generateToken('dev');
    const updated = await this.devices.replaceTokenDigest(id, digestToken(token), this.clock.date());
    if (!updated) throw notFound('device', id);
    this.events.publish({ type: 'device.credentials_changed', deviceId: id, enabled: updated.enabled });
    return { id, token };
  }

  async delete(id: string): Promise<void> {
    if (!(await this.devices.delete(id))) throw notFound('device', id);
    this.events.publish({ type: 'device.deleted', deviceId: id });
  }

  private async assertAssetExists(assetId: string): Promise<void> {
    if (!(await this.assets.findById(assetId))) throw unknownReference('assetId', 'asset', assetId);
  }

  private async insert(values: Parameters<DeviceRepository['insertIfAbsent']>[0]): Promise<boolean> {
    try {
      return await this.devices.insertIfAbsent(values);
    } catch (error) {
      // The asset was deleted between the check and the insert.
      if (pgErrorCode(error) === PG_FOREIGN_KEY_VIOLATION) throw unknownReference('assetId', 'asset', values.assetId);
      throw error;
    }
  }
}
