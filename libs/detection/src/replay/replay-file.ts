/**
 * Replays one CSV file: streams it line by line (readline; the file is never loaded whole), scores every row
 * with the detectors (RowScorer: only that row and the rows before it, no look-ahead), writes the rows back
 * with an `anomaly_score` column, and writes the alerts the rules would have raised next to it.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { RowScorer, buildStreamConfig } from '../core/index.js';
import { type Alert, priorityOf } from '../alerts/alert.js';
import { InMemoryAlertBook } from '../alerts/in-memory-alert-book.js';
import { ReplayInputError, csvField, parseTimestamp, parseValue, splitCsvLine } from './csv.js';
import type { ReplayProfile } from './replay-profile.js';

export const SCORE_COLUMN = 'anomaly_score';
const TIMESTAMP_COLUMNS = new Set(['timestamp', 'ts', 'time']);
const DEVICE = 'replay';

export interface ReplayFileResult {
  readonly input: string;
  readonly output: string;
  readonly alertsFile: string;
  readonly rows: number;
  readonly alerts: number;
}

/** `<output minus .csv>.alerts.csv` */
export function alertsPathFor(output: string): string {
  return `${output.replace(/\.csv$/i, '')}.alerts.csv`;
}

export async function replayFile(
  input: string,
  output: string,
  profile: ReplayProfile,
  label = input,
): Promise<ReplayFileResult> {
  await mkdir(path.dirname(output), { recursive: true });
  const alertsFile = alertsPathFor(output);
  const out = createWriteStream(output);
  const lines = createInterface({ input: createReadStream(input), crlfDelay: Infinity });
  try {
    const result = await replayLines(lines, out, profile, label);
    await closeStream(out);
    await writeAlerts(alertsFile, result.alerts, result.columnOf);
    return { input, output, alertsFile, rows: result.rows, alerts: result.alerts.length };
  } catch (error) {
    lines.close();
    out.destroy();
    await rm(output, { force: true });
    throw error;
  }
}

interface LinesResult {
  readonly rows: number;
  readonly alerts: Alert[];
  readonly columnOf: ReadonlyMap<string, string>;
}

async function replayLines(
  lines: AsyncIterable<string>,
  out: WriteStream,
  profile: ReplayProfile,
  file: string,
): Promise<LinesResult> {
  let lineNo = 0;
  let header: string[] | undefined;
  let scorer: RowScorer | undefined;
  const book = new InMemoryAlertBook();
  const columnOf = new Map<string, string>();
  let rows = 0;
  let lastTs = Number.NEGATIVE_INFINITY;
  let buffer = '';
  /** One row's values, overwritten in place: every row has the header's columns (checked below). */
  const values: Array<number | null> = [];

  for await (const raw of lines) {
    lineNo += 1;
    const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (line.trim() === '') continue;
    const fields = splitCsvLine(line);
    if (!fields) throw new ReplayInputError(file, lineNo, null, null, 'a quoted field is not closed');
    if (!header) {
      header = fields.map((f) => f.trim());
      scorer = scorerFor(header, profile, file, lineNo, columnOf);
      buffer += `${line},${SCORE_COLUMN}\n`;
      continue;
    }
    if (fields.length !== header.length) {
      throw new ReplayInputError(
        file,
        lineNo,
        null,
        null,
        `${fields.length} fields where the header has ${header.length}`,
      );
    }
    const ts = parseTimestamp(fields[0] ?? '');
    if (ts === undefined) {
      throw new ReplayInputError(
        file,
        lineNo,
        1,
        header[0] ?? null,
        `not a timestamp: ${JSON.stringify(fields[0])} (ISO 8601, or epoch milliseconds or seconds)`,
      );
    }
    if (ts < lastTs) {
      throw new ReplayInputError(
        file,
        lineNo,
        1,
        header[0] ?? null,
        `time goes back (${new Date(ts).toISOString()} after ${new Date(lastTs).toISOString()}): sort the file by time`,
      );
    }
    lastTs = ts;
    for (let c = 1; c < fields.length; c++) {
      const v = parseValue(fields[c] ?? '');
      if (v === undefined) {
        throw new ReplayInputError(
          file,
          lineNo,
          c + 1,
          header[c] ?? null,
          `not a number: ${JSON.stringify(fields[c])}`,
        );
      }
      values[c - 1] = v;
    }
    const { score, findings } = scorer!.score(ts, values);
    for (const f of findings) book.apply(f);
    rows += 1;
    buffer += `${line},${score.toFixed(3)}\n`;
    if (buffer.length >= 64 * 1024) {
      await write(out, buffer);
      buffer = '';
    }
  }
  if (!header) throw new ReplayInputError(file, Math.max(1, lineNo), null, null, 'empty file: a header line is needed');
  await write(out, buffer);
  if (Number.isFinite(lastTs)) book.sweep(DEVICE, lastTs);
  return { rows, alerts: book.alerts(), columnOf };
}

