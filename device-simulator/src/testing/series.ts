import type { FaultKind } from '../core/fault-kinds.js';
import type { PlannedFault } from '../core/fault-plan.js';
import type { SimEvent, Simulation } from '../core/simulation.js';
import { parseScenario, type Scenario, type ScenarioInput } from '../scenario/scenario-schema.js';

/** One reading as received, with the event time of the message that carried it. */
export interface ReceivedReading {
  readonly ts: number;
  readonly seq: number;
  readonly metrics: Readonly<Record<string, number>>;
  /** Event time the message went out. */
  readonly sentAt: number;
  /** Readings in that message. */
  readonly batch: number;
}

export interface CollectedRun {
  readonly sim: Simulation;
  readonly events: SimEvent[];
  readonly byDevice: Map<string, ReceivedReading[]>;
}

/** Runs a simulation to the end and decodes every good message, per device id. */
export function collect(sim: Simulation): CollectedRun {
  const events: SimEvent[] = [];
  const byDevice = new Map<string, ReceivedReading[]>();
  for (const e of sim.events()) {
    events.push(e);
    if (e.type !== 'message' || e.bad !== null) continue;
    const id = sim.fleet.devices[e.deviceIndex]!.id;
    const decoded = JSON.parse(e.payload) as
      | { ts: number; seq: number; metrics: Record<string, number> }
      | Array<{ ts: number; seq: number; metrics: Record<string, number> }>;
    const list = Array.isArray(decoded) ? decoded : [decoded];
    const series = byDevice.get(id) ?? [];
    for (const r of list) series.push({ ...r, sentAt: e.at, batch: list.length });
    byDevice.set(id, series);
  }
  return { sim, events, byDevice };
}

/** Points of one metric of one device, by device timestamp. */
export function metricSeries(
  run: CollectedRun,
  deviceId: string,
  metric: string,
): Array<{ ts: number; value: number }> {
  return (run.byDevice.get(deviceId) ?? [])
    .filter((r) => r.metrics[metric] !== undefined)
    .map((r) => ({ ts: r.ts, value: r.metrics[metric]! }))
    .sort((a, b) => a.ts - b.ts);
}

/** A small scenario that injects exactly one fault of `kind` (everyKind with only that kind). */
export function singleFaultScenario(
  kind: FaultKind,
  extra: Partial<ScenarioInput> = {},
  fleet: Partial<ScenarioInput['fleet']> = {},
): Scenario {
  return parseScenario(
    {
      name: `only-${kind.replaceAll('_', '-')}`,
      seed: 42,
      start: '2025-02-01T00:00:00Z',
      days: 60,
      ...extra,
      fleet: { devices: 12, samplingIntervalS: 3600, ...fleet },
      faults: {
        everyKind: true,
        assetFaultRate: 0,
        sensorFaultRate: 0,
        kinds: { [kind]: 1 },
        startWindow: { min: 0.25, max: 0.35 },
      },
    },
    kind,
  );
}

export function onlyFault(sim: Simulation): PlannedFault {
  if (sim.plan.faults.length !== 1) throw new Error(`expected one fault, got ${sim.plan.faults.length}`);
  return sim.plan.faults[0]!;
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new Error('mean of nothing');
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export function between<T extends { ts: number }>(points: readonly T[], from: number, to: number): T[] {
  return points.filter((p) => p.ts >= from && p.ts < to);
}
