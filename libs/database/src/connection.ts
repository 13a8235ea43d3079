import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as schema from './schema.js';

export type Schema = typeof schema;
/** The Drizzle database, whichever driver is underneath (PGlite or node-postgres). */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseTarget =
  | { readonly kind: 'pglite'; readonly dataDir: string | undefined }
  | { readonly kind: 'postgres'; readonly url: string; readonly poolSize?: number | undefined };

/** Finds the committed SQL migrations, from the sources or from the compiled `dist` tree. */
export function migrationsFolder(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../migrations'), path.resolve(here, '../../../../libs/database/migrations')];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'meta', '_journal.json')));
  if (!found) throw new Error(`SQL migrations not found (looked in ${candidates.join(', ')})`);
  return found;
}

/**
 * An open connection: the Drizzle handle plus what the rest of the platform needs around it
 * (health check, raw row query, close). One per process.
 */
export class DatabaseConnection {
  private closed = false;

  private constructor(
    readonly db: Database,
    readonly kind: DatabaseTarget['kind'],
    private readonly closeDriver: () => Promise<void>,
  ) {}

  /** Opens the database and applies the committed migrations. */
  static async open(target: DatabaseTarget): Promise<DatabaseConnection> {
    const folder = migrationsFolder();
    if (target.kind === 'pglite') {
      if (target.dataDir) await mkdir(target.dataDir, { recursive: true });
      const client = await PGlite.create(target.dataDir ?? 'memory://');
      const db = drizzlePglite({ client, schema });
      try {
        await migratePglite(db, { migrationsFolder: folder });
      } catch (error) {
        await client.close();
        throw error;
      }
      return new DatabaseConnection(db, 'pglite', () => client.close());
    }
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    // A lost idle connection must not crash the process; the next query reports the failure.
    pool.on('error', () => undefined);
    const db = drizzlePg({ client: pool, schema });
    try {
      await migratePg(db, { migrationsFolder: folder });
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new DatabaseConnection(db, 'postgres', () => pool.end());
  }

  /** Runs a raw statement and answers its rows (both drivers put them under `rows`). */
  async rows<T extends Record<string, unknown>>(query: SQL): Promise<T[]> {
    const result: unknown = await this.db.execute(query);
    return (result as { rows: T[] }).rows;
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`select 1`);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.closeDriver();
  }
}

/** A Drizzle transaction of the platform database. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Where a statement may run: the database itself or an open transaction. */
export type DbExecutor = Database | Transaction;
