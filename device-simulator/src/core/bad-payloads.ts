import type { RejectionReason } from '#contracts';
import type { Rng } from './random.js';

/**
 * Malformed messages the simulator sends on purpose (`--bad-payload-rate`), one per rejection reason of
 * the gateway. Each is a single reading with a single problem, so the gateway rejects the whole message
 * with exactly one error and stores nothing from it.
 */
export const BAD_PAYLOAD_KINDS = [
  'invalid_json',
  'invalid_shape',
  'invalid_timestamp',
  'future_timestamp',
  'invalid_value',
  'out_of_range',
  'invalid_metric_name',
  'empty_metrics',
] as const satisfies readonly RejectionReason[];
export type BadPayloadKind = (typeof BAD_PAYLOAD_KINDS)[number];

/** 2100-01-01: in the future for any server clock this code will meet. */
const FAR_FUTURE_MS = 4102444800000;

export function badPayload(kind: BadPayloadKind, ts: number, rng: Rng): string {
  const temp = Math.round(rng.uniform(-5, 35) * 10) / 10;
  switch (kind) {
    case 'invalid_json':
      // A message cut short, as a logger with a full transmit buffer sends it.
      return `{"ts":${ts},"metrics":{"temperature_c":${temp}`;
    case 'invalid_shape':
      return `{"ts":${ts},"metrics":[${temp}]}`;
    case 'invalid_timestamp':
      return `{"ts":"last tuesday","metrics":{"temperature_c":${temp}}}`;
    case 'future_timestamp':
      return `{"ts":${FAR_FUTURE_MS},"metrics":{"temperature_c":${temp}}}`;
    case 'invalid_value':
      return `{"ts":${ts},"metrics":{"temperature_c":"${temp}"}}`;
    case 'out_of_range':
      return `{"ts":${ts},"metrics":{"humidity_pct":${Math.round(rng.uniform(105, 400))}}}`;
    case 'invalid_metric_name':
      return `{"ts":${ts},"metrics":{"Temperature-C":${temp}}}`;
    case 'empty_metrics':
      return `{"ts":${ts},"metrics":{}}`;
  }
}
