/**
 * Constructed series for the detector tests: deterministic (seeded) noise, event time only.
 */
import type { Finding, ObservedReading } from '../types.js';
import type { StreamDetector } from '../stream-detector-set.js';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;
/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1);

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal variates (Box-Muller) from a uniform source. */
export function gaussian(uniform: () => number): () => number {
  return () => {
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export interface SeriesSpec {
  readonly deviceId?: string;
  readonly metric: string;
  readonly start?: number;
  readonly intervalMs?: number;
  readonly count: number;
  /** Noise-free value at reading i, event time t. */
  readonly value: (i: number, t: number) => number;
  /** Standard deviation of the added gaussian noise. */
  readonly noise?: number;
  readonly seed?: number;
  /** Decimals the device reports (rounding). */
  readonly decimals?: number;
}

export function makeSeries(spec: SeriesSpec): ObservedReading[] {
  const start = spec.start ?? T0;
  const interval = spec.intervalMs ?? HOUR;
  const normal = gaussian(rng(spec.seed ?? 1));
  const factor = 10 ** (spec.decimals ?? 2);
  const out: ObservedReading[] = [];
  for (let i = 0; i < spec.count; i++) {
    const ts = start + i * interval;
    const raw = spec.value(i, ts) + (spec.noise ?? 0) * normal();
    out.push({ deviceId: spec.deviceId ?? 'dev-1', metric: spec.metric, ts, value: Math.round(raw * factor) / factor });
  }
  return out;
}

export function feed(detector: StreamDetector, readings: readonly ObservedReading[]): Finding[] {
  const findings: Finding[] = [];
  for (const r of readings) findings.push(...detector.update(r));
  return findings;
}

export function ofKind(findings: readonly Finding[], kind: Finding['kind']): Finding[] {
  return findings.filter((f) => f.kind === kind);
}

export function kinds(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.kind}:${f.phase}`);
}

/** Index of the first reading at or after event time ts. */
export function indexAt(readings: readonly ObservedReading[], ts: number): number {
  return readings.findIndex((r) => r.ts >= ts);
}

/**
 * An hourly gauge of one device: DFT on a 300 um nominal that loses a step (310 -> 128 um) on `stepDay`, and a
 * slowly sagging battery; both metrics interleaved in event-time order (what a device's upload looks like).
 */
export function coatingStepWithBattery(spec: {
  readonly deviceId: string;
  readonly days: number;
  readonly stepDay: number;
  /** Seeds of the DFT and the battery noise. */
  readonly seeds: readonly [number, number];
}): ObservedReading[] {
  const count = spec.days * 24;
  const dft = makeSeries({
    deviceId: spec.deviceId,
    metric: 'coating_thickness_um',
    count,
    value: (i) => (i < spec.stepDay * 24 ? 310 : 128),
    noise: 2,
    seed: spec.seeds[0],
  });
  const battery = makeSeries({
    deviceId: spec.deviceId,
    metric: 'battery_v',
    count,
    value: (i) => 3.62 - i * 0.00002,
    noise: 0.005,
    seed: spec.seeds[1],
    decimals: 3,
  });
  return [...dft, ...battery].sort((a, b) => a.ts - b.ts || a.metric.localeCompare(b.metric));
}
