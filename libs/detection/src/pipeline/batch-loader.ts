/**
 * Coalesces single-key loads into batches: the keys asked for in one turn of the event loop (a delivery of
 * readings reaches many device lanes at once) are loaded by one call of `loadMany`, so the first sight of N
 * devices costs one query per kind instead of N. One batch runs at a time: keys asked meanwhile wait for
 * the next one, which caps the cold loads queued on the database (it shares the ingest thread when
 * embedded) and makes the next batch larger rather than the queue longer.
 *
 * `loadMany` answers one settled result per key, in order: a key's failure is that key's alone.
 */
export type Settled<V> = { readonly ok: true; readonly value: V } | { readonly ok: false; readonly error: unknown };

interface Waiting<K, V> {
  readonly key: K;
  readonly resolve: (value: V) => void;
  readonly reject: (error: unknown) => void;
}

export class BatchLoader<K, V> {
  private queue: Array<Waiting<K, V>> = [];
  private scheduled = false;
  private running = false;

  constructor(
    private readonly loadMany: (keys: readonly K[]) => Promise<ReadonlyArray<Settled<V>>>,
    private readonly maxBatch: number,
  ) {}

  /** Keys waiting for a batch (queued, not yet being loaded). */
  get waiting(): number {
    return this.queue.length;
  }

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      this.queue.push({ key, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    // After the current turn: every lane a delivery reached has asked by then.
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        let results: ReadonlyArray<Settled<V>>;
        try {
          results = await this.loadMany(batch.map((w) => w.key));
        } catch (error) {
          results = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((w, i) => {
          const r = results[i];
          if (r === undefined) w.reject(new Error('batch loader: no result for a key'));
          else if (r.ok) w.resolve(r.value);
          else w.reject(r.error);
        });
      }
    } finally {
      this.running = false;
    }
  }
}

/** Runs `load` for each key on its own, settled: the fallback when a batch query failed. */
export async function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<Array<Settled<V>>> {
  return Promise.all(
    keys.map((key) =>
      load(key).then(
        (value): Settled<V> => ({ ok: true, value }),
        (error: unknown): Settled<V> => ({ ok: false, error }),
      ),
    ),
  );
}