function scorerFor(
  header: readonly string[],
  profile: ReplayProfile,
  file: string,
  lineNo: number,
  columnOf: Map<string, string>,
): RowScorer {
  if (!TIMESTAMP_COLUMNS.has((header[0] ?? '').toLowerCase())) {
    throw new ReplayInputError(file, lineNo, 1, header[0] ?? null, 'the first column must be "timestamp"');
  }
  if (header.length < 2) throw new ReplayInputError(file, lineNo, null, null, 'no series column after timestamp');
  const metrics: string[] = [];
  for (let c = 1; c < header.length; c++) {
    const name = header[c] ?? '';
    if (name === '') throw new ReplayInputError(file, lineNo, c + 1, null, 'empty column name');
    if (name === SCORE_COLUMN) {
      throw new ReplayInputError(file, lineNo, c + 1, name, `column ${SCORE_COLUMN} exists already (an output file?)`);
    }
    const metric = profile.columns[name] ?? name;
    if (metrics.includes(metric)) {
      throw new ReplayInputError(file, lineNo, c + 1, name, `a second column for the series ${metric}`);
    }
    try {
      buildStreamConfig(metric, profile.asset);
    } catch (error) {
      throw new ReplayInputError(
        file,
        lineNo,
        c + 1,
        name,
        `profile: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    metrics.push(metric);
    columnOf.set(metric, name);
  }
  return new RowScorer(metrics, profile.asset, {
    deviceId: DEVICE,
    sensitivity: profile.sensitivity,
    // Gaps become offline findings only when the profile says how often the device reads.
    offline: profile.asset.samplingIntervalS !== undefined,
  });
}

const ALERT_COLUMNS = [
  'column',
  'metric',
  'kind',
  'fault',
  'severity',
  'priority',
  'status',
  'event_time',
  'onset_time',
  'last_event_time',
  'cleared_event_time',
  'clear_reason',
  'occurrences',
  'score',
  'predicted_crossing',
  'schedule_before',
  'explanation',
];

async function writeAlerts(file: string, alerts: readonly Alert[], columnOf: ReadonlyMap<string, string>) {
  const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? '' : new Date(ms).toISOString());
  const out = createWriteStream(file);
  let text = `${ALERT_COLUMNS.join(',')}\n`;
  for (const a of alerts) {
    const row = [
      columnOf.get(a.metric) ?? a.metric,
      a.metric,
      a.kind,
      a.fault,
      a.severity,
      priorityOf(a.severity),
      a.status,
      iso(a.eventTime),
      iso(a.onsetTime),
      iso(a.lastEventTime),
      iso(a.clearedEventTime),
      a.clearReason ?? '',
      String(a.occurrences),
      a.score.toFixed(3),
      iso(a.prediction?.crossingTime),
      iso(a.prediction?.earliest),
      a.explanation,
    ];
    text += `${row.map(csvField).join(',')}\n`;
  }
  await write(out, text);
  await closeStream(out);
}

async function write(out: WriteStream, chunk: string): Promise<void> {
  if (chunk === '') return;
  if (!out.write(chunk)) await once(out, 'drain');
}

async function closeStream(out: WriteStream): Promise<void> {
  const finished = once(out, 'finish');
  out.end();
  await finished;
}
