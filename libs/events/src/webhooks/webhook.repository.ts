import { Inject, Injectable } from '@nestjs/common';
import { asc, eq } from 'drizzle-orm';
import { DATABASE, type Database, type DbExecutor } from '#database';
import { webhooks } from '../events.tables.js';

export type WebhookRow = typeof webhooks.$inferSelect;
export type WebhookInsert = typeof webhooks.$inferInsert;
export type WebhookRowPatch = Partial<Pick<WebhookRow, 'url' | 'types' | 'active'>> & { readonly updatedAt: Date };

/** The `webhooks` table. */
@Injectable()
export class WebhookRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(values: WebhookInsert): Promise<WebhookRow> {
    const [row] = await this.db.insert(webhooks).values(values).returning();
    if (!row) throw new Error('insert webhook: the statement returned no row');
    return row;
  }

  async findById(id: string): Promise<WebhookRow | undefined> {
    const rows = await this.db.select().from(webhooks).where(eq(webhooks.id, id)).limit(1);
    return rows[0];
  }

  async list(): Promise<WebhookRow[]> {
    return this.db.select().from(webhooks).orderBy(asc(webhooks.createdAt), asc(webhooks.id));
  }

  /** The active webhooks' filters, read in the publisher's executor (its transaction). */
  async listActive(executor: DbExecutor): Promise<Pick<WebhookRow, 'id' | 'types'>[]> {
    return executor.select({ id: webhooks.id, types: webhooks.types }).from(webhooks).where(eq(webhooks.active, true));
  }

  async update(id: string, patch: WebhookRowPatch): Promise<WebhookRow | undefined> {
    const values = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const rows = await this.db.update(webhooks).set(values).where(eq(webhooks.id, id)).returning();
    return rows[0];
  }

  /** Deletes the webhook and (ON DELETE CASCADE) its deliveries, pending ones included. */
  async delete(id: string): Promise<boolean> {
    const rows = await this.db.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id });
    return rows.length > 0;
  }
}
