import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Principal } from '#contracts';
import { DatabaseModule } from '#database';
import { API_TOKEN_RESOLVER, ApiAuthGuard, Clock, FrozenClock, HttpErrorFilter, PlatformModule } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import type { ServiceDeskOptionsInput } from '../config/service-desk-options.js';
import { ServiceDeskModule } from '../service-desk.module.js';
import { seedFleet, type FleetFixture } from './fleet-fixtures.js';
import { recordingEventsModule, RecordingEventPublisher } from './recording-event-publisher.js';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
  readonly text: string;
}

export interface RequestOptions {
  readonly token?: string | null;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** The service desk wired as the gateway wires it (global guard and error filter), on a real HTTP port. */
export interface ServiceDeskTestApp {
  readonly app: INestApplication;
  readonly db: TestDatabase;
  readonly clock: FrozenClock;
  readonly events: RecordingEventPublisher;
  readonly fleet: FleetFixture;
  /** Defaults to the planner's token. */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

/** Monday 2026-03-02 09:00 UTC: inside office hours of the default calendar. */
export const TEST_T0 = Date.parse('2026-03-02T09:00:00Z');

/**
 * Starts the service desk on a fresh migrated database (PGlite, or PostgreSQL with TEST_DATABASE_URL) with a
 * frozen clock, the timers of the schedulers off (tests call `tick(now)`), an in-memory event publisher, fleet
 * rows seeded straight into the tables and static bearer tokens for every role.
 */
export async function startServiceDeskApp(
  options: { readonly now?: number; readonly config?: ServiceDeskOptionsInput } = {},
): Promise<ServiceDeskTestApp> {
  const db = await createTestDatabase();
  const fleet = await seedFleet(db.connection.db);
  const clock = new FrozenClock(options.now ?? TEST_T0);
  const events = new RecordingEventPublisher();
  const resolver = { resolve: async (token: string): Promise<Principal | undefined> => fleet.principals.get(token) };
  const moduleRef = await Test.createTestingModule({
    imports: [
      DatabaseModule.forRoot(db.connection),
      PlatformModule,
      ServiceDeskModule.forRoot({
        imports: [recordingEventsModule(events)],
        options: { ...options.config, schedulers: { enabled: false, ...options.config?.schedulers } },
      }),
    ],
    providers: [
      { provide: API_TOKEN_RESOLVER, useValue: resolver },
      { provide: APP_GUARD, useClass: ApiAuthGuard },
      { provide: APP_FILTER, useClass: HttpErrorFilter },
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    db,
    clock,
    events,
    fleet,
    async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
      const token = opts.token === undefined ? fleet.tokens.planner : opts.token;
      const headers: Record<string, string> = { ...opts.headers };
      if (token !== null) headers['authorization'] = `Bearer ${token}`;
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(baseUrl + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      });
      const text = await res.text();
      const json = (res.headers.get('content-type') ?? '').includes('application/json');
      return {
        status: res.status,
        body: (json && text !== '' ? JSON.parse(text) : text) as T,
        headers: res.headers,
        text,
      };
    },
    async close() {
      await app.close();
      await db.dispose();
    },
  };
}
