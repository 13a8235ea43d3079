/**
 * Offline at event time, for readings that are not live (a backlog, a re-read gap, a replay): when the next
 * reading of a device comes more than k sampling intervals after its previous one, the silence in between is
 * judged as it would have been live (core/detectors/offline.ts): an offline finding at that reading's time,
 * cleared by the reading itself.
 */
import type { AssetProfile, DetectorRegistry, Finding, StreamDetectorSet } from '../core/index.js';

const DEFAULT_INTERVAL_S = 3600;
const DEFAULT_FACTOR = 3;

/** Silence after which a device counts as offline (the core's default rule, from the profile). */
export function offlineAfterMs(profile: AssetProfile | undefined): number {
  const interval = (profile?.samplingIntervalS ?? DEFAULT_INTERVAL_S) * 1000;
  return interval * (profile?.thresholds?.offlineFactor ?? DEFAULT_FACTOR);
}

/** The device's stream with the newest reading: offline is judged once per device, on it. */
export function freshestStream(
  registry: DetectorRegistry,
  deviceId: string,
  metrics: Iterable<string>,
): StreamDetectorSet | undefined {
  let freshest: StreamDetectorSet | undefined;
  for (const metric of metrics) {
    if (!registry.has(deviceId, metric)) continue;
    const set = registry.stream(deviceId, metric);
    if (!freshest || (set.lastEventTime ?? -Infinity) > (freshest.lastEventTime ?? -Infinity)) freshest = set;
  }
  return freshest;
}

/** Offline findings of a device at event time `ts`, before its reading at `ts` is judged. */
export function offlineAtEventTime(
  registry: DetectorRegistry,
  deviceId: string,
  metrics: Iterable<string>,
  lastTs: number | null,
  ts: number,
  profile: AssetProfile | undefined,
): readonly Finding[] {
  if (lastTs === null || ts - lastTs < offlineAfterMs(profile)) return [];
  const freshest = freshestStream(registry, deviceId, metrics);
  if (!freshest || freshest.lastEventTime === null || freshest.lastEventTime >= ts) return [];
  return freshest.checkOffline(ts);
}
