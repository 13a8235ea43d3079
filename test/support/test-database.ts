import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DatabaseConnection } from '#database';

/**
 * A fresh, migrated database for one test file. Embedded PGlite in memory by default; with
 * TEST_DATABASE_URL set (the services tier), a new database created on that PostgreSQL server and
 * dropped by `dispose()`. When REQUIRE_SERVICES=1 a missing server fails the suite instead of skipping.
 */
export interface TestDatabase {
  readonly connection: DatabaseConnection;
  readonly kind: 'pglite' | 'postgres';
  /** For a gateway process of its own: a DATABASE_URL pointing at the same database (postgres only). */
  readonly url: string | undefined;
  dispose(): Promise<void>;
}

export function testDatabaseUrl(): string | undefined {
  const url = process.env['TEST_DATABASE_URL'];
  if (!url && process.env['REQUIRE_SERVICES'] === '1') {
    throw new Error('REQUIRE_SERVICES=1 but TEST_DATABASE_URL is not set: the services tier needs PostgreSQL');
  }
  return url || undefined;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = testDatabaseUrl();
  if (!serverUrl) {
    const connection = await DatabaseConnection.open({ kind: 'pglite', dataDir: undefined });
    return { connection, kind: 'pglite', url: undefined, dispose: () => connection.close() };
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const connection = await DatabaseConnection.open({ kind: 'postgres', url: url.toString(), poolSize: 5 });
  return {
    connection,
    kind: 'postgres',
    url: url.toString(),
    async dispose() {
      await connection.close();
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
