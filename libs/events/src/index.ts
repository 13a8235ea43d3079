/** Public API of the events lib: import it as `#events`. */
export { EventsModule } from './events.module.js';
export {
  DEFAULT_EVENTS_OPTIONS,
  EVENTS_OPTIONS,
  eventsOptions,
  type EventsOptions,
  type EventsOptionsOverrides,
} from './events-options.js';
export { EventPublisher, type PublicEventInput } from './publishing/event-publisher.js';
export { EVENTS_CHANNEL } from './publishing/commit-signal.js';
export type { StoredEvent } from './publishing/event-log.repository.js';
export type { EventPosition } from './publishing/event-position.js';
export { EventFeed, type FeedRequest, type FeedSubscription } from './stream/event-feed.js';
export { OutboxDispatcher } from './outbox/outbox-dispatcher.js';
export { RetentionSweeper } from './outbox/retention-sweeper.js';
export {
  FetchWebhookSender,
  WEBHOOK_SENDER,
  type WebhookRequest,
  type WebhookResponse,
  type WebhookSender,
} from './outbox/webhook-sender.js';
export { WebhookService } from './webhooks/webhook.service.js';
export { signBody, verifySignature, WEBHOOK_HEADERS } from './domain/signature.js';
export { compileTypeFilter, type TypeFilter } from './domain/type-glob.js';
export { inScope, scopeOf, type EventScope } from './domain/visibility.js';
export {
  afterFailedAttempt,
  DEFAULT_RETRY_POLICY,
  maxDelayAfter,
  type RetryDecision,
  type RetryPolicy,
} from './domain/retry-policy.js';
