/**
 * Sensor health, offline: no reading for `factor` x the device's sampling interval. Offline is a matter of
 * wall-clock for a live device, so the caller passes `now` explicitly (the wiring: its Clock; a replay: the
 * event time of the next reading, which turns a gap in the history into the offline finding it would have
 * been live). Nothing here reads the clock.
 */
import type { OfflineConfig } from '../config.js';
import { type StreamContext, formatDays, formatTime, makeFinding } from '../stream-context.js';
import type { Finding, Severity } from '../types.js';

export type OfflineStatus =
  | { readonly offline: false }
  | { readonly offline: true; readonly silentForMs: number; readonly since: number; readonly severity: Severity };

/** Pure check: is a device whose last reading is `lastTs` offline at `now`? */
export function offlineStatus(lastTs: number | null, now: number, config: OfflineConfig): OfflineStatus {
  if (lastTs === null) return { offline: false };
  const silentForMs = now - lastTs;
  if (silentForMs < config.factor * config.intervalMs) return { offline: false };
  const severity: Severity = silentForMs >= config.escalateFactor * config.intervalMs ? 'medium' : 'low';
  return { offline: true, silentForMs, since: lastTs + config.factor * config.intervalMs, severity };
}

export function offlineFinding(
  ctx: StreamContext,
  phase: 'raised' | 'escalated' | 'cleared',
  lastTs: number,
  now: number,
  config: OfflineConfig,
  severity: Severity,
): Finding {
  const silent = now - lastTs;
  const explanation =
    phase === 'cleared'
      ? `Readings of ${ctx.subject} resumed at ${formatTime(now)} after ${formatDays(silent)} of silence.`
      : `No ${ctx.subject} reading since ${formatTime(lastTs)} (${formatDays(silent)}, more than ${phase === 'escalated' ? config.escalateFactor : config.factor} x the ${formatDays(config.intervalMs)} sampling interval): the device is offline (power, battery, radio or gateway).`;
  return makeFinding(ctx, {
    kind: 'sensor_offline',
    fault: 'sensor',
    detector: 'sensor_health',
    phase,
    lifecycle: 'condition',
    score: phase === 'cleared' ? 0 : Math.min(0.99, 0.5 + silent / (config.intervalMs * config.escalateFactor * 4)),
    severity,
    explanation,
    eventTime: phase === 'cleared' ? now : lastTs + config.factor * config.intervalMs,
    detectedAt: now,
    evidence: ctx.window.evidence(1),
    details: { lastReading: lastTs, silentForMs: silent, intervalMs: config.intervalMs },
  });
}
