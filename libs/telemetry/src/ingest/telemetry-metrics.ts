import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { REJECTION_REASONS, type RejectionReason } from '#contracts';
import { BusyTime, MetricsRegistry } from '#platform';

/** The ingestion pipeline's Prometheus metrics, registered on the process registry. */
@Injectable()
export class TelemetryMetrics {
  readonly batchWriteSeconds: Histogram;
  readonly readingsAccepted: Counter;
  readonly readingsDuplicate: Counter;
  readonly readingsRejected: Counter<'reason'>;
  readonly bufferedRows: Gauge;
  readonly streamPending: Gauge;
  readonly streamDropped: Counter;
  readonly streamDelivery: BusyTime;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.batchWriteSeconds = new Histogram({
      name: 'telemetry_batch_write_seconds',
      help: 'Duration of one group-commit write of readings to the telemetry store',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.readingsAccepted = new Counter({
      name: 'telemetry_readings_accepted_total',
      help: 'Readings stored for the first time',
      registers,
    });
    this.readingsDuplicate = new Counter({
      name: 'telemetry_readings_duplicate_total',
      help: 'Valid readings already stored (QoS1 redelivery, re-sent backlog), not stored again',
      registers,
    });
    this.readingsRejected = new Counter({
      name: 'telemetry_readings_rejected_total',
      help: 'Readings refused at decoding, by reason',
      labelNames: ['reason'],
      registers,
    });
    // Every reason exists from the start, so a dashboard sees 0 rather than no series.
    for (const reason of REJECTION_REASONS) this.readingsRejected.inc({ reason }, 0);
    this.bufferedRows = new Gauge({
      name: 'telemetry_batch_buffered_rows',
      help: 'Readings waiting for the next group-commit write',
      registers,
    });
    this.streamPending = new Gauge({
      name: 'telemetry_stream_pending_readings',
      help: 'Stored readings queued for delivery to the reading stream subscribers',
      registers,
    });
    this.streamDropped = new Counter({
      name: 'telemetry_stream_dropped_total',
      help: 'Stored readings not delivered to the reading stream because its subscribers fell too far behind',
      registers,
    });
    this.streamDelivery = new BusyTime(
      'telemetry_stream_delivery_seconds_total',
      "Event-loop time the reading stream's subscribers took to take delivered readings (detection: lanes and drift against paired sensors)",
      registers,
    );
  }

  rejected(reason: RejectionReason, count: number): void {
    this.readingsRejected.inc({ reason }, count);
  }
}
