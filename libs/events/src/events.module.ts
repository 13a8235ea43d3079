import { type DynamicModule, Module } from '@nestjs/common';
import { PUBLIC_EVENT_PUBLISHER } from '#contracts';
import { EventsMetrics } from './events-metrics.js';
import {
  DEFAULT_EVENTS_OPTIONS,
  EVENTS_OPTIONS,
  eventsOptions,
  type EventsOptionsOverrides,
} from './events-options.js';
import { DeliveryRepository } from './outbox/delivery.repository.js';
import { OutboxDispatcher } from './outbox/outbox-dispatcher.js';
import { RetentionSweeper } from './outbox/retention-sweeper.js';
import { FetchWebhookSender, WEBHOOK_SENDER } from './outbox/webhook-sender.js';
import { CommitSignal } from './publishing/commit-signal.js';
import { EventLogRepository } from './publishing/event-log.repository.js';
import { EventPublisher } from './publishing/event-publisher.js';
import { EventFeed } from './stream/event-feed.js';
import { EventStreams } from './stream/event-streams.js';
import { EventsController } from './stream/events.controller.js';
import { WebhookRepository } from './webhooks/webhook.repository.js';
import { WebhookTargets } from './webhooks/webhook-targets.js';
import { WebhookService } from './webhooks/webhook.service.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';

/**
 * Public events: the publisher (PUBLIC_EVENT_PUBLISHER), the SSE stream at /api/events, webhooks at
 * /api/webhooks and the outbox dispatcher that delivers to them. Needs the global DatabaseModule and
 * PlatformModule (and an API_TOKEN_RESOLVER behind the global ApiAuthGuard) from the application.
 * Import `EventsModule` for the defaults, or `EventsModule.forRoot({...})` to tune timers.
 */
@Module({
  controllers: [EventsController, WebhooksController],
  providers: [
    { provide: EVENTS_OPTIONS, useValue: DEFAULT_EVENTS_OPTIONS },
    { provide: WEBHOOK_SENDER, useClass: FetchWebhookSender },
    CommitSignal,
    EventLogRepository,
    WebhookRepository,
    WebhookTargets,
    DeliveryRepository,
    EventsMetrics,
    EventPublisher,
    { provide: PUBLIC_EVENT_PUBLISHER, useExisting: EventPublisher },
    EventFeed,
    EventStreams,
    WebhookService,
    OutboxDispatcher,
    RetentionSweeper,
  ],
  exports: [PUBLIC_EVENT_PUBLISHER, EventPublisher, EventFeed, OutboxDispatcher, WebhookService, RetentionSweeper],
})
export class EventsModule {
  static forRoot(overrides: EventsOptionsOverrides = {}): DynamicModule {
    return {
      module: EventsModule,
      // Declared after the module's own providers, so it replaces the default options.
      providers: [{ provide: EVENTS_OPTIONS, useValue: eventsOptions(overrides) }],
    };
  }
}
