import { Inject, Injectable } from '@nestjs/common';
import { eq, sql } from 'drizzle-orm';
import { DATABASE, type Database, tables } from '#database';

const { settings } = tables;

/** The `settings` key/value table. Methods accept the transaction they run in (`db`). */
@Injectable()
export class SettingsRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async get(key: string, db: Database = this.db): Promise<string | undefined> {
    const rows = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key)).limit(1);
    return rows[0]?.value;
  }

  /** Sets the key unless it is set; answers whether this call set it (the first caller wins). */
  async setIfAbsent(key: string, value: string, db: Database = this.db): Promise<boolean> {
    const rows = await db
      .insert(settings)
      .values({ key, value })
      .onConflictDoNothing({ target: settings.key })
      .returning({ key: settings.key });
    return rows.length > 0;
  }

  async set(key: string, value: string, db: Database = this.db): Promise<void> {
    await db
      .insert(settings)
      .values({ key, value })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: sql`now()` } });
  }
}
