/** Group-commit tuning of the BatchWriter (gateway: INGEST_BATCH_MAX_ROWS, INGEST_BATCH_MAX_WAIT_MS). */
export interface BatchWriterOptions {
  /** A batch is written as soon as it holds this many readings. */
  readonly maxRows: number;
  /** Longest time the first reading of a batch waits for others before the batch is written. */
  readonly maxWaitMs: number;
}

export const DEFAULT_BATCH_WRITER_OPTIONS: BatchWriterOptions = { maxRows: 5000, maxWaitMs: 5 };

export const BATCH_WRITER_OPTIONS = Symbol('BatchWriterOptions');

export function resolveBatchWriterOptions(options: Partial<BatchWriterOptions> = {}): BatchWriterOptions {
  const resolved = {
    maxRows: options.maxRows ?? DEFAULT_BATCH_WRITER_OPTIONS.maxRows,
    maxWaitMs: options.maxWaitMs ?? DEFAULT_BATCH_WRITER_OPTIONS.maxWaitMs,
  };
  if (!Number.isInteger(resolved.maxRows) || resolved.maxRows < 1) {
    throw new RangeError(`batch maxRows must be a positive integer, got ${resolved.maxRows}`);
  }
  if (!Number.isFinite(resolved.maxWaitMs) || resolved.maxWaitMs < 0) {
    throw new RangeError(`batch maxWaitMs must be a non-negative number, got ${resolved.maxWaitMs}`);
  }
  return resolved;
}
