import { z } from 'zod';

/**
 * API of the detection lib: alerts (`/api/alerts`), a device's detection sensitivity and the replay of a
 * device's stored history (`/api/devices/{id}/sensitivity`, `/api/devices/{id}/replay`).
 */

export const ALERT_STATUSES = ['active', 'acknowledged', 'cleared', 'dismissed', 'false_positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
/** Statuses of an alert that is still open (at most one per device, metric and kind). */
export const OPEN_ALERT_STATUSES: readonly AlertStatus[] = ['active', 'acknowledged'];

export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
/** Service priorities (ARCHITECTURE.md): P1 critical .. P4 low. */
export const ALERT_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type AlertPriority = (typeof ALERT_PRIORITIES)[number];

export const ALERT_ACTIONS = ['acknowledge', 'dismiss', 'false_positive'] as const;
export type AlertActionName = (typeof ALERT_ACTIONS)[number];

const iso = z.iso.datetime();
const KIND_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

export const EvidenceSchema = z.object({
  from: iso,
  to: iso,
  series: z.enum(['readings', 'bucket_means', 'paired_differences']),
  points: z.array(z.object({ ts: iso, value: z.number() })),
});

export const PredictionSchema = z.object({
  limit: z.number().describe('the limit the series is heading for, in the metric unit'),
  crossingTime: iso.describe('predicted (event) time of the crossing'),
  earliest: iso.describe('earliest crossing of the confidence band: schedule the work before it'),
  latest: iso.nullable(),
  confidence: z.number().min(0).max(1),
  horizonDays: z.number(),
  slopePerDay: z.number(),
  level: z.number(),
});

export const AlertSchema = z.object({
  id: z.uuid(),
  deviceId: z.string(),
  assetId: z.uuid().nullable(),
  customerId: z.uuid().nullable(),
  metric: z.string(),
  kind: z.string().describe('finding kind, e.g. dft_below_minimum, coating_damage, sensor_offline'),
  fault: z.string().describe('what a work order would be for: coating_damage, corrosion, sensor...'),
  detector: z.string(),
  lifecycle: z.enum(['condition', 'event']),
  severity: z.enum(ALERT_SEVERITIES),
  priority: z.enum(ALERT_PRIORITIES),
  score: z.number().min(0).max(1),
  status: z.enum(ALERT_STATUSES),
  explanation: z.string(),
  standard: z.string().nullable(),
  eventTime: iso.describe('event time of the reading that triggered the alert'),
  onsetTime: iso.describe('event time at which the anomaly started'),
  openedAt: iso.describe('wall-clock time the alert was opened'),
  lastEventTime: iso.describe('event time of the latest finding'),
  occurrences: z.number().int().min(1),
  clearedAt: iso.nullable().describe('wall-clock time it cleared'),
  clearedEventTime: iso.nullable(),
  clearReason: z.enum(['recovered', 'quiet_period']).nullable(),
  acknowledgedBy: z.string().nullable(),
  acknowledgedAt: iso.nullable(),
  closedBy: z.string().nullable().describe('who dismissed it or marked it false positive'),
  closedAt: iso.nullable(),
  note: z.string().nullable(),
  evidence: EvidenceSchema,
  prediction: PredictionSchema.nullable(),
  details: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).nullable(),
  version: z.number().int(),
  updatedAt: iso,
});
export type AlertView = z.infer<typeof AlertSchema>;

export const AlertHistoryEntrySchema = z.object({
  action: z
    .string()
    .describe('raised, repeated, escalated, reopened, cleared, acknowledged, dismissed, false_positive'),
  at: iso.describe('wall-clock time'),
  eventTime: iso.nullable(),
  actor: z.string().describe('"system" or the token id of the planner'),
  note: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

export const AlertDetailSchema = AlertSchema.extend({ history: z.array(AlertHistoryEntrySchema) });
export type AlertDetail = z.infer<typeof AlertDetailSchema>;

function csvOf<T extends readonly [string, ...string[]]>(values: T, name: string) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return undefined;
      const isValue = (p: string): p is T[number] => (values as readonly string[]).includes(p);
      const parts = value.split(',').map((v) => v.trim());
      const bad = parts.find((p) => !isValue(p));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(bad)} is not a ${name} (${values.join(', ')})` });
        return z.NEVER;
      }
      return parts.filter(isValue);
    });
}

/** Query of `GET /api/alerts`; `from` / `to` select on the alert's event time. */
export const AlertListQuerySchema = z.object({
  status: csvOf([...ALERT_STATUSES, 'open'] as const, 'status').describe(
    'comma-separated statuses; "open" = active and acknowledged',
  ),
  deviceId: z.string().max(128).optional(),
  assetId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  kind: z.string().regex(KIND_PATTERN, 'kind looks like dft_below_minimum').optional(),
  severity: csvOf(ALERT_SEVERITIES, 'severity').describe('comma-separated severities'),
  from: z.iso.datetime({ offset: true }).optional().describe('event time at or after'),
  to: z.iso.datetime({ offset: true }).optional().describe('event time at or before'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
export type AlertListQuery = z.infer<typeof AlertListQuerySchema>;

export const AlertActionRequestSchema = z.strictObject({
  action: z.enum(ALERT_ACTIONS),
  note: z.string().trim().max(2000).optional(),
  version: z.number().int().min(0).optional().describe('optimistic concurrency: 409 when the alert changed since'),
});
export type AlertActionRequest = z.infer<typeof AlertActionRequestSchema>;

export const SensitivityChangeSchema = z.object({
  at: iso,
  from: z.number(),
  to: z.number(),
  by: z.string(),
  reason: z.string(),
  alertId: z.uuid().nullable(),
  note: z.string().nullable(),
});

export const DeviceSensitivitySchema = z.object({
  deviceId: z.string(),
  sensitivity: z.number().describe('multiplier of the evidence detectors need: 1 default, lower = fewer alerts'),
  min: z.number(),
  max: z.number(),
  history: z.array(SensitivityChangeSchema).describe('changes, oldest first'),
});
export type DeviceSensitivity = z.infer<typeof DeviceSensitivitySchema>;

export const ReplayQuerySchema = z.object({
  from: z.iso.datetime({ offset: true }).optional().describe('default: 30 days before `to`'),
  to: z.iso.datetime({ offset: true }).optional().describe('default: now'),
});
export type ReplayQuery = z.infer<typeof ReplayQuerySchema>;

export const FindingViewSchema = z.object({
  metric: z.string(),
  kind: z.string(),
  fault: z.string(),
  detector: z.string(),
  phase: z.enum(['raised', 'escalated', 'cleared']),
  lifecycle: z.enum(['condition', 'event']),
  score: z.number(),
  severity: z.enum(ALERT_SEVERITIES),
  explanation: z.string(),
  eventTime: iso,
  detectedAt: iso,
  standard: z.string().nullable(),
  prediction: PredictionSchema.nullable(),
});

export const ReplayResultSchema = z.object({
  deviceId: z.string(),
  from: iso,
  to: iso,
  sensitivity: z.number(),
  readings: z.number().int().describe('readings replayed'),
  metrics: z.array(z.string()),
  findings: z.array(FindingViewSchema),
  findingsTruncated: z.boolean().describe('true when more findings than listed were produced'),
  alerts: z.array(AlertSchema).describe('alerts the rules would have raised, as of the end of the window'),
});
export type ReplayResult = z.infer<typeof ReplayResultSchema>;
