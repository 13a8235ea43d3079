import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DbExecutor } from '#database';
import { Clock } from '#platform';
import { compileTypeFilter, type TypeFilter } from '../domain/type-glob.js';
import { EVENTS_OPTIONS, type EventsOptions } from '../events-options.js';
import { WebhookRepository } from './webhook.repository.js';

interface Target {
  readonly id: string;
  readonly accepts: TypeFilter;
}

/**
 * The active webhooks and their compiled type filters, as the publisher needs them for every event. Read
 * once per `webhookTargetsTtlMs` instead of once per event: a burst of alerts publishes hundreds of events
 * in a few seconds, each in its own transaction on the ingest's database.
 *
 * A change made in this process (WebhookService) drops the list at once; a change made by another gateway
 * process on the same database is seen within the TTL (the outbox rows of events published meanwhile follow
 * the list this process held).
 */
@Injectable()
export class WebhookTargets {
  private readonly logger = new Logger('WebhookTargets');
  private cached: { readonly until: number; readonly targets: readonly Target[] } | undefined;
  /** Bumped by every invalidation: a read that started before one must not install its (older) list. */
  private generation = 0;

  constructor(
    private readonly webhooks: WebhookRepository,
    private readonly clock: Clock,
    @Inject(EVENTS_OPTIONS) private readonly options: EventsOptions,
  ) {}

  /** Ids of the active webhooks whose filters take `type`, read in `executor` (the publisher's transaction) when due. */
  async matching(executor: DbExecutor, type: string): Promise<string[]> {
    const targets = await this.current(executor);
    return targets.filter((t) => t.accepts(type)).map((t) => t.id);
  }

  /** A webhook was created, changed or deleted in this process: the next event reads the list again. */
  invalidate(): void {
    this.generation++;
    this.cached = undefined;
  }

  private async current(executor: DbExecutor): Promise<readonly Target[]> {
    const now = this.clock.now();
    if (this.cached && now < this.cached.until) return this.cached.targets;
    const generation = this.generation;
    const rows = await this.webhooks.listActive(executor);
    const targets = rows.map((w) => ({ id: w.id, accepts: this.filterOf(w) }));
    const ttl = this.options.webhookTargetsTtlMs;
    if (ttl > 0 && generation === this.generation) this.cached = { until: now + ttl, targets };
    return targets;
  }

  /** A webhook row edited by hand into an invalid filter must not fail every publish: it gets nothing. */
  private filterOf(webhook: { id: string; types: string[] }): TypeFilter {
    try {
      return compileTypeFilter(webhook.types);
    } catch (error) {
      this.logger.warn(`webhook ${webhook.id} skipped: ${error instanceof Error ? error.message : String(error)}`);
      return () => false;
    }
  }
}
