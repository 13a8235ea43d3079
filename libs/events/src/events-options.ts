import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './domain/retry-policy.js';

/** Tunables of the events lib; the defaults suit production, tests shorten the timers. */
export interface EventsOptions {
  /** Safety-net poll of the event log for the live feed; commits normally wake it at once (LISTEN/NOTIFY). */
  readonly feedPollMs: number;
  /** Comment line sent on idle SSE streams so proxies and load balancers keep them open. */
  readonly heartbeatMs: number;
  /** `retry:` advertised to SSE clients: how long they wait before reconnecting. */
  readonly sseRetryMs: number;
  /** A client this far behind (bytes queued in the socket) is disconnected; it resumes with Last-Event-ID. */
  readonly sseMaxBufferedBytes: number;
  /** Use PostgreSQL LISTEN/NOTIFY to learn of commits at once (false: polling only). */
  readonly listenForCommits: boolean;
  /**
   * Commit signals within this window wake the feed and the outbox once (0: every signal at once). A burst of
   * commits (hundreds of alerts raised together) would otherwise cost a log read and an outbox claim per commit,
   * on the ingest thread with the embedded database; this is the most it delays a live event.
   */
  readonly commitCoalesceMs: number;
  /**
   * How long the publisher keeps the list of active webhooks (0: read it for every event). Changes made in this
   * process apply at once; changes made by another gateway process on the same database within this time.
   */
  readonly webhookTargetsTtlMs: number;
  readonly dispatcher: {
    /** false: no background loop (a process that only publishes); `flush()` still works. */
    readonly enabled: boolean;
    /** How often the loop looks for due deliveries when nothing woke it. */
    readonly pollMs: number;
    /** Deliveries claimed (and sent concurrently) per round. */
    readonly batchSize: number;
    /** Per-request timeout of a webhook POST. */
    readonly timeoutMs: number;
    /** A claimed delivery is due again after this long if its sender vanished (crash mid-send). */
    readonly leaseMs: number;
  };
  readonly retry: RetryPolicy;
  /** Uniform [0, 1) source of the retry jitter. */
  readonly random: () => number;
  readonly retention: {
    /** The event log keeps at most this many events (what SSE clients can resume from)... */
    readonly maxEvents: number;
    /** ...and none older than this. */
    readonly eventMaxAgeMs: number;
    /** Delivered and dead deliveries are kept this long for `GET /api/webhooks/{id}/deliveries`. */
    readonly deliveryMaxAgeMs: number;
    readonly sweepMs: number;
  };
}

const DAY = 24 * 3600_000;

export const DEFAULT_EVENTS_OPTIONS: EventsOptions = {
  feedPollMs: 1000,
  heartbeatMs: 15_000,
  sseRetryMs: 3000,
  sseMaxBufferedBytes: 1024 * 1024,
  listenForCommits: true,
  commitCoalesceMs: 25,
  webhookTargetsTtlMs: 5_000,
  dispatcher: { enabled: true, pollMs: 1000, batchSize: 20, timeoutMs: 10_000, leaseMs: 60_000 },
  retry: DEFAULT_RETRY_POLICY,
  random: Math.random,
  retention: { maxEvents: 10_000, eventMaxAgeMs: 7 * DAY, deliveryMaxAgeMs: 7 * DAY, sweepMs: 10 * 60_000 },
};

export type EventsOptionsOverrides = Partial<Omit<EventsOptions, 'dispatcher' | 'retention'>> & {
  readonly dispatcher?: Partial<EventsOptions['dispatcher']>;
  readonly retention?: Partial<EventsOptions['retention']>;
};

export function eventsOptions(overrides: EventsOptionsOverrides = {}): EventsOptions {
  return {
    ...DEFAULT_EVENTS_OPTIONS,
    ...overrides,
    dispatcher: { ...DEFAULT_EVENTS_OPTIONS.dispatcher, ...overrides.dispatcher },
    retention: { ...DEFAULT_EVENTS_OPTIONS.retention, ...overrides.retention },
  };
}

export const EVENTS_OPTIONS = Symbol('EventsOptions');
