/**
 * Collects last-seen times between writes: one entry per device, the latest time wins, so any
 * number of messages from a device between two flushes cost one row of one UPDATE.
 */
export class LastSeenCoalescer {
  private pending = new Map<string, number>();

  note(deviceId: string, at: number): void {
    const current = this.pending.get(deviceId);
    if (current === undefined || at > current) this.pending.set(deviceId, at);
  }

  /** Hands over what was collected and starts afresh. */
  drain(): Array<{ readonly deviceId: string; readonly at: number }> {
    const drained = [...this.pending].map(([deviceId, at]) => ({ deviceId, at }));
    this.pending = new Map();
    return drained;
  }

  get size(): number {
    return this.pending.size;
  }
}
