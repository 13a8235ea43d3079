/**
 * Lets `device.seen` through at most once per interval per device: fleet stores last-seen time from it,
 * and a device publishing every second must not cost a database write every second.
 */
export class SeenThrottle {
  private readonly lastEmitted = new Map<string, number>();
  private pruneAbove = 10_000;

  constructor(private readonly intervalMs: number) {}

  /** True when the device's traffic at `now` should be reported. */
  shouldEmit(deviceId: string, now: number): boolean {
    const last = this.lastEmitted.get(deviceId);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.lastEmitted.set(deviceId, now);
    if (this.lastEmitted.size > this.pruneAbove) this.prune(now);
    return true;
  }

  get size(): number {
    return this.lastEmitted.size;
  }

  /** Entries older than the interval decide nothing any more; dropping them bounds the map. */
  private prune(now: number): void {
    for (const [deviceId, last] of this.lastEmitted) {
      if (now - last >= this.intervalMs) this.lastEmitted.delete(deviceId);
    }
    this.pruneAbove = Math.max(10_000, this.lastEmitted.size * 2);
  }
}
