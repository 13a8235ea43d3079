import { Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { type DbExecutor, tables } from '#database';
import { TECHNICIAN_LEVELS } from '#contracts';
import type { DispatchTechnician } from '../domain/index.js';
import { storedEnum } from '../shared/stored-enum.js';

/** What the service desk needs of an asset (fleet owns the table; it is read here, never written). */
export interface AssetFacts {
  readonly id: string;
  readonly customerId: string;
  readonly name: string;
  readonly region: string | null;
  readonly location: { readonly lat: number; readonly lon: number } | null;
  readonly installedAt: string;
  readonly warrantyUntil: string | null;
}

export interface TechnicianFacts extends Omit<DispatchTechnician, 'openWorkOrders'> {
  readonly name: string;
}

/**
 * Read-only lookups in fleet's tables (assets, devices, technicians). The service desk references them by id
 * and reads them through the shared database rather than importing the fleet lib (libs do not depend on
 * each other; the gateway composes them).
 */
@Injectable()
export class FleetLookupRepository {
  async asset(db: DbExecutor, id: string): Promise<AssetFacts | undefined> {
    const a = tables.assets;
    const rows = await db.select().from(a).where(eq(a.id, id)).limit(1);
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      id: row.id,
      customerId: row.customerId,
      name: row.name,
      region: row.region,
      location: row.lat === null || row.lon === null ? null : { lat: row.lat, lon: row.lon },
      installedAt: row.installedAt,
      warrantyUntil: row.warrantyUntil,
    };
  }

  /** The asset a device is attached to, or undefined for an unknown device. */
  async deviceAsset(db: DbExecutor, deviceId: string): Promise<string | undefined> {
    const d = tables.devices;
    const rows = await db.select({ assetId: d.assetId }).from(d).where(eq(d.id, deviceId)).limit(1);
    return rows[0]?.assetId;
  }

  async customerExists(db: DbExecutor, id: string): Promise<boolean> {
    const c = tables.customers;
    const rows = await db.select({ id: c.id }).from(c).where(eq(c.id, id)).limit(1);
    return rows.length > 0;
  }

  async technicianExists(db: DbExecutor, id: string): Promise<boolean> {
    const t = tables.technicians;
    const rows = await db.select({ id: t.id }).from(t).where(eq(t.id, id)).limit(1);
    return rows.length > 0;
  }

  async technicians(db: DbExecutor): Promise<TechnicianFacts[]> {
    const t = tables.technicians;
    const rows = await db.select().from(t).orderBy(asc(t.createdAt), asc(t.id));
    return rows.map((row) => ({
      id: row.id,
      name: row.name,
      level: storedEnum(TECHNICIAN_LEVELS, row.level, 'technicians.level'),
      skills: row.skills,
      region: row.region,
      base: row.baseLat === null || row.baseLon === null ? null : { lat: row.baseLat, lon: row.baseLon },
      available: row.available,
    }));
  }
}
