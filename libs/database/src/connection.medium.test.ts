import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';

describe('database connection', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.dispose());

  it('applies the committed migrations', async () => {
    const rows = await t.connection.rows<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'api_tokens',
        'assets',
        'customers',
        'dead_letters',
        'devices',
        'readings',
        'settings',
        'technicians',
      ]),
    );
  });

  it('answers ping', async () => {
    await expect(t.connection.ping()).resolves.toBeUndefined();
  });
});
