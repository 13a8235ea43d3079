import { Inject, Injectable, type OnModuleDestroy, ServiceUnavailableException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Principal } from '#contracts';
import { ALL_TYPES, compileTypeFilter } from '../domain/type-glob.js';
import { scopeOf } from '../domain/visibility.js';
import { EventsMetrics } from '../events-metrics.js';
import { EVENTS_OPTIONS, type EventsOptions } from '../events-options.js';
import { START_POSITION } from '../publishing/event-position.js';
import { EventFeed, type FeedSubscription } from './event-feed.js';
import { SseConnection } from './sse-connection.js';

export interface StreamRequest {
  readonly principal: Principal;
  /** Type filters; undefined: every type. */
  readonly types: readonly string[] | undefined;
  /** Resume after this event; undefined: live events only. */
  readonly lastEventId: string | undefined;
}

/** The open SSE streams of this process: starts them on the feed, ends them all on shutdown. */
@Injectable()
export class EventStreams implements OnModuleDestroy {
  private readonly open = new Set<SseConnection>();

  constructor(
    private readonly feed: EventFeed,
    private readonly metrics: EventsMetrics,
    @Inject(EVENTS_OPTIONS) private readonly options: EventsOptions,
  ) {}

  get count(): number {
    return this.open.size;
  }

  async start(request: StreamRequest, req: Request, res: Response): Promise<void> {
    if (this.feed.isStopped) throw new ServiceUnavailableException({ message: 'shutting down' });
    // An id no longer in the log (pruned, or from another installation): replay all that is kept;
    // clients de-duplicate on the id, which beats silently missing events.
    const after =
      request.lastEventId === undefined ? null : ((await this.feed.positionOf(request.lastEventId)) ?? START_POSITION);
    const connection = new SseConnection(req, res, {
      heartbeatMs: this.options.heartbeatMs,
      retryMs: this.options.sseRetryMs,
      maxBufferedBytes: this.options.sseMaxBufferedBytes,
    });
    connection.open();
    if (connection.isClosed) return;
    let subscription: FeedSubscription;
    try {
      subscription = this.feed.subscribe(
        {
          scope: scopeOf(request.principal),
          types: request.types === undefined ? ALL_TYPES : compileTypeFilter(request.types),
          after,
          deliver: (event) => connection.send(event),
        },
        () => connection.close(),
      );
    } catch (error) {
      // Headers are out: the error filter can no longer answer, so end the stream here.
      connection.close();
      throw error;
    }
    this.open.add(connection);
    this.metrics.sseClients.inc();
    connection.onClose(() => {
      subscription.unsubscribe();
      this.open.delete(connection);
      this.metrics.sseClients.dec();
    });
  }

  /** Ends every stream first, or closing the HTTP server would wait for them forever. */
  onModuleDestroy(): void {
    for (const connection of [...this.open]) connection.close();
  }
}
