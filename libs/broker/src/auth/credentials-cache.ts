import type { DeviceCredentials, DeviceCredentialsSource } from '#contracts';

export interface CredentialsCacheOptions {
  /** How long found credentials stay cached. */
  readonly ttlMs: number;
  /** How long "no such device" stays cached: short, so a newly created device can connect soon. */
  readonly negativeTtlMs: number;
  /** Oldest entries are dropped beyond this (bounds memory under a flood of made-up usernames). */
  readonly maxEntries: number;
  readonly now: () => number;
}

interface Entry {
  readonly credentials: DeviceCredentials | undefined;
  readonly expiresAt: number;
}

interface Flight {
  readonly promise: Promise<DeviceCredentials | undefined>;
  /** Set when the device's credentials changed while this look-up was running: its answer may be stale. */
  invalidated: boolean;
}

/** A look-up answered by a flight that was invalidated meanwhile is retried at most this often. */
const MAX_ATTEMPTS = 3;

/**
 * Device credentials by device id, cached for a TTL, with concurrent look-ups of the same device
 * coalesced into one, so a reconnect storm of thousands of devices costs one look-up per device.
 * Look-up failures are not cached.
 */
export class CredentialsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly flights = new Map<string, Flight>();
  private lookups = 0;

  constructor(
    private readonly source: DeviceCredentialsSource,
    private readonly options: CredentialsCacheOptions,
  ) {}

  /** Look-ups that reached the source (for tests and diagnostics). */
  get sourceLookups(): number {
    return this.lookups;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(deviceId: string): Promise<DeviceCredentials | undefined> {
    let credentials: DeviceCredentials | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cached = this.entries.get(deviceId);
      if (cached && cached.expiresAt > this.options.now()) return cached.credentials;
      const flight = this.flights.get(deviceId) ?? this.startFlight(deviceId);
      credentials = await flight.promise;
      if (!flight.invalidated) return credentials;
    }
    return credentials;
  }

  /** Forgets a device (its credentials changed): the next get() asks the source again. */
  invalidate(deviceId: string): void {
    this.entries.delete(deviceId);
    const flight = this.flights.get(deviceId);
    if (flight) {
      flight.invalidated = true;
      this.flights.delete(deviceId);
    }
  }

  clear(): void {
    this.entries.clear();
    for (const flight of this.flights.values()) flight.invalidated = true;
    this.flights.clear();
  }

  private startFlight(deviceId: string): Flight {
    this.lookups += 1;
    let promise: Promise<DeviceCredentials | undefined>;
    try {
      promise = this.source.findCredentials(deviceId);
    } catch (error) {
      promise = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const flight: Flight = { promise, invalidated: false };
    this.flights.set(deviceId, flight);
    flight.promise.then(
      (credentials) => {
        if (flight.invalidated) return;
        this.flights.delete(deviceId);
        this.store(deviceId, credentials);
      },
      () => {
        if (!flight.invalidated) this.flights.delete(deviceId);
      },
    );
    return flight;
  }

  private store(deviceId: string, credentials: DeviceCredentials | undefined): void {
    const ttl = credentials ? this.options.ttlMs : this.options.negativeTtlMs;
    if (ttl <= 0) return;
    // Re-inserting moves the entry to the end of the Map's order, which is the eviction order.
    this.entries.delete(deviceId);
    this.entries.set(deviceId, { credentials, expiresAt: this.options.now() + ttl });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
