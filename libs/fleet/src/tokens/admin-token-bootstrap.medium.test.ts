import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Test, type TestingModule } from '@nestjs/testing';
import { DatabaseModule } from '#database';
import { API_TOKEN_RESOLVER, type ApiTokenResolver, PlatformModule } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { FleetModule } from '../fleet.module.js';
import { ApiTokenService } from './api-token.service.js';
import { AdminTokenBootstrap } from './admin-token-bootstrap.js';

/** One gateway start on the database: a fresh Nest module, as a restarted process would build. */
async function start(db: TestDatabase): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [DatabaseModule.forRoot(db.connection), PlatformModule, FleetModule],
  }).compile();
}

describe('admin token bootstrap', () => {
  let db: TestDatabase;
  const modules: TestingModule[] = [];
  const boot = async () => {
    const m = await start(db);
    modules.push(m);
    return {
      bootstrap: m.get(AdminTokenBootstrap),
      resolver: m.get<ApiTokenResolver>(API_TOKEN_RESOLVER),
      tokens: m.get(ApiTokenService),
    };
  };

  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => {
    // Not closed between "restarts": closing a module closes the shared connection.
    for (const m of modules.splice(0).reverse()) await m.close();
    await db.dispose();
  });

  it('generates an admin token on the first start only, and never prints one again', async () => {
    const first = await boot();
    const { generated } = await first.bootstrap.ensure(undefined);
    expect(generated).toMatch(/^api_[A-Za-z0-9_-]{43}$/);
    expect(await first.resolver.resolve(generated!)).toMatchObject({ role: 'admin' });

    const restarted = await boot();
    expect(await restarted.bootstrap.ensure(undefined)).toEqual({});
    expect(await restarted.resolver.resolve(generated!)).toMatchObject({ role: 'admin' });
    expect((await restarted.tokens.list()).filter((i) => i.role === 'admin')).toHaveLength(1);
  });

  it('does not generate one when an admin token already exists', async () => {
    const first = await boot();
    await first.tokens.create({ role: 'admin', name: 'made by hand' });
    expect(await first.bootstrap.ensure(undefined)).toEqual({});
  });

  it('installs ADMIN_TOKEN, and rotates it when the variable changes', async () => {
    const first = await boot();
    expect(await first.bootstrap.ensure('first-admin-token-value')).toEqual({});
    expect(await first.resolver.resolve('first-admin-token-value')).toMatchObject({ role: 'admin' });

    const same = await boot();
    await same.bootstrap.ensure('first-admin-token-value');
    expect((await same.tokens.list()).filter((i) => i.name === 'ADMIN_TOKEN')).toHaveLength(1);

    const rotated = await boot();
    await rotated.bootstrap.ensure('second-admin-token-value');
    expect(await rotated.resolver.resolve('second-admin-token-value')).toMatchObject({ role: 'admin' });
    expect(await rotated.resolver.resolve('first-admin-token-value')).toBeUndefined();
    const named = (await rotated.tokens.list()).filter((i) => i.name === 'ADMIN_TOKEN');
    expect(named).toHaveLength(1);

    // The old value may come back later.
    await rotated.bootstrap.ensure('first-admin-token-value');
    expect(await rotated.resolver.resolve('first-admin-token-value')).toMatchObject({ role: 'admin' });
    expect(await rotated.resolver.resolve('second-admin-token-value')).toBeUndefined();
  });

  it('stops a replaced ADMIN_TOKEN at once in the running process too', async () => {
    const app = await boot();
    await app.bootstrap.ensure('first-admin-token-value');
    expect(await app.resolver.resolve('first-admin-token-value')).toBeDefined(); // now cached
    await app.bootstrap.ensure('second-admin-token-value');
    expect(await app.resolver.resolve('first-admin-token-value')).toBeUndefined();
  });

  it('generates nothing after ADMIN_TOKEN was used, once the variable is removed', async () => {
    const first = await boot();
    await first.bootstrap.ensure('first-admin-token-value');
    const restarted = await boot();
    expect(await restarted.bootstrap.ensure(undefined)).toEqual({});
    expect(await restarted.resolver.resolve('first-admin-token-value')).toMatchObject({ role: 'admin' });
  });

  it('refuses a short ADMIN_TOKEN with a clear error and stores nothing', async () => {
    const app = await boot();
    await expect(app.bootstrap.ensure('short')).rejects.toThrow(
      'ADMIN_TOKEN must be at least 16 characters (it has 5)',
    );
    expect(await app.tokens.list()).toEqual([]);
  });

  it('lets only one of two gateways starting at once generate the token', async () => {
    const a = await boot();
    const b = await boot();
    const results = await Promise.allSettled([a.bootstrap.ensure(undefined), b.bootstrap.ensure(undefined)]);
    const generated = results.flatMap((r) =>
      r.status === 'fulfilled' && r.value.generated ? [r.value.generated] : [],
    );
    expect(generated).toHaveLength(1);
    expect((await a.tokens.list()).filter((i) => i.role === 'admin')).toHaveLength(1);
  });
});
