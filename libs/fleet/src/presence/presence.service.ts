import { Injectable, Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { DevicePublishMessage, DeviceSessionMessage } from '#contracts';
import { Clock, DomainEventBus } from '#platform';
import type { Subscription } from 'rxjs';
import { parseDeviceStatus } from './device-status.js';
import { DevicePresenceRepository } from './device-presence.repository.js';
import { KeyedSerialQueue } from './keyed-serial-queue.js';
import { LastSeenCoalescer } from './last-seen-coalescer.js';

/** How often collected last-seen times are written: at most one UPDATE batch per interval. */
export const LAST_SEEN_FLUSH_INTERVAL_MS = 1_000;

/**
 * Keeps each device's `online`, `lastConnectedAt` and `lastSeenAt` from the broker's session
 * events, status messages and `device.seen` events. Session and status events are rare and written
 * at once (in order per device); `device.seen` is frequent and only collected, then written in one
 * batch per interval and at shutdown.
 */
@Injectable()
export class PresenceService implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('PresenceService');
  private readonly startedAt: Date;
  private readonly lastSeen = new LastSeenCoalescer();
  private readonly queue = new KeyedSerialQueue();
  private readonly subscription: Subscription;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly presence: DevicePresenceRepository,
    events: DomainEventBus,
    clock: Clock,
  ) {
    this.startedAt = clock.date();
    // Subscribed at construction, not in a lifecycle hook, so no sighting is missed whatever
    // order the gateway starts the broker and the Nest application in.
    this.subscription = events.on('device.seen').subscribe((e) => this.lastSeen.note(e.deviceId, e.at));
    this.timer = setInterval(() => void this.flush(), LAST_SEEN_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  async onModuleInit(): Promise<void> {
    const reset = await this.presence.markAllOffline(this.startedAt);
    if (reset > 0) this.logger.log(`marked ${reset} device(s) offline left online by the previous run`);
  }

  connected(message: DeviceSessionMessage): Promise<void> {
    return this.inOrder(message.deviceId, 'connect', () =>
      this.presence.markConnected(message.deviceId, new Date(message.at)),
    );
  }

  disconnected(message: DeviceSessionMessage): Promise<void> {
    return this.inOrder(message.deviceId, 'disconnect', () =>
      this.presence.markDisconnected(message.deviceId, new Date(message.at)),
    );
  }

  status(message: DevicePublishMessage): Promise<void> {
    const state = parseDeviceStatus(message.payload);
    if (state === undefined) {
      this.logger.debug(`device ${message.deviceId}: status payload is neither online nor offline, ignored`);
      return Promise.resolve();
    }
    return this.inOrder(message.deviceId, 'status', () =>
      this.presence.applyStatus(message.deviceId, state === 'online', new Date(message.receivedAt)),
    );
  }

  /** Writes the collected last-seen times now (one flush at a time). */
  flush(): Promise<void> {
    this.flushing ??= this.writeLastSeen().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.subscription.unsubscribe();
    await this.queue.idle();
    await this.flushing;
    await this.flush();
  }

  private inOrder(deviceId: string, what: string, write: () => Promise<void>): Promise<void> {
    // Presence is advisory: a failed write is logged, never thrown back into the broker transport.
    return this.queue.run(deviceId, write).catch((error: unknown) => {
      this.logger.warn(
        `device ${deviceId}: ${what} not recorded: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
  }

  private async writeLastSeen(): Promise<void> {
    const entries = this.lastSeen.drain();
    if (entries.length === 0) return;
    try {
      await this.presence.touchLastSeen(entries);
    } catch (error) {
      // Kept for the next flush: the times only ever move forward, so a retry is harmless.
      for (const e of entries) this.lastSeen.note(e.deviceId, e.at);
      this.logger.warn(
        `last-seen times of ${entries.length} device(s) not written: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
