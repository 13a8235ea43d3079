import { Counter, type Registry } from 'prom-client';

/**
 * Seconds of the event loop a hot path spends in its own synchronous work, as a Prometheus counter. The time is
 * added up in a plain number (`add`, a few nanoseconds) and handed to the counter when it is scraped: a
 * prom-client `inc` per batch would cost more than the timing itself.
 *
 * Read against the process's CPU time (`process_cpu_seconds_total`) of the same run, it says what share of the
 * process that path takes, whatever the machine's speed at the time.
 */
export class BusyTime {
  private pendingMs = 0;
  readonly counter: Counter;

  constructor(name: string, help: string, registers: Registry[]) {
    const flush = (counter: Counter): void => {
      if (this.pendingMs === 0) return;
      counter.inc(this.pendingMs / 1000);
      this.pendingMs = 0;
    };
    this.counter = new Counter({
      name,
      help,
      registers,
      collect() {
        flush(this);
      },
    });
  }

  /** Adds the time since `startMs` (a `performance.now()` reading). */
  since(startMs: number): void {
    this.pendingMs += performance.now() - startMs;
  }

  /** Seconds counted so far (scraped or not). */
  async seconds(): Promise<number> {
    const value = (await this.counter.get()).values[0]?.value ?? 0;
    return value + this.pendingMs / 1000;
  }
}
