import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { type INestApplication, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import {
  type Asset,
  PUBLIC_EVENT_PUBLISHER,
  type PublicEvent,
  type PublicEventPublisher,
  type Reading,
} from '#contracts';
import { type DatabaseConnection, DatabaseModule } from '#database';
import { AdminTokenBootstrap, FleetModule } from '#fleet';
import { ApiAuthGuard, Clock, FrozenClock, HttpErrorFilter, PlatformModule } from '#platform';
import { ReadingStream, TELEMETRY_STORE, type TelemetryStore, TelemetryModule } from '#telemetry';
import type { Finding } from '../core/index.js';
import type { AlertChange } from '../alerts/alert.js';
import { AlertService } from '../alerts/alert.service.js';
import type { DetectionOptions } from '../detection-options.js';
import { DetectionModule } from '../detection.module.js';
import { DetectionPipeline } from '../pipeline/detection-pipeline.js';
import { DEVICE_PROFILE_SOURCE, type DeviceProfileSource } from '../profiles/device-profile.js';
import { jsonRequest } from '../../../../test/support/json-request.js';

export const TEST_ADMIN_TOKEN = 'admin-token-for-the-detection-tests';
/** Wall-clock of the tests: 2026-06-01, well after the event times of the series (not live). */
export const WALL = Date.UTC(2026, 5, 1);

/** Records published events (the events lib is another module; its outbox is tested there). */
export class RecordingPublisher implements PublicEventPublisher {
  readonly events: PublicEvent[] = [];
  async publish(event: Omit<PublicEvent, 'id' | 'at'> & { at?: string }): Promise<PublicEvent> {
    const full: PublicEvent = { ...event, id: crypto.randomUUID(), at: event.at ?? new Date().toISOString() };
    this.events.push(full);
    return full;
  }
}

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

export interface DetectionTestApp {
  readonly app: INestApplication;
  readonly clock: FrozenClock;
  readonly publisher: RecordingPublisher;
  readonly pipeline: DetectionPipeline;
  readonly alerts: AlertService;
  readonly store: TelemetryStore;
  readonly findings: Finding[];
  readonly changes: AlertChange[];
  request<T = unknown>(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown },
  ): Promise<ApiResponse<T>>;
  /** Stores readings as ingestion does, publishes the new ones on the reading stream, waits for detection. */
  ingest(readings: readonly Reading[], chunk?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startDetectionApp(setup: {
  connection: DatabaseConnection;
  clock?: FrozenClock;
  options?: Partial<DetectionOptions>;
  /** Replaces the fleet lookup of device profiles (e.g. to make one device fail). */
  profiles?: DeviceProfileSource;
}): Promise<DetectionTestApp> {
  const clock = setup.clock ?? new FrozenClock(WALL);
  const publisher = new RecordingPublisher();
  @Module({ providers: [{ provide: PUBLIC_EVENT_PUBLISHER, useValue: publisher }], exports: [PUBLIC_EVENT_PUBLISHER] })
  class RecordingEventsModule {}
  const telemetry = TelemetryModule.forRoot({ imports: [FleetModule] });
  const builder = Test.createTestingModule({
    imports: [
      PlatformModule,
      DatabaseModule.forRoot(setup.connection),
      FleetModule,
      telemetry,
      DetectionModule.forRoot({
        imports: [FleetModule, telemetry, RecordingEventsModule],
        // Timers long enough not to fire during a test: the tests flush and check explicitly.
        options: { flushIntervalMs: 3_600_000, offlineCheckIntervalMs: 3_600_000, ...setup.options },
      }),
    ],
    providers: [
      { provide: APP_GUARD, useClass: ApiAuthGuard },
      { provide: APP_FILTER, useClass: HttpErrorFilter },
    ],
  })
    .overrideProvider(Clock)
    .useValue(clock);
  if (setup.profiles) builder.overrideProvider(DEVICE_PROFILE_SOURCE).useValue(setup.profiles);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.get(AdminTokenBootstrap).ensure(TEST_ADMIN_TOKEN);
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const pipeline = app.get(DetectionPipeline);
  const alerts = app.get(AlertService);
  const stream = app.get(ReadingStream);
  const store = app.get<TelemetryStore>(TELEMETRY_STORE);
  const findings: Finding[] = [];
  const changes: AlertChange[] = [];
  pipeline.findings$.subscribe((f) => findings.push(f));
  alerts.alerts$.subscribe((c) => changes.push(c));
  return {
    app,
    clock,
    publisher,
    pipeline,
    alerts,
    store,
    findings,
    changes,
    request: jsonRequest(baseUrl, TEST_ADMIN_TOKEN),
    async ingest(readings: readonly Reading[], chunk = 1000) {
      for (let i = 0; i < readings.length; i += chunk) {
        const fresh = await store.insert(readings.slice(i, i + chunk));
        stream.publish(fresh);
      }
      await pipeline.idle();
    },
    async close() {
      await app.close();
    },
  };
}

export const coating = {
  system: 'epoxy zinc primer + PU topcoat',
  nominalDftUm: 300,
  corrosivityCategory: 'C4',
  durability: 'H',
  installedAt: '2024-05-01',
} as const;

/** A customer, an asset with a 300 um coating and a device on it, created through the fleet API. */
export async function createFleet(
  t: DetectionTestApp,
  name: string,
  device: { id: string; samplingIntervalS?: number },
): Promise<{ customerId: string; asset: Asset; deviceId: string }> {
  const customer = await t.request<{ id: string }>('POST', '/api/customers', { body: { name } });
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const asset = await t.request<Asset>('POST', '/api/assets', {
    body: { customerId: customer.body.id, name: `${name} tank`, kind: 'tank', coating },
  });
  if (asset.status !== 201) throw new Error(`asset: ${asset.status} ${JSON.stringify(asset.body)}`);
  const created = await t.request<{ id: string }>('POST', '/api/devices', {
    body: {
      id: device.id,
      assetId: asset.body.id,
      kind: 'dft_gauge',
      samplingIntervalS: device.samplingIntervalS ?? 3600,
    },
  });
  if (created.status !== 201) throw new Error(`device: ${created.status} ${JSON.stringify(created.body)}`);
  return { customerId: customer.body.id, asset: asset.body, deviceId: device.id };
}

export async function issueToken(t: DetectionTestApp, body: Record<string, unknown>): Promise<string> {
  const res = await t.request<{ token: string }>('POST', '/api/tokens', { body });
  if (res.status !== 201) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}
