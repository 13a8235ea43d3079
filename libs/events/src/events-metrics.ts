import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { MetricsRegistry } from '#platform';
import { DeliveryRepository } from './outbox/delivery.repository.js';

export const DELIVERY_OUTCOMES = ['delivered', 'retry', 'dead'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

/** The events lib's Prometheus metrics, registered on the process registry. */
@Injectable()
export class EventsMetrics {
  readonly published: Counter;
  readonly deliveries: Counter<'outcome'>;
  readonly sseClients: Gauge;

  constructor(metrics: MetricsRegistry, deliveries: DeliveryRepository) {
    const registers = [metrics.registry];
    this.published = new Counter({
      name: 'events_published_total',
      help: 'Public events written to the event log (counted at publish, including ones later rolled back)',
      registers,
    });
    this.deliveries = new Counter({
      name: 'events_webhook_deliveries_total',
      help: 'Webhook delivery attempts by outcome: delivered (2xx), retry (failed, will be retried), dead (gave up)',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of DELIVERY_OUTCOMES) this.deliveries.inc({ outcome }, 0);
    this.sseClients = new Gauge({ name: 'events_sse_clients', help: 'Open Server-Sent Events streams', registers });
    new Gauge({
      name: 'events_webhook_outbox_pending',
      help: 'Webhook deliveries neither delivered nor dead (read from the database at scrape time)',
      registers,
      async collect() {
        try {
          this.set(await deliveries.countPending());
        } catch {
          // Database unavailable (shutting down): keep the last value rather than fail the scrape.
        }
      },
    });
  }

  delivery(outcome: DeliveryOutcome): void {
    this.deliveries.inc({ outcome });
  }
}
