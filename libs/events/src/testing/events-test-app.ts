import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { type DatabaseConnection, DatabaseModule } from '#database';
import { AdminTokenBootstrap, FleetModule } from '#fleet';
import { ApiAuthGuard, Clock, FrozenClock, HttpErrorFilter, PlatformModule } from '#platform';
import { EventsModule } from '../events.module.js';
import { type EventsOptionsOverrides } from '../events-options.js';
import { OutboxDispatcher } from '../outbox/outbox-dispatcher.js';
import { RetentionSweeper } from '../outbox/retention-sweeper.js';
import { EventPublisher } from '../publishing/event-publisher.js';
import { EventFeed } from '../stream/event-feed.js';
import { EventStreams } from '../stream/event-streams.js';
import { jsonRequest } from '../../../../test/support/json-request.js';

export const TEST_ADMIN_TOKEN = 'admin-token-for-the-events-tests';
/** 2026-11-22T08:00:00Z, a Sunday morning. */
export const T0 = Date.parse('2026-11-22T08:00:00Z');

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** The events lib wired as the gateway wires it (fleet for tokens, global guard and filter), on real HTTP. */
export interface EventsTestApp {
  readonly app: INestApplication;
  readonly connection: DatabaseConnection;
  readonly baseUrl: string;
  readonly clock: FrozenClock;
  readonly publisher: EventPublisher;
  readonly dispatcher: OutboxDispatcher;
  readonly feed: EventFeed;
  readonly streams: EventStreams;
  readonly sweeper: RetentionSweeper;
  request<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown },
  ): Promise<ApiResponse<T>>;
  /** Closes the app, and with it (DatabaseModule) the connection. */
  close(): Promise<void>;
}

export interface EventsTestAppOptions {
  readonly connection: DatabaseConnection;
  readonly clock?: FrozenClock;
  /** Short timers by default (fast tests); override what a test is about. */
  readonly options?: EventsOptionsOverrides;
}

export const FAST_TIMERS: EventsOptionsOverrides = {
  feedPollMs: 200,
  heartbeatMs: 15_000,
  dispatcher: { pollMs: 100, timeoutMs: 2000 },
};

export async function startEventsTestApp(setup: EventsTestAppOptions): Promise<EventsTestApp> {
  const clock = setup.clock ?? new FrozenClock(T0);
  const options = { ...FAST_TIMERS, ...setup.options };
  const moduleRef = await Test.createTestingModule({
    imports: [
      DatabaseModule.forRoot(setup.connection),
      PlatformModule,
      FleetModule,
      EventsModule.forRoot({ ...options, dispatcher: { ...FAST_TIMERS.dispatcher, ...setup.options?.dispatcher } }),
    ],
    providers: [
      { provide: APP_GUARD, useClass: ApiAuthGuard },
      { provide: APP_FILTER, useClass: HttpErrorFilter },
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock)
    .compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.get(AdminTokenBootstrap).ensure(TEST_ADMIN_TOKEN);
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    connection: setup.connection,
    baseUrl,
    clock,
    publisher: app.get(EventPublisher),
    dispatcher: app.get(OutboxDispatcher),
    feed: app.get(EventFeed),
    streams: app.get(EventStreams),
    sweeper: app.get(RetentionSweeper),
    request: jsonRequest(baseUrl, TEST_ADMIN_TOKEN),
    async close() {
      await app.close();
    },
  };
}
