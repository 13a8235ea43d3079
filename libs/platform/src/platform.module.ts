import { Global, Module } from '@nestjs/common';
import { Clock } from './clock.js';
import { DomainEventBus } from './domain-event-bus.js';
import { MetricsRegistry } from './metrics.js';

/** Process-wide services every lib may inject: clock, event bus, metrics registry. */
@Global()
@Module({
  providers: [Clock, DomainEventBus, MetricsRegistry],
  exports: [Clock, DomainEventBus, MetricsRegistry],
})
export class PlatformModule {}
