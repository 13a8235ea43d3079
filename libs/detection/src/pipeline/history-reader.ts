/**
 * Reads a stream's stored readings forward in time, in pages, from the TelemetryStore (whose `query` answers
 * the NEWEST `limit` points of a range). The window is adapted: a full page may have cut older points off, so
 * the window is halved and read again; a sparse page doubles the next one. Memory is one page at a time.
 */
import type { ReadingPoint, TelemetryStore } from '#telemetry';

export interface HistoryRange {
  readonly deviceId: string;
  readonly metric: string;
  /** Inclusive bounds, event time (epoch ms). */
  readonly from: number;
  readonly to: number;
}

export async function* readForward(
  store: Pick<TelemetryStore, 'query'>,
  range: HistoryRange,
  pageSize: number,
  initialWindowMs: number,
): AsyncGenerator<ReadingPoint[]> {
  let start = range.from;
  let window = Math.max(1, Math.floor(initialWindowMs));
  while (start <= range.to) {
    const end = Math.min(range.to, start + window - 1);
    const page = await store.query(range.deviceId, range.metric, start, end, pageSize);
    if (page.length >= pageSize && end > start) {
      window = Math.max(1, Math.floor((end - start + 1) / 2));
      continue;
    }
    if (page.length > 0) yield page;
    start = end + 1;
    if (page.length < pageSize / 4) window = Math.min(window * 2, Number.MAX_SAFE_INTEGER / 4);
  }
}
