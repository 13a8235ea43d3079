import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { type Observable, Subject } from 'rxjs';
import type { TypeFilter } from '../domain/type-glob.js';
import { type EventScope, inScope } from '../domain/visibility.js';
import { EVENTS_OPTIONS, type EventsOptions } from '../events-options.js';
import { CommitSignal } from '../publishing/commit-signal.js';
import { EventLogRepository, type StoredEvent } from '../publishing/event-log.repository.js';
import { type EventPosition, START_POSITION } from '../publishing/event-position.js';

const TAIL_BATCH = 500;
const BACKLOG_PAGE = 500;
const RECHECK_MIN_MS = 20;
const HELD_WARNING_MS = 30_000;

export interface FeedSubscription {
  unsubscribe(): void;
}

export interface FeedRequest {
  readonly scope: EventScope;
  readonly types: TypeFilter;
  /** Replay the log after this position first; `null`: live events only. */
  readonly after: EventPosition | null;
  readonly deliver: (event: StoredEvent) => void;
}

/**
 * The live feed of committed public events for this process: one tail of the event log, fanned out
 * to every subscriber (SSE clients, in-process consumers). It reads only settled rows (see the
 * `events` table), so it never shows an event whose transaction rolled back, and never skips one
 * whose transaction committed late. Woken by CommitSignal, and by a timer as a safety net.
 */
@Injectable()
export class EventFeed implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('EventFeed');
  private readonly live = new Subject<StoredEvent>();
  private cursor: EventPosition | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribeSignal: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private subscribers = 0;
  private recheck: NodeJS.Timeout | undefined;
  private recheckMs = RECHECK_MIN_MS;
  private heldSince: number | undefined;
  private warnedHeld = false;

  constructor(
    private readonly log: EventLogRepository,
    private readonly signal: CommitSignal,
    @Inject(EVENTS_OPTIONS) private readonly options: EventsOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Live subscribers start from now: history is only for clients that resume.
    this.cursor = await this.log.head();
    this.unsubscribeSignal = this.signal.on(() => this.wake());
    this.timer = setInterval(() => this.wake(), this.options.feedPollMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.recheck);
    this.unsubscribeSignal?.();
    await this.running;
    this.live.complete();
  }

  /** Committed events as they arrive (every scope, every type). */
  get events$(): Observable<StoredEvent> {
    return this.live.asObservable();
  }

  get subscriberCount(): number {
    return this.subscribers;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Looks for newly settled events now (or once more right after the current look). */
  wake(): void {
    if (this.stopped || this.cursor === undefined) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once every event settled before the call has been fanned out. */
  async catchUp(): Promise<void> {
    await this.running;
    this.wake();
    await this.running;
  }

  /**
   * Subscribes to the events a scope may see and the types pass. With `after`, the log from that
   * position is replayed first; live events arriving meanwhile are held back and follow the replay,
   * so the subscriber sees each event once, in order. `onEnd` is called if the feed stops.
   */
  subscribe(request: FeedRequest, onEnd: () => void): FeedSubscription {
    if (this.cursor === undefined || this.stopped) throw new Error('the event feed is not running');
    const accept = (e: StoredEvent) => inScope(request.scope, e.event) && request.types(e.event.type);
    let held: StoredEvent[] | undefined = request.after === null ? undefined : [];
    let active = true;
    // A subscriber that throws is dropped; it must not break the fan-out to the others.
    const deliver = (e: StoredEvent): void => {
      try {
        request.deliver(e);
      } catch (error) {
        this.logger.warn(
          `dropping a subscriber that failed: ${error instanceof Error ? error.message : String(error)}`,
        );
        end();
        onEnd();
      }
    };
    const subscription = this.live.subscribe({
      next: (e) => {
        if (!active || !accept(e)) return;
        if (held) held.push(e);
        else deliver(e);
      },
      complete: () => {
        if (active) onEnd();
      },
    });
    this.subscribers++;
    const end = (): void => {
      if (!active) return;
      active = false;
      this.subscribers--;
      subscription.unsubscribe();
    };
    if (request.after !== null) {
      // Everything up to the cursor comes from the log; everything after it, live (held meanwhile).
      const upTo = this.cursor;
      void this.replay(request, request.after, upTo, accept, deliver, () => active)
        .then(() => {
          const backlog = held ?? [];
          held = undefined;
          for (const e of backlog) if (active) deliver(e);
        })
        .catch((error: unknown) => {
          this.logger.warn(`replay failed: ${error instanceof Error ? error.message : String(error)}`);
          end();
          onEnd();
        });
    }
    return { unsubscribe: end };
  }

  /** The position of an event still in the log. */
  positionOf(eventId: string): Promise<EventPosition | undefined> {
    return this.log.positionOf(eventId);
  }

  private async replay(
    request: FeedRequest,
    from: EventPosition,
    upTo: EventPosition,
    accept: (e: StoredEvent) => boolean,
    deliver: (e: StoredEvent) => void,
    isActive: () => boolean,
  ): Promise<void> {
    let position = from;
    while (isActive()) {
      const page = await this.log.page(position, upTo, request.scope, BACKLOG_PAGE);
      for (const e of page) {
        if (!isActive()) return;
        if (accept(e)) deliver(e);
      }
      const last = page.at(-1);
      if (!last || page.length < BACKLOG_PAGE) return;
      position = last.position;
    }
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        const { events, heldBack } = await this.log.tail(this.cursor ?? START_POSITION, TAIL_BATCH);
        for (const e of events) {
          this.cursor = e.position;
          this.live.next(e);
        }
        if (events.length === TAIL_BATCH) this.again = true;
        this.noteHeldBack(heldBack);
      } catch (error) {
        if (!this.stopped) {
          this.logger.error(`reading the event log failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    } while (this.again && !this.stopped);
  }

  /**
   * Committed events wait while an older transaction runs (it might still add events before them).
   * Its commit raises no signal when it published nothing, so look again soon rather than at the next
   * timer tick; and say so when something holds the feed for long (an idle-in-transaction session).
   */
  private noteHeldBack(heldBack: boolean): void {
    clearTimeout(this.recheck);
    if (!heldBack) {
      this.heldSince = undefined;
      this.warnedHeld = false;
      this.recheckMs = RECHECK_MIN_MS;
      return;
    }
    const now = Date.now();
    this.heldSince ??= now;
    if (now - this.heldSince > HELD_WARNING_MS && !this.warnedHeld) {
      this.warnedHeld = true;
      this.logger.warn(
        `live events held back for ${Math.round((now - this.heldSince) / 1000)} s by a long-running database transaction`,
      );
    }
    this.recheck = setTimeout(() => this.wake(), this.recheckMs);
    this.recheck.unref();
    this.recheckMs = Math.min(this.recheckMs * 2, this.options.feedPollMs);
  }
}
