import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, eq, inArray, type SQL } from 'drizzle-orm';
import { DATABASE, type Database, tables } from '#database';
import { definedOnly, singleRow } from '../shared/rows.js';

export type AssetRow = typeof tables.assets.$inferSelect;
export type AssetInsert = typeof tables.assets.$inferInsert;
export type AssetPatch = Partial<Omit<AssetInsert, 'id' | 'customerId' | 'createdAt'>>;

export interface AssetFilter {
  readonly customerId: string | undefined;
  readonly limit: number;
  readonly offset: number;
}

/** The `assets` table. */
@Injectable()
export class AssetRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(values: AssetInsert): Promise<AssetRow> {
    return singleRow(await this.db.insert(tables.assets).values(values).returning(), 'insert asset');
  }

  async findById(id: string): Promise<AssetRow | undefined> {
    const rows = await this.db.select().from(tables.assets).where(eq(tables.assets.id, id)).limit(1);
    return rows[0];
  }

  /** Several assets in one query (unknown ids are absent). */
  async findByIds(ids: readonly string[]): Promise<AssetRow[]> {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(tables.assets)
      .where(inArray(tables.assets.id, [...ids]));
  }

  async list(filter: AssetFilter): Promise<AssetRow[]> {
    const where: SQL[] = [];
    if (filter.customerId !== undefined) where.push(eq(tables.assets.customerId, filter.customerId));
    return this.db
      .select()
      .from(tables.assets)
      .where(and(...where))
      .orderBy(asc(tables.assets.createdAt), asc(tables.assets.id))
      .limit(filter.limit)
      .offset(filter.offset);
  }

  async countByCustomer(customerId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: count() })
      .from(tables.assets)
      .where(eq(tables.assets.customerId, customerId));
    return row?.n ?? 0;
  }

  async update(id: string, patch: AssetPatch): Promise<AssetRow | undefined> {
    const values = definedOnly(patch);
    if (Object.keys(values).length === 0) return this.findById(id);
    const rows = await this.db.update(tables.assets).set(values).where(eq(tables.assets.id, id)).returning();
    return rows[0];
  }

  /** Throws a foreign-key violation while devices are attached (ON DELETE RESTRICT). */
  async delete(id: string): Promise<boolean> {
    const rows = await this.db
      .delete(tables.assets)
      .where(eq(tables.assets.id, id))
      .returning({ id: tables.assets.id });
    return rows.length > 0;
  }
}
