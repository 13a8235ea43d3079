import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseConnection } from '#database';
import { createTestDatabase } from '../../../../test/support/test-database.js';

/**
 * A database that outlives a connection, for restart tests: closing the app closes its connection
 * (DatabaseModule), and the next "process" opens a new one on the same data. PGlite in a temporary
 * data directory, or a fresh database on the PostgreSQL of TEST_DATABASE_URL.
 */
export interface ReopenableDatabase {
  open(): Promise<DatabaseConnection>;
  dispose(): Promise<void>;
}

export async function createReopenableDatabase(): Promise<ReopenableDatabase> {
  const opened: DatabaseConnection[] = [];
  const track = (c: DatabaseConnection) => {
    opened.push(c);
    return c;
  };
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
        const connection = first ?? (await DatabaseConnection.open({ kind: 'postgres', url, poolSize: 5 }));
        first = undefined;
        return track(connection);
      },
      async dispose() {
        await closeAll();
        await t.dispose();
      },
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'coatwatch-events-'));
  return {
    open: async () => track(await DatabaseConnection.open({ kind: 'pglite', dataDir })),
    async dispose() {
      await closeAll();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
