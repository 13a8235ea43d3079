import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import { DATABASE, type Database, tables } from '#database';
import { definedOnly } from '../shared/rows.js';

const { devices, assets } = tables;

export type DeviceInsert = typeof devices.$inferInsert;
export type DevicePatch = Partial<Pick<DeviceInsert, 'name' | 'assetId' | 'samplingIntervalS' | 'enabled'>>;

/** What the API may show of a device: every column but the token digest, plus its asset's customer. */
const viewColumns = {
  id: devices.id,
  assetId: devices.assetId,
  customerId: assets.customerId,
  name: devices.name,
  kind: devices.kind,
  samplingIntervalS: devices.samplingIntervalS,
  enabled: devices.enabled,
  online: devices.online,
  lastSeenAt: devices.lastSeenAt,
  lastConnectedAt: devices.lastConnectedAt,
  createdAt: devices.createdAt,
};

export interface DeviceView {
  readonly id: string;
  readonly assetId: string;
  readonly customerId: string;
  readonly name: string | null;
  readonly kind: string;
  readonly samplingIntervalS: number;
  readonly enabled: boolean;
  readonly online: boolean;
  readonly lastSeenAt: Date | null;
  readonly lastConnectedAt: Date | null;
  readonly createdAt: Date;
}

export interface DeviceFilter {
  readonly assetId: string | undefined;
  readonly customerId: string | undefined;
  readonly online: boolean | undefined;
  readonly enabled: boolean | undefined;
  readonly limit: number;
  readonly offset: number;
}

/** The `devices` table: registration, credentials and listing. (Presence writes: DevicePresenceRepository.) */
@Injectable()
export class DeviceRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  /** Inserts unless the id is taken; answers whether it did. */
  async insertIfAbsent(values: DeviceInsert): Promise<boolean> {
    const rows = await this.db
      .insert(devices)
      .values(values)
      .onConflictDoNothing({ target: devices.id })
      .returning({ id: devices.id });
    return rows.length > 0;
  }

  async findView(id: string): Promise<DeviceView | undefined> {
    const rows = await this.db
      .select(viewColumns)
      .from(devices)
      .innerJoin(assets, eq(assets.id, devices.assetId))
      .where(eq(devices.id, id))
      .limit(1);
    return rows[0];
  }

  /** Views of several devices in one query (unknown ids are absent). */
  async findViews(ids: readonly string[]): Promise<DeviceView[]> {
    if (ids.length === 0) return [];
    return this.db
      .select(viewColumns)
      .from(devices)
      .innerJoin(assets, eq(assets.id, devices.assetId))
      .where(inArray(devices.id, [...ids]));
  }

  async findOwnerCustomerId(id: string): Promise<string | undefined> {
    const rows = await this.db
      .select({ customerId: assets.customerId })
      .from(devices)
      .innerJoin(assets, eq(assets.id, devices.assetId))
      .where(eq(devices.id, id))
      .limit(1);
    return rows[0]?.customerId;
  }

  async findCredentials(id: string): Promise<{ id: string; tokenDigest: Buffer; enabled: boolean } | undefined> {
    const rows = await this.db
      .select({ id: devices.id, tokenDigest: devices.tokenDigest, enabled: devices.enabled })
      .from(devices)
      .where(eq(devices.id, id))
      .limit(1);
    return rows[0];
  }

  async list(filter: DeviceFilter): Promise<DeviceView[]> {
    const where: SQL[] = [];
    if (filter.assetId !== undefined) where.push(eq(devices.assetId, filter.assetId));
    if (filter.customerId !== undefined) where.push(eq(assets.customerId, filter.customerId));
    if (filter.online !== undefined) where.push(eq(devices.online, filter.online));
    if (filter.enabled !== undefined) where.push(eq(devices.enabled, filter.enabled));
    return this.db
      .select(viewColumns)
      .from(devices)
      .innerJoin(assets, eq(assets.id, devices.assetId))
      .where(and(...where))
      .orderBy(asc(devices.createdAt), asc(devices.id))
      .limit(filter.limit)
      .offset(filter.offset);
  }

  async countByAsset(assetId: string): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(devices).where(eq(devices.assetId, assetId));
    return row?.n ?? 0;
  }

  /** Answers whether the device exists. */
  async update(id: string, patch: DevicePatch): Promise<boolean> {
    const values = definedOnly(patch);
    if (Object.keys(values).length === 0) return (await this.findCredentials(id)) !== undefined;
    const rows = await this.db.update(devices).set(values).where(eq(devices.id, id)).returning({ id: devices.id });
    return rows.length > 0;
  }

  /** Replaces the token digest; answers the device's `enabled` flag, or undefined when it does not exist. */
  async replaceTokenDigest(id: string, tokenDigest: Buffer, at: Date): Promise<{ enabled: boolean } | undefined> {
    const rows = await this.db
      .update(devices)
      .set({ tokenDigest, tokenRotatedAt: at })
      .where(eq(devices.id, id))
      .returning({ enabled: devices.enabled });
    return rows[0];
  }

  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(devices).where(eq(devices.id, id)).returning({ id: devices.id });
    return rows.length > 0;
  }
}
