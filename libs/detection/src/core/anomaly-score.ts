/**
 * Generic per-row anomaly score for the replay CLI: one StreamDetectorSet per column, fed row by row; the
 * score of a row is the highest score of its columns, each computed from that row and the rows before it
 * only (no look-ahead: nothing of row k+1 is known when row k is scored).
 *
 * Column score = max of: the robust z against the window before the reading (0.5 at the spike threshold),
 * the CUSUM statistic against its decision interval (0.5 at the alarm), how far a violated rule or the
 * plausible range is exceeded, and 0.5 for an active stuck / mean-of-window condition.
 */
import { type AssetProfile } from './config.js';
import { buildStreamConfig } from './metric-profiles.js';
import { StreamDetectorSet } from './stream-detector-set.js';
import type { Finding } from './types.js';

export interface RowScorerOptions {
  /** Device id stamped on the findings. Default "replay". */
  readonly deviceId?: string;
  readonly sensitivity?: number;
  /** Also report offline gaps (needs the profile's sampling interval). Default false. */
  readonly offline?: boolean;
}

export interface RowResult {
  readonly score: number;
  readonly findings: readonly Finding[];
}

export class RowScorer {
  readonly streams: readonly StreamDetectorSet[];

  constructor(
    readonly columns: readonly string[],
    profile: AssetProfile = {},
    private readonly options: RowScorerOptions = {},
  ) {
    const deviceId = options.deviceId ?? 'replay';
    this.streams = columns.map(
      (metric) => new StreamDetectorSet(deviceId, buildStreamConfig(metric, profile), options.sensitivity ?? 1),
    );
  }

  /** Scores one row; `values[i]` belongs to `columns[i]` (null / NaN: no reading in that column). */
  score(ts: number, values: readonly (number | null | undefined)[]): RowResult {
    let score = 0;
    const findings: Finding[] = [];
    for (let i = 0; i < this.streams.length; i++) {
      const stream = this.streams[i];
      const value = values[i];
      if (!stream || value === null || value === undefined || Number.isNaN(value)) continue;
      if (this.options.offline) findings.push(...stream.checkOffline(ts));
      const found = stream.update({ deviceId: stream.deviceId, metric: stream.metric, ts, value });
      if (found.length > 0) findings.push(...found);
      score = Math.max(score, stream.lastScore);
    }
    return { score, findings };
  }
}

/** Scores of a single series (the `timestamp,value` CSV shape), one per point. */
export function scoreSeries(
  points: readonly { readonly ts: number; readonly value: number }[],
  metric = 'value',
  profile: AssetProfile = {},
): number[] {
  const scorer = new RowScorer([metric], profile);
  return points.map((p) => scorer.score(p.ts, [p.value]).score);
}
