/**
 * What every detector of a stream shares: identity, sensitivity, the window of recent readings, and the
 * helpers that turn a decision into a Finding with its plain-words explanation.
 */
import type { StreamWindow } from './stream-window.js';
import type { Finding } from './types.js';

export interface StreamContext {
  readonly deviceId: string;
  readonly metric: string;
  readonly unit: string;
  readonly subject: string;
  /** Per-device sensitivity multiplier, already clamped. */
  readonly sensitivity: number;
  readonly window: StreamWindow;
}

export type FindingBody = Omit<Finding, 'deviceId' | 'metric'>;

export function makeFinding(ctx: StreamContext, body: FindingBody): Finding {
  return { deviceId: ctx.deviceId, metric: ctx.metric, ...body };
}

/** "251.3 um", with at most 4 significant digits after rounding noise away. */
export function formatValue(value: number, unit: string): string {
  const rounded = Math.abs(value) >= 1000 ? Math.round(value) : Number(value.toPrecision(4));
  return unit === '' ? String(rounded) : `${rounded} ${unit}`;
}

/** Event time as an ISO 8601 minute, for explanations ("2026-03-01T10:00Z"). */
export function formatTime(ts: number): string {
  return `${new Date(ts).toISOString().slice(0, 16)}Z`;
}

export function formatDate(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10);
}

export function formatDays(ms: number): string {
  const days = ms / 86_400_000;
  if (days < 2) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(days)} days`;
}
