import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { DatabaseConnection, type DbExecutor } from '#database';
import { EVENTS_OPTIONS, type EventsOptions } from '../events-options.js';

/** The NOTIFY channel raised by every transaction that published public events. */
export const EVENTS_CHANNEL = 'coatwatch_events';

const RELISTEN_DELAY_MS = 5000;

/**
 * "Public events may have committed": wakes the live feed and the outbox dispatcher.
 *
 * A publisher inside the caller's transaction cannot know when (or whether) it commits, so it queues
 * a PostgreSQL NOTIFY in that transaction: PostgreSQL delivers it after the COMMIT and drops it on
 * ROLLBACK (SQL command NOTIFY: "if a NOTIFY is executed inside a transaction, the notify events are
 * not delivered until and unless the transaction is committed"), to every gateway process listening
 * on the same database. The signal is only a wake-up: readers always take what committed from the
 * tables, and poll on a timer too, so a lost notification only costs latency.
 */
@Injectable()
export class CommitSignal implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('CommitSignal');
  private readonly listeners = new Set<() => void>();
  private stopped = false;
  private stopListening: (() => Promise<void>) | undefined;
  private relistenTimer: NodeJS.Timeout | undefined;
  /** The coalesced wake-up due (`commitCoalesceMs`), if one is. */
  private wakeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly connection: DatabaseConnection,
    @Inject(EVENTS_OPTIONS) private readonly options: EventsOptions,
  ) {}

  /** Calls `listener` on every signal; answers the unsubscribe function. */
  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Wakes the listeners of this process (after a change that committed on its own, or a NOTIFY): at once, or
   * with the other signals of the next `commitCoalesceMs` in one wake-up.
   */
  fire(): void {
    if (this.options.commitCoalesceMs <= 0) {
      this.wake();
      return;
    }
    this.wakeTimer ??= setTimeout(() => {
      this.wakeTimer = undefined;
      this.wake();
    }, this.options.commitCoalesceMs);
  }

  private wake(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** Queues the cross-process signal in the executor: sent when (and if) its transaction commits. */
  async notifyOnCommit(executor: DbExecutor): Promise<void> {
    await executor.execute(sql`select pg_notify(${EVENTS_CHANNEL}, '')`);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.listenForCommits) await this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.relistenTimer);
    clearTimeout(this.wakeTimer);
    this.listeners.clear();
    const stop = this.stopListening;
    this.stopListening = undefined;
    await stop?.().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = (this.connection.db as unknown as { $client?: unknown }).$client;
    try {
      if (client instanceof PGlite) {
        this.stopListening = await client.listen(EVENTS_CHANNEL, () => this.fire());
      } else if (client instanceof pg.Pool) {
        this.stopListening = await this.listenOnPool(client);
      } else {
        this.logger.warn('no LISTEN support for this database driver: live events rely on polling');
      }
    } catch (error) {
      this.logger.warn(`LISTEN ${EVENTS_CHANNEL} failed (${String(error)}); retrying, polling meanwhile`);
      this.scheduleRelisten();
    }
  }

  /** node-postgres: LISTEN needs a connection of its own, held for the life of the process. */
  private async listenOnPool(pool: pg.Pool): Promise<() => Promise<void>> {
    const client = await pool.connect();
    let released = false;
    const release = (error?: Error) => {
      if (released) return;
      released = true;
      // Destroy rather than return a LISTENing connection to the pool.
      client.release(error ?? true);
    };
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL) this.fire();
    });
    client.on('error', (error) => {
      release(error);
      if (this.stopped) return;
      this.logger.warn(`LISTEN connection lost (${error.message}); reconnecting`);
      this.scheduleRelisten();
    });
    try {
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
    } catch (error) {
      release(error instanceof Error ? error : new Error(String(error)));
      throw error;
    }
    return async () => release();
  }

  private scheduleRelisten(): void {
    if (this.stopped) return;
    clearTimeout(this.relistenTimer);
    this.relistenTimer = setTimeout(() => {
      // Commits may have happened while nobody listened.
      this.fire();
      void this.listen();
    }, RELISTEN_DELAY_MS);
    this.relistenTimer.unref();
  }
}
