import { readFile } from 'node:fs/promises';
import type { TruthRecord } from '#simulator';
import type { TruthFault } from './match.js';

type FaultLine = Extract<TruthRecord, { type: 'fault' }>;

export interface Truth {
  readonly faults: TruthFault[];
  readonly devices: number;
  readonly start: number;
  readonly end: number;
  /** Event time the run reached (a run stopped early vouches only for what came before). */
  readonly reached: number;
}

const ms = (iso: string | null): number | null => (iso === null ? null : Date.parse(iso));

function durationDays(line: FaultLine): number | null {
  const p = line.params;
  if (p === null) return null;
  switch (p.kind) {
    case 'offline':
    case 'dropout':
      return p.durationDays;
    case 'coating_damage':
    case 'accelerated_degradation':
    case 'corrosion_onset':
    case 'cp_failure':
    case 'stuck_value':
    case 'spikes':
    case 'drift':
    case 'battery_depletion':
      return null;
  }
}

/** Reads the simulator's ground truth (JSON Lines). */
export async function readTruth(file: string): Promise<Truth> {
  const records = (await readFile(file, 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as TruthRecord);
  const run = records.find((r): r is Extract<TruthRecord, { type: 'run' }> => r.type === 'run');
  if (!run) throw new Error(`${file}: no run line`);
  const summary = records.find((r) => r.type === 'summary') as { reached?: string } | undefined;
  const faults = records
    .filter((r): r is FaultLine => r.type === 'fault')
    .map((f): TruthFault => ({
      faultId: f.faultId,
      kind: f.kind,
      scope: f.scope,
      deviceIds: f.deviceIds,
      startAt: Date.parse(f.startAt),
      failureAt: ms(f.failureAt),
      projectedFailureAt: ms(f.projectedFailureAt),
      customerReportAt: f.customerReport === 'sent' || f.customerReport === 'recorded' ? ms(f.customerReportAt) : null,
      reportSent: f.customerReport === 'sent',
      platformWasFirst: f.customerReportAnswer?.platformWasFirst ?? null,
      durationDays: durationDays(f),
    }));
  const end = Date.parse(run.end);
  return {
    faults,
    devices: run.devices,
    start: Date.parse(run.start),
    end,
    reached: summary?.reached ? Date.parse(summary.reached) : end,
  };
}
