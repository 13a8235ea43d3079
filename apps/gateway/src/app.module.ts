import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { AutomationModule } from '#automation';
import { BrokerModule } from '#broker';
import { DatabaseConnection, DatabaseModule } from '#database';
import { DetectionModule } from '#detection';
import { EventsModule } from '#events';
import { FleetModule } from '#fleet';
import { ApiAuthGuard, HttpErrorFilter, PlatformModule } from '#platform';
import { ServiceDeskModule } from '#service-desk';
import { TelemetryModule } from '#telemetry';
import type { GatewayConfig } from './config.js';
import { HealthController } from './ops/health.controller.js';

/** Composition root: wires the libs together. No domain logic lives here. */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, database: DatabaseConnection): DynamicModule {
    // One telemetry module object, imported by the app and by detection: one reading stream.
    const telemetry = TelemetryModule.forRoot({
      imports: [FleetModule],
      batch: { maxRows: config.batchMaxRows, maxWaitMs: config.batchMaxWaitMs },
    });
    const events = EventsModule.forRoot();
    // The same module objects are imported by the app and by the automation: one AlertService, one service desk.
    const serviceDesk = ServiceDeskModule.forRoot({ imports: [events] });
    const detection = DetectionModule.forRoot({
      imports: [FleetModule, telemetry, events],
      options: { enabled: config.detectionEnabled },
    });
    return {
      module: AppModule,
      imports: [
        PlatformModule,
        DatabaseModule.forRoot(database),
        FleetModule,
        events,
        BrokerModule.forRoot({
          imports: [FleetModule],
          options: {
            host: config.host,
            mqttPort: config.mqttPort,
            wsPort: config.mqttWsPort,
            maxPacketBytes: config.maxPacketBytes,
            authCacheTtlMs: config.authCacheTtlMs,
            seenThrottleMs: 5_000,
          },
        }),
        telemetry,
        serviceDesk,
        detection,
        // Alerts -> work orders, false alarms -> detection: neither lib imports the other.
        AutomationModule.forRoot({ imports: [detection, serviceDesk, events] }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: APP_GUARD, useClass: ApiAuthGuard },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
