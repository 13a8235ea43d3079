/**
 * Runs tasks one at a time per key and concurrently across keys: the work orders of one asset are decided in
 * the order its alerts were committed, and a slow asset does not hold the others up. A key's chain is dropped
 * once it has run dry, so memory follows the keys with work in flight, not every key ever seen.
 */
export class KeyedSerialQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private running = 0;
  private waiters: Array<() => void> = [];

  /** Tasks queued or running. */
  get size(): number {
    return this.running;
  }

  /** Queues `task` after the key's earlier tasks; resolves or rejects with it (a failure does not stop the key). */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.running++;
    const previous = this.tails.get(key) ?? Promise.resolve();
    // Bookkeeping before the caller hears the result: `size` and `idle()` are exact when it does.
    const result = previous.then(task).finally(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
      this.running--;
      if (this.running === 0) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      }
    });
    const tail: Promise<void> = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    return result;
  }

  /** Resolves when no task is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
