/**
 * The messages of one device that the broker has not acknowledged yet. A message leaves only on its
 * PUBACK (MQTT-4.3.2: QoS 1 "at least once"): when the connection drops, the in-flight ones go back to
 * the front, in their original order, and are sent again after the reconnect. Nothing is ever dropped.
 * Pure: no timers, no sockets.
 */
export class Outbox<T> {
  private pending: T[] = [];
  private head = 0;
  private readonly inFlight = new Map<number, T>();
  private nextId = 1;

  /** Messages not yet acknowledged (queued + in flight). */
  get size(): number {
    return this.pending.length - this.head + this.inFlight.size;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  get queuedCount(): number {
    return this.pending.length - this.head;
  }

  enqueue(message: T): void {
    this.pending.push(message);
  }

  /** The next message to publish, now counted as in flight; undefined when none is queued. */
  take(): { readonly id: number; readonly message: T } | undefined {
    if (this.head >= this.pending.length) return undefined;
    const message = this.pending[this.head]!;
    this.head++;
    // Compact now and then so a long run does not keep every sent message alive.
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    const id = this.nextId++;
    this.inFlight.set(id, message);
    return { id, message };
  }

  /** The broker acknowledged message `id`; answers it, or undefined if it was not in flight. */
  ack(id: number): T | undefined {
    const message = this.inFlight.get(id);
    if (message !== undefined) this.inFlight.delete(id);
    return message;
  }

  /** The connection is gone: every in-flight message is queued again, ahead of the rest, oldest first. */
  requeueInFlight(): number {
    const count = this.inFlight.size;
    if (count === 0) return 0;
    // Map iteration follows insertion order, which is the order they were taken in.
    const back = [...this.inFlight.values()];
    this.inFlight.clear();
    this.pending = [...back, ...this.pending.slice(this.head)];
    this.head = 0;
    return count;
  }
}
