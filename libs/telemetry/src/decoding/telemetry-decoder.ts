import {
  catalogMetric,
  MAX_FUTURE_SKEW_MS,
  MAX_READINGS_PER_MESSAGE,
  METRIC_NAME_PATTERN,
  type Reading,
  type RejectionReason,
} from '#contracts';
import { childPath, indexPath, ROOT_PATH } from './json-path.js';
import { describeJson, isoOrNumber, parseWireTimestamp, quote } from './wire-timestamp.js';

export interface DecodeContext {
  readonly deviceId: string;
  /** Wall-clock time the broker received the message: the timestamp of a bare metrics object. */
  readonly receivedAt: number;
  /** Server time for the future-timestamp check (the Clock). */
  readonly now: number;
}

/** Why (part of) a payload was refused. */
export interface Rejection {
  readonly reason: RejectionReason;
  /** JSON path of the offending field: `[3].metrics.humidity_pct`, `ts`, or `$` for the whole payload. */
  readonly field: string;
  readonly message: string;
  /**
   * Readings (metric values) this rejection dropped, at least 1: 1 for a bad metric, every metric of a
   * reading whose timestamp or shape is bad, the array length for a message with too many readings.
   */
  readonly count: number;
  /** The `seq` of the offending reading, when it carried a valid one. */
  readonly seq?: number;
}

export interface DecodeResult {
  readonly readings: Reading[];
  readonly rejections: Rejection[];
}

const NATIVE_KEYS = new Set(['ts', 'seq', 'metrics']);
const THINGSBOARD_KEYS = new Set(['ts', 'values']);
/** Keys that make a bare object ambiguous: the device meant a timestamped reading, not metrics. */
const RESERVED_BARE_KEYS = ['ts', 'seq'] as const;

/**
 * Decodes and validates one telemetry payload (external contract, "Telemetry payload"):
 * - native `{"ts", "seq"?, "metrics"}` or an array of up to 1000 of them;
 * - ThingsBoard `{"ts", "values"}` or an array of them (arrays may mix both shapes);
 * - a bare object of metrics, stamped with `receivedAt`.
 *
 * Partial acceptance: a bad metric value or name rejects that metric only; a bad timestamp, `seq` or
 * shape rejects that reading (every metric in it); invalid JSON, a wrong top-level shape or more than
 * 1000 readings reject the whole message. A duplicate (metric, ts) inside one message keeps the last
 * value. Pure and synchronous: it is on the ingest hot path, so the checks are hand-written rather
 * than zod (the zod schemas in #contracts document the same shapes).
 */
export function decodeTelemetry(payload: Buffer, ctx: DecodeContext): DecodeResult {
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    return wholeMessage('invalid_json', ROOT_PATH, `payload is not valid JSON${detail}`, 1);
  }
  if (Array.isArray(doc)) return decodeArray(doc, ctx);
  if (isObject(doc)) {
    const decoder = new ReadingCollector(ctx, false);
    if (Object.hasOwn(doc, 'metrics') || Object.hasOwn(doc, 'values')) decoder.element(doc, '');
    else decoder.bare(doc);
    return decoder.result();
  }
  return wholeMessage(
    'invalid_shape',
    ROOT_PATH,
    `payload must be a JSON object or an array of readings, got ${describeJson(doc)}`,
    1,
  );
}

function decodeArray(doc: unknown[], ctx: DecodeContext): DecodeResult {
  if (doc.length === 0) return wholeMessage('invalid_shape', ROOT_PATH, 'the array of readings is empty', 1);
  if (doc.length > MAX_READINGS_PER_MESSAGE) {
    return wholeMessage(
      'too_many_readings',
      ROOT_PATH,
      `${doc.length} readings in one message, at most ${MAX_READINGS_PER_MESSAGE}: split the upload`,
      doc.length,
    );
  }
  const decoder = new ReadingCollector(ctx, doc.length > 1);
  for (let i = 0; i < doc.length; i++) decoder.element(doc[i], indexPath(i));
  return decoder.result();
}

