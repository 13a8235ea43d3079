import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '#platform';
import { EVENTS_OPTIONS, type EventsOptions } from '../events-options.js';
import { EventLogRepository } from '../publishing/event-log.repository.js';
import { DeliveryRepository } from './delivery.repository.js';

/**
 * Keeps the event log and the delivery history bounded. Pending deliveries are never touched: they
 * stay until delivered or dead, however old (that is the outbox's promise).
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RetentionSweeper');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly log: EventLogRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly clock: Clock,
    @Inject(EVENTS_OPTIONS) private readonly options: EventsOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .catch((error: unknown) => this.logger.warn(`retention sweep failed: ${String(error)}`))
        .finally(() => (this.running = undefined));
    }, this.options.retention.sweepMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Answers how many events and settled deliveries were dropped. */
  async sweep(): Promise<{ events: number; deliveries: number }> {
    const now = this.clock.now();
    const { maxEvents, eventMaxAgeMs, deliveryMaxAgeMs } = this.options.retention;
    const events = await this.log.prune(maxEvents, new Date(now - eventMaxAgeMs));
    const deliveries = await this.deliveries.pruneSettled(new Date(now - deliveryMaxAgeMs));
    return { events, deliveries };
  }
}
