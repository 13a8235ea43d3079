import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { DomainEvent } from '#contracts';
import { DatabaseModule } from '#database';
import { ApiAuthGuard, DomainEventBus, HttpErrorFilter, PlatformModule } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { FleetModule } from '../fleet.module.js';
import { AdminTokenBootstrap } from '../tokens/admin-token-bootstrap.js';
import { jsonRequest } from '../../../../test/support/json-request.js';

export const TEST_ADMIN_TOKEN = 'admin-token-for-the-fleet-tests';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** The fleet wired as the gateway wires it (global guard and error filter), on a real HTTP port. */
export interface FleetTestApp {
  readonly app: INestApplication;
  readonly db: TestDatabase;
  readonly baseUrl: string;
  /** Every domain event published since start. */
  readonly events: DomainEvent[];
  request<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown },
  ): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

export async function startFleetApp(options: { db?: TestDatabase } = {}): Promise<FleetTestApp> {
  const db = options.db ?? (await createTestDatabase());
  const moduleRef = await Test.createTestingModule({
    imports: [DatabaseModule.forRoot(db.connection), PlatformModule, FleetModule],
    providers: [
      { provide: APP_GUARD, useClass: ApiAuthGuard },
      { provide: APP_FILTER, useClass: HttpErrorFilter },
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  const events: DomainEvent[] = [];
  app.get(DomainEventBus).all$.subscribe((e) => events.push(e));
  await app.get(AdminTokenBootstrap).ensure(TEST_ADMIN_TOKEN);
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    db,
    baseUrl,
    events,
    request: jsonRequest(baseUrl, TEST_ADMIN_TOKEN),
    async close() {
      // The DatabaseModule closes the connection on shutdown; an adopted test database is disposed by its owner.
      await app.close();
      if (!options.db) await db.dispose();
    },
  };
}
