import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { INestApplication } from '@nestjs/common';
import { sql } from 'drizzle-orm';
import type { Principal } from '#contracts';
import { DatabaseModule } from '#database';
import { EventsModule } from '#events';
import { API_TOKEN_RESOLVER, ApiAuthGuard, Clock, FrozenClock, HttpErrorFilter, PlatformModule } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { ServiceDeskModule } from './service-desk.module.js';
import { seedFleet, type FleetFixture } from './testing/fleet-fixtures.js';
import { TEST_T0 } from './testing/service-desk-test-app.js';
import { WorkOrderService } from './work-orders/work-order.service.js';

/** The service desk with the real events lib, as the gateway wires it: events commit with their change. */
describe('service desk with the events lib', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let fleet: FleetFixture;
  beforeAll(async () => {
    db = await createTestDatabase();
    fleet = await seedFleet(db.connection.db);
    const events = EventsModule.forRoot({ dispatcher: { pollMs: 60_000, timeoutMs: 1000 } });
    const moduleRef = await Test.createTestingModule({
      imports: [
        DatabaseModule.forRoot(db.connection),
        PlatformModule,
        events,
        ServiceDeskModule.forRoot({ imports: [events], options: { schedulers: { enabled: false } } }),
      ],
      providers: [
        {
          provide: API_TOKEN_RESOLVER,
          useValue: { resolve: async (token: string): Promise<Principal | undefined> => fleet.principals.get(token) },
        },
        { provide: APP_GUARD, useClass: ApiAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    })
      .overrideProvider(Clock)
      .useValue(new FrozenClock(TEST_T0))
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await db?.dispose();
  });

  it('writes every public event in the transaction of its change, with its visibility', async () => {
    const service = app.get(WorkOrderService);
    const planner = fleet.principals.get(fleet.tokens.planner)!;
    const opened = await service.create(planner, {
      source: 'manual',
      assetId: fleet.assets.tank,
      title: 'Coating blisters',
      description: '',
      priority: 'P3',
    });
    const triaged = await service.transition(planner, { kind: 'id', id: opened.id }, { to: 'triaged', version: 1 });
    await service.transition(
      planner,
      { kind: 'id', id: opened.id },
      { to: 'cancelled', version: triaged.version, reason: 'duplicate' },
    );
    // A refused move publishes nothing.
    await expect(
      service.transition(planner, { kind: 'id', id: opened.id }, { to: 'triaged', version: 3 }),
    ).rejects.toMatchObject({ status: 409 });
    const rows = await db.connection.rows<{ type: string; customer_id: string; payload: { subject: { id: string } } }>(
      sql`select type, customer_id, payload from events order by seq`,
    );
    const mine = rows.filter((r) => r.payload.subject.id === opened.id);
    expect(mine.map((r) => r.type)).toEqual([
      'work_order.opened',
      'work_order.transitioned',
      'work_order.transitioned',
    ]);
    expect(new Set(mine.map((r) => r.customer_id))).toEqual(new Set([fleet.customers.north]));
  });
});
