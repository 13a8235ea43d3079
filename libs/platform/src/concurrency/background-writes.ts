import { setImmediate as nextTurn } from 'node:timers/promises';
import pLimit from 'p-limit';

/** Runs a task as background work: see `backgroundWrites`. */
export type BackgroundWrites = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * A gate for database writes that are not on the ingest's critical path (alert transactions, work orders
 * opened by the automation): at most `concurrency` in flight, first come first served, and each one starts on a
 * new turn of the event loop.
 *
 * Both halves matter with the embedded database (PGlite), which runs one statement at a time on the only
 * JavaScript thread and answers in microtasks:
 * - without the limit, a burst (hundreds of alerts raised together) queues hundreds of transactions ahead of the
 *   ingest's next INSERT, which then waits for all of them;
 * - without the turn, writes chained by promises run back to back in microtasks, and socket reads, PUBACKs and
 *   the ingest's group-commit timer (macrotasks) do not run until the burst is over: the acks stall for seconds.
 */
export function backgroundWrites(concurrency: number): BackgroundWrites {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`background write concurrency must be a positive integer (got ${concurrency})`);
  }
  const limit = pLimit(concurrency);
  return <T>(task: () => Promise<T>) =>
    limit(async () => {
      await nextTurn();
      return task();
    });
}
