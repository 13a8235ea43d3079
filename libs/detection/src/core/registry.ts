/**
 * The registry of stream detector sets: builds the right detectors for a (device, metric) from the metric
 * name and the device's asset profile (buildStreamConfig), holds them, routes readings, carries the
 * per-device sensitivity and evaluates offline per device. Pure and synchronous: persistence, profiles and
 * the clock are the caller's (the wiring's) business.
 */
import { type AssetProfile, type StreamConfig, clampSensitivity } from './config.js';
import { buildStreamConfig } from './metric-profiles.js';
import { StreamDetectorSet, type StreamSnapshot } from './stream-detector-set.js';
import type { Finding, ObservedReading } from './types.js';

export interface DetectorRegistryOptions {
  /** Asset profile of the device's asset; asked once when a stream is created (or re-created by `reconfigure`). */
  readonly profileOf?: (deviceId: string) => AssetProfile | undefined;
}

function key(deviceId: string, metric: string): string {
  return `${deviceId}\u0000${metric}`;
}

export class DetectorRegistry {
  private readonly streams = new Map<string, StreamDetectorSet>();
  private readonly sensitivities = new Map<string, number>();

  constructor(private readonly options: DetectorRegistryOptions = {}) {}

  get size(): number {
    return this.streams.size;
  }

  configFor(deviceId: string, metric: string): StreamConfig {
    return buildStreamConfig(metric, this.options.profileOf?.(deviceId) ?? {});
  }

  /** The stream's detector set, created on first use. */
  stream(deviceId: string, metric: string): StreamDetectorSet {
    const k = key(deviceId, metric);
    let set = this.streams.get(k);
    if (!set) {
      set = new StreamDetectorSet(deviceId, this.configFor(deviceId, metric), this.sensitivityOf(deviceId));
      this.streams.set(k, set);
    }
    return set;
  }

  has(deviceId: string, metric: string): boolean {
    return this.streams.has(key(deviceId, metric));
  }

  update(reading: ObservedReading): readonly Finding[] {
    return this.stream(reading.deviceId, reading.metric).update(reading);
  }

  sensitivityOf(deviceId: string): number {
    return this.sensitivities.get(deviceId) ?? 1;
  }

  /** Sets a device's sensitivity (clamped to [0.25, 4]) on its existing and future streams. */
  setSensitivity(deviceId: string, sensitivity: number): number {
    const s = clampSensitivity(sensitivity);
    this.sensitivities.set(deviceId, s);
    for (const set of this.streams.values()) if (set.deviceId === deviceId) set.sensitivity = s;
    return s;
  }

  snapshot(deviceId: string, metric: string): StreamSnapshot | undefined {
    return this.streams.get(key(deviceId, metric))?.snapshot();
  }

  /** Re-creates a stream from its persisted snapshot (after a restart). */
  restore(deviceId: string, snapshot: StreamSnapshot): StreamDetectorSet {
    const set = StreamDetectorSet.fromSnapshot(
      deviceId,
      this.configFor(deviceId, snapshot.m),
      snapshot,
      this.sensitivityOf(deviceId),
    );
    this.streams.set(key(deviceId, snapshot.m), set);
    return set;
  }

  /**
   * Rebuilds a device's streams after its asset profile changed, keeping their state (detectors that the new
   * configuration adds start fresh; a changed window size keeps the newest readings).
   */
  reconfigure(deviceId: string): void {
    for (const [k, set] of this.streams) {
      if (set.deviceId !== deviceId) continue;
      const fresh = StreamDetectorSet.fromSnapshot(
        deviceId,
        this.configFor(deviceId, set.metric),
        set.snapshot(),
        this.sensitivityOf(deviceId),
      );
      this.streams.set(k, fresh);
    }
  }

  remove(deviceId: string): void {
    for (const [k, set] of this.streams) if (set.deviceId === deviceId) this.streams.delete(k);
    this.sensitivities.delete(deviceId);
  }

  /** Every stream, e.g. to persist all snapshots. */
  entries(): IterableIterator<StreamDetectorSet> {
    return this.streams.values();
  }

  /**
   * Offline check of every device at an explicit `now`: a device is offline when its freshest stream is
   * silent, so each device yields at most one offline finding (not one per metric).
   */
  checkOffline(now: number): Finding[] {
    const freshest = new Map<string, StreamDetectorSet>();
    for (const set of this.streams.values()) {
      const current = freshest.get(set.deviceId);
      if (!current || (set.lastEventTime ?? -Infinity) > (current.lastEventTime ?? -Infinity)) {
        freshest.set(set.deviceId, set);
      }
    }
    const findings: Finding[] = [];
    for (const set of freshest.values()) findings.push(...set.checkOffline(now));
    return findings;
  }
}
