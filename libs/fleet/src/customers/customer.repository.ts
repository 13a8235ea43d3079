import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { DATABASE, type Database, tables } from '#database';
import { definedOnly, singleRow } from '../shared/rows.js';

export type CustomerRow = typeof tables.customers.$inferSelect;
export type CustomerInsert = typeof tables.customers.$inferInsert;
export type CustomerPatch = Partial<Pick<CustomerInsert, 'name' | 'email' | 'phone' | 'region'>>;

/** The `customers` table. */
@Injectable()
export class CustomerRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(values: CustomerInsert): Promise<CustomerRow> {
    return singleRow(await this.db.insert(tables.customers).values(values).returning(), 'insert customer');
  }

  async findById(id: string): Promise<CustomerRow | undefined> {
    const rows = await this.db.select().from(tables.customers).where(eq(tables.customers.id, id)).limit(1);
    return rows[0];
  }

  async exists(id: string): Promise<boolean> {
    const rows = await this.db
      .select({ id: tables.customers.id })
      .from(tables.customers)
      .where(eq(tables.customers.id, id))
      .limit(1);
    return rows.length > 0;
  }

  async list(filter: { customerId: string | undefined; limit: number; offset: number }): Promise<CustomerRow[]> {
    return this.db
      .select()
      .from(tables.customers)
      .where(filter.customerId === undefined ? undefined : eq(tables.customers.id, filter.customerId))
      .orderBy(asc(tables.customers.createdAt), asc(tables.customers.id))
      .limit(filter.limit)
      .offset(filter.offset);
  }

  async update(id: string, patch: CustomerPatch): Promise<CustomerRow | undefined> {
    const values = definedOnly(patch);
    if (Object.keys(values).length === 0) return this.findById(id);
    const rows = await this.db.update(tables.customers).set(values).where(eq(tables.customers.id, id)).returning();
    return rows[0];
  }

  /** Deletes the customer; its API tokens go with it (ON DELETE CASCADE). Throws on remaining assets. */
  async delete(id: string): Promise<boolean> {
    const rows = await this.db
      .delete(tables.customers)
      .where(eq(tables.customers.id, id))
      .returning({ id: tables.customers.id });
    return rows.length > 0;
  }
}
