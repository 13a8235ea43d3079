import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { BusyTime, MetricsRegistry } from '#platform';

/** Prometheus metrics of the detection pipeline. */
@Injectable()
export class DetectionMetrics {
  readonly readings: Counter;
  readonly findings: Counter<'kind' | 'phase'>;
  readonly alertChanges: Counter<'type'>;
  readonly latency: Histogram;
  readonly judging: BusyTime;
  readonly errors: Counter<'stage'>;
  readonly overflow: Counter;
  readonly streams: Gauge;
  readonly warmups: Counter;
  readonly restores: Counter;
  readonly stateRows: Counter;
  readonly stateWrite: Histogram;
  readonly held: Counter<'kind'>;
  readonly attributedAlerts: Counter<'kind'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.readings = new Counter({
      name: 'detection_readings_total',
      help: 'Readings run through the detectors (live, gap re-reads and warm-ups)',
      registers,
    });
    this.findings = new Counter({
      name: 'detection_findings_total',
      help: 'Findings of the detectors, by kind and phase',
      labelNames: ['kind', 'phase'],
      registers,
    });
    this.alertChanges = new Counter({
      name: 'detection_alert_changes_total',
      help: 'Alert changes (raised, escalated, cleared, acknowledged...)',
      labelNames: ['type'],
      registers,
    });
    this.latency = new Histogram({
      name: 'detection_latency_seconds',
      help: 'Wall-clock time from a reading reaching the pipeline to its findings being applied',
      buckets: [0.001, 0.005, 0.02, 0.1, 0.5, 2, 10, 60],
      registers,
    });
    this.judging = new BusyTime(
      'detection_judging_seconds_total',
      'Event-loop time judging lane batches whose streams are ready (the steady-state hot path: warm-ups, re-reads, alert writes and state flushes are not in it)',
      registers,
    );
    this.errors = new Counter({
      name: 'detection_errors_total',
      help: 'Errors isolated to one device batch, by stage',
      labelNames: ['stage'],
      registers,
    });
    this.overflow = new Counter({
      name: 'detection_lane_overflow_total',
      help: 'Readings not buffered because their device lane was full (re-read from the store later)',
      registers,
    });
    this.streams = new Gauge({ name: 'detection_streams', help: 'Streams held in memory', registers });
    this.warmups = new Counter({
      name: 'detection_warmups_total',
      help: 'Streams warmed up from stored history',
      registers,
    });
    this.restores = new Counter({
      name: 'detection_restores_total',
      help: 'Streams restored from a snapshot',
      registers,
    });
    this.stateRows = new Counter({
      name: 'detection_state_rows_written_total',
      help: 'Detector snapshots written',
      registers,
    });
    this.stateWrite = new Histogram({
      name: 'detection_state_write_seconds',
      help: 'Wall-clock time of one statement writing detector snapshots (on the embedded database, time the ingest thread is held)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    this.held = new Counter({
      name: 'detection_findings_held_total',
      help: 'Asset-fault findings held back (no alert) because their own sensor drifts, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.attributedAlerts = new Counter({
      name: 'detection_alerts_attributed_to_drift_total',
      help: 'Open asset-fault alerts resolved because their own sensor drifts, by kind',
      labelNames: ['kind'],
      registers,
    });
  }
}
