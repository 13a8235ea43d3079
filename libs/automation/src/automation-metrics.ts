import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { MetricsRegistry } from '#platform';

/** Prometheus metrics of the alert -> work order automation. */
@Injectable()
export class AutomationMetrics {
  readonly workOrders: Counter<'outcome'>;
  readonly skipped: Counter<'reason'>;
  readonly retries: Counter;
  readonly failures: Counter<'reason'>;
  readonly latency: Histogram;
  readonly queued: Gauge;
  readonly reconciled: Counter<'kind'>;
  readonly falseAlarms: Counter<'outcome'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.workOrders = new Counter({
      name: 'automation_work_orders_total',
      help: 'Alerts handed to the service desk, by outcome (opened, linked, already_linked; attribution_recorded, attribution_already_recorded, attribution_no_open_work_order: alerts cleared as sensor drift noted on their work order)',
      labelNames: ['outcome'],
      registers,
    });
    this.skipped = new Counter({
      name: 'automation_alerts_skipped_total',
      help: 'Alert changes that open no work order, by reason (policy, not_a_trigger)',
      labelNames: ['reason'],
      registers,
    });
    this.retries = new Counter({
      name: 'automation_retries_total',
      help: 'Attempts retried after a transient failure',
      registers,
    });
    this.failures = new Counter({
      name: 'automation_failures_total',
      help: 'Alerts left without a work order for now, by reason (permanent, gave_up, stopping); reconciliation retries them',
      labelNames: ['reason'],
      registers,
    });
    this.latency = new Histogram({
      name: 'automation_latency_seconds',
      help: 'Wall-clock time from an alert change to its work order (retries included)',
      buckets: [0.005, 0.02, 0.1, 0.5, 2, 10, 60],
      registers,
    });
    this.queued = new Gauge({
      name: 'automation_queued',
      help: 'Work-order requests queued or in flight',
      registers,
    });
    this.reconciled = new Counter({
      name: 'automation_reconciled_total',
      help: 'What a reconciliation caught up on: work_order (an open alert without one), false_alarm (not fed back)',
      labelNames: ['kind'],
      registers,
    });
    this.falseAlarms = new Counter({
      name: 'automation_false_alarms_total',
      help: 'Work orders cancelled as false alarm fed back to detection, by outcome (fed_back, already, unknown_alert, failed)',
      labelNames: ['outcome'],
      registers,
    });
  }
}
