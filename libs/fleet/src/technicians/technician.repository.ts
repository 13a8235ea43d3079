import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, type SQL } from 'drizzle-orm';
import { DATABASE, type Database, tables } from '#database';
import { definedOnly, singleRow } from '../shared/rows.js';

const { technicians } = tables;

export type TechnicianRow = typeof technicians.$inferSelect;
export type TechnicianInsert = typeof technicians.$inferInsert;
export type TechnicianPatch = Partial<Omit<TechnicianInsert, 'id' | 'createdAt'>>;

export interface TechnicianFilter {
  readonly level: string | undefined;
  readonly region: string | undefined;
  readonly available: boolean | undefined;
  readonly limit: number;
  readonly offset: number;
}

/** The `technicians` table. */
@Injectable()
export class TechnicianRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(values: TechnicianInsert): Promise<TechnicianRow> {
    return singleRow(await this.db.insert(technicians).values(values).returning(), 'insert technician');
  }

  async findById(id: string): Promise<TechnicianRow | undefined> {
    const rows = await this.db.select().from(technicians).where(eq(technicians.id, id)).limit(1);
    return rows[0];
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.db.select({ id: technicians.id }).from(technicians).where(eq(technicians.id, id)).limit(1);
    return rows.length > 0;
  }

  async list(filter: TechnicianFilter): Promise<TechnicianRow[]> {
    const where: SQL[] = [];
    if (filter.level !== undefined) where.push(eq(technicians.level, filter.level));
    if (filter.region !== undefined) where.push(eq(technicians.region, filter.region));
    if (filter.available !== undefined) where.push(eq(technicians.available, filter.available));
    return this.db
      .select()
      .from(technicians)
      .where(and(...where))
      .orderBy(asc(technicians.createdAt), asc(technicians.id))
      .limit(filter.limit)
      .offset(filter.offset);
  }

  async update(id: string, patch: TechnicianPatch): Promise<TechnicianRow | undefined> {
    const values = definedOnly(patch);
    if (Object.keys(values).length === 0) return this.findById(id);
    const rows = await this.db.update(technicians).set(values).where(eq(technicians.id, id)).returning();
    return rows[0];
  }

  /** Deletes the technician; its API tokens go with it (ON DELETE CASCADE). */
  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(technicians).where(eq(technicians.id, id)).returning({ id: technicians.id });
    return rows.length > 0;
  }
}
