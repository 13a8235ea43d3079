import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseConnection } from '#database';
import { createTestDatabase } from '../../../../test/support/test-database.js';

/**
 * A database that outlives an app, for restart tests: closing an app closes its connection (DatabaseModule),
 * the next "process" opens a new one on the same data. PGlite in a temporary data directory, or a fresh
 * database on the PostgreSQL of TEST_DATABASE_URL.
 */
export interface ReopenableDatabase {
  open(): Promise<DatabaseConnection>;
  dispose(): Promise<void>;
}

export async function createReopenableDatabase(): Promise<ReopenableDatabase> {
  const opened: DatabaseConnection[] = [];
  const closeAll = async () => {
    for (const c of opened.splice(0)) await c.close();
  };
  if (process.env['TEST_DATABASE_URL']) {
    const t = await createTestDatabase();
    const url = t.url;
    if (!url) throw new Error('a PostgreSQL test database has a url');
    let first: DatabaseConnection | undefined = t.connection;
    return {
      async open() {
        const c = first ?? (await DatabaseConnection.open({ kind: 'postgres', url, poolSize: 5 }));
        first = undefined;
        opened.push(c);
        return c;
      },
      async dispose() {
        await closeAll();
        await t.dispose();
      },
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'coatwatch-detection-'));
  return {
    async open() {
      const c = await DatabaseConnection.open({ kind: 'pglite', dataDir });
      opened.push(c);
      return c;
    },
    async dispose() {
      await closeAll();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
