import { z } from 'zod';

/** Most readings one MQTT message may carry (external contract). */
export const MAX_READINGS_PER_MESSAGE = 1000;
/** A reading stamped further than this in the future is rejected (clock skew allowance). */
export const MAX_FUTURE_SKEW_MS = 5 * 60 * 1000;

/** One stored reading: one metric of one device at one event time. */
export interface Reading {
  readonly deviceId: string;
  readonly metric: string;
  /** Event time in epoch milliseconds (the device's own timestamp). */
  readonly ts: number;
  readonly value: number;
  /** Device sequence number when the device sends one. */
  readonly seq?: number | undefined;
}

/** Timestamp on the wire: epoch milliseconds or an ISO 8601 string with an offset. */
export const WireTimestampSchema = z.union([z.number().int().nonnegative(), z.iso.datetime({ offset: true })]);

export const WireMetricsSchema = z.record(z.string(), z.number());

/** Native shape: `{"ts": ..., "seq": 42, "metrics": {...}}`. */
export const NativeReadingSchema = z.strictObject({
  ts: WireTimestampSchema,
  seq: z.number().int().nonnegative().optional(),
  metrics: WireMetricsSchema,
});

/** ThingsBoard's shape: `{"ts": ..., "values": {...}}`. */
export const ThingsBoardReadingSchema = z.strictObject({
  ts: WireTimestampSchema,
  values: WireMetricsSchema,
});

/** Documentation schema of the telemetry topic payload (the decoder reports errors per field). */
export const TelemetryPayloadSchema = z.union([
  NativeReadingSchema,
  z.array(NativeReadingSchema).min(1).max(MAX_READINGS_PER_MESSAGE),
  ThingsBoardReadingSchema,
  z.array(ThingsBoardReadingSchema).min(1).max(MAX_READINGS_PER_MESSAGE),
  WireMetricsSchema.describe('bare object of metrics, stamped with server time'),
]);

/** What the gateway answers on `devices/{id}/errors` for a rejected payload or reading. */
export const DeviceErrorMessageSchema = z.object({
  error: z.string().describe('machine-readable reason, e.g. out_of_range'),
  field: z.string().describe('JSON path of the offending field, e.g. [3].metrics.humidity_pct'),
  message: z.string(),
  topic: z.string(),
  seq: z.number().int().optional(),
  rejected: z.number().int().describe('readings rejected by this message'),
  accepted: z.number().int().describe('readings accepted from this message'),
  at: z.iso.datetime(),
});
export type DeviceErrorMessage = z.infer<typeof DeviceErrorMessageSchema>;

/** Rejection reasons, also the `reason` label of the rejection counter. */
export const REJECTION_REASONS = [
  'invalid_json',
  'invalid_shape',
  'too_many_readings',
  'invalid_timestamp',
  'future_timestamp',
  'invalid_value',
  'out_of_range',
  'invalid_metric_name',
  'empty_metrics',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** Device status messages on `devices/{id}/status` (also used as last will). */
export const DeviceStatusPayloadSchema = z.union([
  z.enum(['online', 'offline']),
  z.object({ state: z.enum(['online', 'offline']) }).loose(),
]);

/** Query of `GET /api/devices/{id}/readings`. */
export const ReadingsQuerySchema = z.object({
  metric: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'metric must match ^[a-z][a-z0-9_]{0,63}$'),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  step: z
    .string()
    .regex(/^[1-9][0-9]*(s|m|h|d)$/, 'step must look like 30s, 15m, 1h or 1d')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100000).optional(),
});
export type ReadingsQuery = z.infer<typeof ReadingsQuerySchema>;

export const ReadingPointSchema = z.object({ ts: z.iso.datetime(), value: z.number() });
export const BucketPointSchema = z.object({
  ts: z.iso.datetime().describe('bucket start'),
  min: z.number(),
  max: z.number(),
  avg: z.number(),
  count: z.number().int(),
});
export const ReadingsResponseSchema = z.object({
  deviceId: z.string(),
  metric: z.string(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  step: z.string().optional(),
  points: z.array(z.union([ReadingPointSchema, BucketPointSchema])),
});
export type ReadingsResponse = z.infer<typeof ReadingsResponseSchema>;

export const LatestValuesResponseSchema = z.object({
  deviceId: z.string(),
  metrics: z.record(z.string(), z.object({ ts: z.iso.datetime(), value: z.number() })),
});
export type LatestValuesResponse = z.infer<typeof LatestValuesResponseSchema>;
