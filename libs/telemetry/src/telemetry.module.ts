import { type DynamicModule, type ModuleMetadata, Module } from '@nestjs/common';
import { ReadingsController } from './http/readings.controller.js';
import {
  BATCH_WRITER_OPTIONS,
  type BatchWriterOptions,
  resolveBatchWriterOptions,
} from './ingest/batch-writer-options.js';
import { BatchWriter } from './ingest/batch-writer.js';
import { IngestController } from './ingest/ingest.controller.js';
import { ReadingStream } from './ingest/reading-stream.js';
import { RejectionReporter } from './ingest/rejection-reporter.js';
import { TelemetryMetrics } from './ingest/telemetry-metrics.js';
import { SqlTelemetryStore } from './store/sql-telemetry-store.js';
import { TELEMETRY_STORE } from './store/telemetry-store.js';

export interface TelemetryModuleOptions {
  /**
   * Modules providing and exporting DEVICE_ACCESS_POLICY (#contracts): the gateway passes the fleet
   * module, tests a stub. The database (DATABASE) and the platform services are global.
   */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  readonly batch?: Partial<BatchWriterOptions>;
}

/**
 * Ingestion (the telemetry event handler of the broker transport), the TelemetryStore on the SQL
 * database, the group-commit BatchWriter, the ReadingStream and the readings API.
 */
@Module({})
export class TelemetryModule {
  static forRoot(options: TelemetryModuleOptions): DynamicModule {
    return {
      module: TelemetryModule,
      imports: [...options.imports],
      controllers: [IngestController, ReadingsController],
      providers: [
        { provide: BATCH_WRITER_OPTIONS, useValue: resolveBatchWriterOptions(options.batch) },
        { provide: TELEMETRY_STORE, useClass: SqlTelemetryStore },
        TelemetryMetrics,
        BatchWriter,
        ReadingStream,
        RejectionReporter,
      ],
      exports: [TELEMETRY_STORE, ReadingStream, BatchWriter],
    };
  }
}
