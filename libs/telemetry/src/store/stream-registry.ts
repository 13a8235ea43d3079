/**
 * In-memory map (device, metric) -> { stream id, newest stored event time } for the SQL store.
 *
 * The high-water mark is what lets the hot path skip `RETURNING`: a reading newer than everything
 * stored for its stream cannot be a duplicate, so a batch of such readings is inserted blind and all
 * of it is reported new. Only readings at or before the mark (QoS1 redeliveries, out-of-order backfill)
 * take the slower path that asks the database which rows were new. The mark assumes this process is the
 * only writer of its streams (true for one gateway per database); with another writer a duplicate could
 * be reported new to the reading stream (storage stays exact: the primary key still refuses it).
 */
export interface StreamEntry {
  readonly id: number;
  /** Newest stored event time (epoch ms), or -Infinity when the stream has no points. */
  maxTs: number;
}

export function streamKey(deviceId: string, metric: string): string {
  return `${deviceId}\u0000${metric}`;
}

export class StreamRegistry {
  private readonly entries = new Map<string, StreamEntry>();

  /** Bounded: past `capacity` the oldest half is forgotten (it is reloaded from the database on use). */
  constructor(private readonly capacity = 200_000) {}

  get(deviceId: string, metric: string): StreamEntry | undefined {
    return this.entries.get(streamKey(deviceId, metric));
  }

  set(deviceId: string, metric: string, entry: StreamEntry): void {
    if (this.entries.size >= this.capacity) {
      let drop = Math.floor(this.capacity / 2);
      for (const key of this.entries.keys()) {
        if (drop-- <= 0) break;
        this.entries.delete(key);
      }
    }
    this.entries.set(streamKey(deviceId, metric), entry);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
