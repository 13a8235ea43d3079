import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '#platform';
import { afterFailedAttempt } from '../domain/retry-policy.js';
import { signBody, WEBHOOK_HEADERS } from '../domain/signature.js';
import { EventsMetrics } from '../events-metrics.js';
import { EVENTS_OPTIONS, type EventsOptions } from '../events-options.js';
import { CommitSignal } from '../publishing/commit-signal.js';
import { type ClaimedDelivery, DeliveryRepository } from './delivery.repository.js';
import { WEBHOOK_SENDER, type WebhookSender } from './webhook-sender.js';

const USER_AGENT = 'CoatWatch-Webhooks/1';

/**
 * Sends the outbox: claims due deliveries, POSTs each signed event, and records the outcome
 * (delivered on 2xx; otherwise retried per the retry policy, then dead). Runs on a timer and whenever
 * a publish commits. Every decision about time uses the injected Clock, so tests move it by hand.
 *
 * Delivery is at least once: a row is only marked once the receiver answered, so a crash between its
 * answer and the mark sends it again after the lease; receivers de-duplicate on the event id.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('OutboxDispatcher');
  private readonly shutdown = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly clock: Clock,
    @Inject(WEBHOOK_SENDER) private readonly sender: WebhookSender,
    private readonly metrics: EventsMetrics,
    private readonly signal: CommitSignal,
    @Inject(EVENTS_OPTIONS) private readonly options: EventsOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.dispatcher.enabled) return;
    this.unsubscribe = this.signal.on(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.options.dispatcher.pollMs);
    this.timer.unref();
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.unsubscribe?.();
    // In-flight POSTs are cut short and made due again at once: the next start sends them.
    this.shutdown.abort();
    await this.running;
  }

  /** Starts a round now (or one more right after the current round). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Sends everything due now, and resolves when nothing due is left (tests, and an admin "flush"). */
  async flush(): Promise<void> {
    while (!this.stopped) {
      // A background round may hold claimed rows: let it finish before deciding nothing is left.
      await this.running;
      const attempted = await this.round();
      if (attempted === 0 && !this.running) return;
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        // A full batch means more may be due: go again without waiting for the timer.
        if ((await this.round()) >= this.options.dispatcher.batchSize) this.again = true;
      } catch (error) {
        this.logger.error(`outbox round failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    } while (this.again && !this.stopped);
  }

  /** One claim-and-send round; answers how many deliveries it attempted. */
  private async round(): Promise<number> {
    const now = this.clock.now();
    const { batchSize, leaseMs } = this.options.dispatcher;
    const claimed = await this.deliveries.claimDue(new Date(now), new Date(now + leaseMs), batchSize);
    await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
    return claimed.length;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const headers = {
      'content-type': 'application/json',
      'user-agent': USER_AGENT,
      [WEBHOOK_HEADERS.event]: delivery.eventType,
      [WEBHOOK_HEADERS.delivery]: delivery.id,
      [WEBHOOK_HEADERS.signature]: signBody(delivery.secret, delivery.body),
    };
    const signal = AbortSignal.any([AbortSignal.timeout(this.options.dispatcher.timeoutMs), this.shutdown.signal]);
    let status: number | null = null;
    let error: string;
    try {
      const response = await this.sender.send({ url: delivery.url, headers, body: delivery.body, signal });
      status = response.status;
      if (status >= 200 && status < 300) {
        await this.deliveries.markDelivered(delivery.id, this.clock.date(), status);
        this.metrics.delivery('delivered');
        return;
      }
      error = `HTTP ${status}${response.bodySnippet ? `: ${response.bodySnippet.slice(0, 300)}` : ''}`;
    } catch (cause) {
      error = this.describeFailure(cause);
    }
    await this.failed(delivery, status, error);
  }

  private async failed(delivery: ClaimedDelivery, status: number | null, error: string): Promise<void> {
    const now = this.clock.now();
    if (this.shutdown.signal.aborted) {
      // Not the receiver's fault: due again at once, for the next start.
      await this.deliveries.markRetry(delivery.id, new Date(now), status, `interrupted by shutdown (${error})`);
      return;
    }
    const decision = afterFailedAttempt(delivery.attempts, this.options.retry, this.options.random);
    switch (decision.kind) {
      case 'retry':
        await this.deliveries.markRetry(delivery.id, new Date(now + decision.delayMs), status, error);
        this.metrics.delivery('retry');
        return;
      case 'dead':
        await this.deliveries.markDead(delivery.id, new Date(now), status, error);
        this.metrics.delivery('dead');
        this.logger.warn(`webhook delivery ${delivery.id} of event ${delivery.eventId} is dead: ${error}`);
        return;
    }
  }

  private describeFailure(cause: unknown): string {
    if (cause instanceof Error && cause.name === 'TimeoutError') {
      return `no answer within ${this.options.dispatcher.timeoutMs} ms`;
    }
    if (cause instanceof Error) {
      const code = (cause.cause as { code?: unknown } | undefined)?.code;
      return typeof code === 'string' ? `${cause.message} (${code})` : cause.message;
    }
    return String(cause);
  }
}
