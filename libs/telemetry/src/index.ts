/**
 * #telemetry: ingestion pipeline (decode -> validate -> group-commit write -> ack -> reading stream),
 * the TelemetryStore port with its SQL adapter, and the readings API.
 *
 * Gateway wiring: `TelemetryModule.forRoot({ imports: [FleetModule], batch: { maxRows, maxWaitMs } })`
 * next to PlatformModule and DatabaseModule.forRoot(...) (both global); FleetModule must export
 * DEVICE_ACCESS_POLICY. The broker transport delivers `TransportPatterns.telemetry` to IngestController
 * and publishes `telemetry.rejected` events on the device's errors topic.
 */
export * from './telemetry.module.js';
export {
  decodeTelemetry,
  type DecodeContext,
  type DecodeResult,
  type Rejection,
} from './decoding/telemetry-decoder.js';
export { parseIsoDateTime, parseWireTimestamp } from './decoding/wire-timestamp.js';
export {
  TELEMETRY_STORE,
  type DeadLetter,
  type ReadingBucket,
  type ReadingPoint,
  type StreamRange,
  type TelemetryStore,
} from './store/telemetry-store.js';
export { SqlTelemetryStore } from './store/sql-telemetry-store.js';
export { BatchWriter, BatchWriterClosedError } from './ingest/batch-writer.js';
export {
  BATCH_WRITER_OPTIONS,
  DEFAULT_BATCH_WRITER_OPTIONS,
  resolveBatchWriterOptions,
  type BatchWriterOptions,
} from './ingest/batch-writer-options.js';
export { ReadingStream, READING_STREAM_OPTIONS, type ReadingStreamOptions } from './ingest/reading-stream.js';
export { IngestController } from './ingest/ingest.controller.js';
export { ReadingsController } from './http/readings.controller.js';