function wholeMessage(reason: RejectionReason, field: string, message: string, count: number): DecodeResult {
  return { readings: [], rejections: [{ reason, field, message, count }] };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accumulates the readings and rejections of one message. */
class ReadingCollector {
  private readonly readings: Reading[] = [];
  private readonly rejections: Rejection[] = [];
  /** (metric, ts) -> index in `readings`; only needed when several elements may collide. */
  private readonly seen: Map<string, number> | undefined;

  constructor(
    private readonly ctx: DecodeContext,
    dedupe: boolean,
  ) {
    this.seen = dedupe ? new Map() : undefined;
  }

  result(): DecodeResult {
    return { readings: this.readings, rejections: this.rejections };
  }

  /** A bare object of metrics: every key is a metric, stamped with the server's receive time. */
  bare(doc: Record<string, unknown>): void {
    for (const key of RESERVED_BARE_KEYS) {
      if (Object.hasOwn(doc, key)) {
        this.reject(
          'invalid_shape',
          key,
          `a bare object of metrics must not carry "${key}": send {"ts": ..., "seq": ..., "metrics": {...}}`,
          Math.max(1, Object.keys(doc).length - 1),
        );
        return;
      }
    }
    const names = Object.keys(doc);
    if (names.length === 0) {
      this.reject('empty_metrics', ROOT_PATH, 'the payload holds no metrics', 1);
      return;
    }
    this.metrics(doc, names, '', this.ctx.receivedAt, undefined);
  }

  /** One native or ThingsBoard reading at `path` (`[3]`, or `` for a single object). */
  element(value: unknown, path: string): void {
    const at = path === '' ? ROOT_PATH : path;
    if (!isObject(value)) {
      this.reject(
        'invalid_shape',
        at,
        `a reading must be an object {"ts": ..., "metrics": {...}}, got ${describeJson(value)}`,
        1,
      );
      return;
    }
    const hasMetrics = Object.hasOwn(value, 'metrics');
    const hasValues = Object.hasOwn(value, 'values');
    if (hasMetrics === hasValues) {
      this.reject(
        'invalid_shape',
        at,
        hasMetrics
          ? 'a reading carries either "metrics" or ThingsBoard "values", not both'
          : 'a reading needs "metrics" (or ThingsBoard "values") with "ts"',
        1,
      );
      return;
    }
    const metricsKey = hasMetrics ? 'metrics' : 'values';
    const metricsPath = childPath(path, metricsKey);
    const metrics = value[metricsKey];
    if (!isObject(metrics)) {
      this.reject(
        'invalid_shape',
        metricsPath,
        `${metricsKey} must be an object of metric name to number, got ${describeJson(metrics)}`,
        1,
      );
      return;
    }
    const names = Object.keys(metrics);
    const count = Math.max(1, names.length);
    // The wire schemas are strict objects: an unknown key is more likely a device bug than data to drop.
    const allowed = hasMetrics ? NATIVE_KEYS : THINGSBOARD_KEYS;
    for (const key in value) {
      if (!allowed.has(key)) {
        this.reject(
          'invalid_shape',
          childPath(path, key),
          `unknown field ${quote(key)}: a reading has ${hasMetrics ? '"ts", "seq" and "metrics"' : '"ts" and "values"'}`,
          count,
        );
        return;
      }
    }
    let seq: number | undefined;
    if (Object.hasOwn(value, 'seq')) {
      const raw = value['seq'];
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) {
        this.reject(
          'invalid_shape',
          childPath(path, 'seq'),
          `seq must be a non-negative integer, got ${describeJson(raw)}`,
          count,
        );
        return;
      }
      seq = raw;
    }
    const tsPath = childPath(path, 'ts');
    if (!Object.hasOwn(value, 'ts')) {
      this.reject(
        'invalid_timestamp',
        tsPath,
        'ts is missing (epoch milliseconds or ISO 8601 with an offset)',
        count,
        seq,
      );
      return;
    }
    const parsed = parseWireTimestamp(value['ts']);
    if ('error' in parsed) {
      this.reject('invalid_timestamp', tsPath, parsed.error, count, seq);
      return;
    }
    const ts = parsed.ms;
    if (ts > this.ctx.now + MAX_FUTURE_SKEW_MS) {
      this.reject(
        'future_timestamp',
        tsPath,
        `ts ${isoOrNumber(ts)} is more than ${MAX_FUTURE_SKEW_MS / 1000} s ahead of the server clock (${isoOrNumber(this.ctx.now)})`,
        count,
        seq,
      );
      return;
    }
    if (names.length === 0) {
      this.reject('empty_metrics', metricsPath, `${metricsKey} holds no metrics`, 1, seq);
      return;
    }
    this.metrics(metrics, names, metricsPath, ts, seq);
  }

  /** Validates each metric on its own: a bad one rejects that metric only. */
  private metrics(
    metrics: Record<string, unknown>,
    names: readonly string[],
    path: string,
    ts: number,
    seq: number | undefined,
  ): void {
    for (const name of names) {
      const value = metrics[name];
      const definition = catalogMetric(name);
      if (definition === undefined && !METRIC_NAME_PATTERN.test(name)) {
        this.reject(
          'invalid_metric_name',
          childPath(path, name),
          `metric name ${quote(name)} must match ${METRIC_NAME_PATTERN.source}`,
          1,
          seq,
        );
        continue;
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        // A number given as a string ("12.5", "NaN") is refused, not coerced: the device is misconfigured.
        // JSON has no NaN/Infinity, but JSON.parse turns an overflowing literal such as 1e400 into Infinity.
        this.reject(
          'invalid_value',
          childPath(path, name),
          `${name} must be a finite JSON number, got ${describeJson(value)}`,
          1,
          seq,
        );
        continue;
      }
      if (definition !== undefined && (value < definition.min || value > definition.max)) {
        this.reject(
          'out_of_range',
          childPath(path, name),
          `${name} ${value} is outside ${definition.min}..${definition.max} ${definition.unit}`,
          1,
          seq,
        );
        continue;
      }
      this.accept({ deviceId: this.ctx.deviceId, metric: name, ts, value, seq });
    }
  }

  private accept(reading: Reading): void {
    if (this.seen === undefined) {
      this.readings.push(reading);
      return;
    }
    // Metric names are [a-z0-9_] here, so '|' cannot occur in them.
    const key = `${reading.metric}|${reading.ts}`;
    const index = this.seen.get(key);
    if (index === undefined) {
      this.seen.set(key, this.readings.length);
      this.readings.push(reading);
    } else {
      // Duplicate (metric, ts) in one message: the last value wins, as a re-sent correction would.
      this.readings[index] = reading;
    }
  }

  private reject(reason: RejectionReason, field: string, message: string, count: number, seq?: number): void {
    this.rejections.push(
      seq === undefined ? { reason, field, message, count } : { reason, field, message, count, seq },
    );
  }
}
