/** Wall-clock access of the run loop, injectable so tests need no real waiting. */
export interface WallClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: WallClock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export type Speed = 'max' | number;

/**
 * Maps event time to wall time: `--speed 3600` plays one simulated hour per second; `max` never waits
 * (the transport's backpressure sets the pace, i.e. the gateway's acks).
 */
export class Pacer {
  private wallStart: number | undefined;

  constructor(
    private readonly speed: Speed,
    private readonly eventStart: number,
    private readonly clock: WallClock = systemClock,
  ) {}

  /** Undefined when the event is due; otherwise a promise that resolves when it is. */
  wait(eventAt: number): Promise<void> | undefined {
    if (this.speed === 'max') return undefined;
    const now = this.clock.now();
    this.wallStart ??= now;
    const due = this.wallStart + (eventAt - this.eventStart) / this.speed;
    // Below a millisecond a timer costs more than it is worth.
    return due - now >= 1 ? this.clock.sleep(due - now) : undefined;
  }
}
