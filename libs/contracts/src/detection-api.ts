import { z } from 'zod';
import { METRIC_NAME_PATTERN } from './metric-catalog.js';

/**
 * API of the detection lib: alerts (`/api/alerts`), a device's detection sensitivity and the replay of a
 * device's stored history (`/api/devices/{id}/sensitivity`, `/api/devices/{id}/replay`), an asset's detector
 * settings (`/api/assets/{id}/detection-settings`).
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
  clearReason: z
    .enum(['recovered', 'quiet_period', 'sensor_drift'])
    .nullable()
    .describe("sensor_drift: the device's own sensor of that metric drifts, the note names its alert"),
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
    .describe(
      'raised, repeated, escalated, reopened, cleared, acknowledged, dismissed, false_positive; attributed (a ' +
        'sensor_drift alert: a finding of its device it held back, or an alert it resolved)',
    ),
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

// ---- an asset's detector settings ----
// The one schema of a planner's per-asset tuning: the HTTP API and the replay CLI's `--profile` file both parse
// it. Its fields mirror the detector core's `AssetThresholds` and `StreamOverrides` (libs/detection core/config.ts;
// settings/settings-types.test.ts proves the parsed value is assignable to them). Cross-field rules (warmup within
// the window, segments within the buckets...) are the core's `buildStreamConfig`, which the API runs on a PUT.

const positive = z.number().positive();
const nonNegative = z.number().min(0);
const count = z.number().int().min(1);
const fraction = z.number().gt(0).lt(1);

/** Per-asset domain thresholds (core AssetThresholds); the defaults and their standards in core/standards.ts. */
export const DetectionThresholdsSchema = z.strictObject({
  dftMinFraction: positive.optional().describe('ISO 19840: no single DFT reading below this fraction of nominal (0.8)'),
  dftMeanFraction: positive.optional().describe('ISO 19840: the mean DFT not below this fraction of nominal (1)'),
  dftBreakdownFraction: fraction.optional().describe('fraction of nominal DFT at which the film is broken down (0.5)'),
  acceptanceDays: nonNegative.optional().describe('days after installation during which ISO 19840 applies (90)'),
  dftSuspectFactor: positive.optional().describe('a DFT above this multiple of nominal is suspect (3)'),
  corrosionRateBandsMmY: z
    .strictObject({ moderate: positive.optional(), high: positive.optional(), severe: positive.optional() })
    .optional()
    .describe('NACE SP0775 corrosion rate bands, mm/y'),
  cpProtectedMv: z.number().optional().describe('CP protection criterion, mV vs Cu/CuSO4 (-850)'),
  cpUnprotectedMv: z.number().optional(),
  cpOverprotectedMv: z.number().optional(),
  metalLossAllowanceUm: positive.optional(),
  batteryLowV: positive.optional(),
  leadHorizonDays: positive.optional().describe('forecasts warn of a crossing within this many days (30)'),
  forecastMinConfidence: fraction.optional(),
  confirmReadings: count.optional().describe('consecutive readings that confirm a threshold condition (3)'),
  clearReadings: count.optional(),
  offlineFactor: positive.optional().describe('offline after this many sampling intervals without a reading (3)'),
});
export type DetectionThresholds = z.infer<typeof DetectionThresholdsSchema>;

/** Detector-level overrides of one metric (core StreamOverrides): merged over the defaults; `null` disables. */
export const StreamOverridesSchema = z.strictObject({
  window: z
    .strictObject({
      size: z.number().int().min(4).optional(),
      refreshEvery: count.optional(),
      warmup: count.optional(),
      minSpread: nonNegative.optional(),
      relativeMinSpread: nonNegative.optional(),
    })
    .optional(),
  buckets: z.strictObject({ bucketMs: count.optional(), size: count.optional() }).optional(),
  spike: z
    .strictObject({
      zThreshold: positive.optional(),
      maxRun: count.optional(),
      shiftRun: count.optional(),
      reportShifts: z.boolean().optional(),
    })
    .nullable()
    .optional(),
  step: z
    .strictObject({
      k: nonNegative.optional(),
      h: positive.optional(),
      clip: positive.optional(),
      minMagnitude: nonNegative.optional(),
    })
    .nullable()
    .optional(),
  slope: z
    .strictObject({
      recentBuckets: z.number().int().min(2).optional(),
      minReferenceBuckets: z.number().int().min(2).optional(),
      z: positive.optional(),
      minChangePerDay: nonNegative.optional(),
      spreadFactor: nonNegative.optional(),
      confirm: count.optional(),
      // A planner may switch the "impossible trend" check off, not give it another meaning.
      impossible: z.null().optional(),
    })
    .nullable()
    .optional(),
  departure: z
    .strictObject({
      limit: z.number().optional(),
      direction: z.enum(['rising', 'falling']).optional(),
      recentReadings: count.optional(),
      baselineBuckets: count.optional(),
      minDeparture: nonNegative.optional(),
      fractionOfDistance: nonNegative.optional(),
      spreadFactor: nonNegative.optional(),
      confirm: count.optional(),
    })
    .nullable()
    .optional(),
  forecast: z
    .strictObject({
      horizonMs: count.optional(),
      minConfidence: fraction.optional(),
      minBuckets: z.number().int().min(2).optional(),
      limit: z.number().optional(),
    })
    .nullable()
    .optional(),
  range: z
    .strictObject({
      min: z.number().optional(),
      max: z.number().optional(),
      confirm: count.optional(),
      clearConfirm: count.optional(),
    })
    .refine((r) => r.min === undefined || r.max === undefined || r.min < r.max, {
      message: 'min must be below max',
      path: ['min'],
    })
    .nullable()
    .optional(),
  stuck: z
    .strictObject({
      count: z.number().int().min(2).optional(),
      tolerance: nonNegative.optional(),
      ignoreAtRangeLimits: z.boolean().optional(),
    })
    .nullable()
    .optional(),
  noise: z
    .strictObject({
      ratio: z.number().gt(1).optional(),
      confirm: count.optional(),
      clearConfirm: count.optional(),
      referenceAlpha: z.number().gt(0).max(1).optional(),
      minReference: nonNegative.optional(),
    })
    .nullable()
    .optional(),
  offline: z
    .strictObject({ intervalMs: count.optional(), factor: positive.optional(), escalateFactor: positive.optional() })
    .optional(),
  pairedDrift: z
    .strictObject({ limit: positive.optional().describe('deviation from the usual offset that is drift, metric unit') })
    .nullable()
    .optional()
    .describe('drift against the other sensors of this metric on the asset; null: not compared'),
});
export type StreamOverridesSettings = z.infer<typeof StreamOverridesSchema>;

/** The most metrics one asset's settings name (a bound on what a request makes the server validate). */
export const MAX_SETTINGS_METRICS = 64;

export const AssetDetectionSettingsSchema = z.strictObject({
  thresholds: DetectionThresholdsSchema.optional(),
  streams: z
    .record(
      z.string().regex(METRIC_NAME_PATTERN, 'a metric name looks like coating_thickness_um'),
      StreamOverridesSchema,
    )
    .refine((streams) => Object.keys(streams).length <= MAX_SETTINGS_METRICS, {
      message: `at most ${MAX_SETTINGS_METRICS} metrics`,
    })
    .optional()
    .describe('per metric name (catalog metrics or any other: the generic detectors)'),
});
export type AssetDetectionSettings = z.infer<typeof AssetDetectionSettingsSchema>;

export const DetectionSettingsChangeSchema = z.object({
  version: z.number().int().min(1).describe('the version this change produced'),
  at: iso,
  by: z.string().describe('token id of the planner'),
  settings: AssetDetectionSettingsSchema.describe('the settings as of this change'),
});

export const DetectionSettingsViewSchema = z.object({
  assetId: z.uuid(),
  settings: AssetDetectionSettingsSchema.describe('empty: every detector on its defaults'),
  version: z.number().int().min(0).describe('0 before the first change; send it back on PUT'),
  updatedAt: iso.nullable(),
  updatedBy: z.string().nullable(),
  history: z.array(DetectionSettingsChangeSchema).describe('changes, oldest first (the latest ones only)'),
});
export type DetectionSettingsView = z.infer<typeof DetectionSettingsViewSchema>;

export const DetectionSettingsUpdateSchema = z.strictObject({
  settings: AssetDetectionSettingsSchema,
  version: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('optimistic concurrency: 409 when the settings changed since this version'),
});
export type DetectionSettingsUpdate = z.infer<typeof DetectionSettingsUpdateSchema>;

export const EffectiveConfigQuerySchema = z.object({
  metric: z.string().regex(METRIC_NAME_PATTERN, 'a metric name looks like coating_thickness_um'),
  deviceId: z
    .string()
    .max(128)
    .optional()
    .describe('a device on the asset: its sampling interval sets the offline check (default 1 h)'),
});
export type EffectiveConfigQuery = z.infer<typeof EffectiveConfigQuerySchema>;

const direction = z.enum(['rising', 'falling']);
const ChangeMeaningSchema = z.object({
  kind: z.string(),
  fault: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  meaning: z.string(),
});
const epochMs = z.number().describe('event time, epoch ms');

/** What the detectors of one stream run with (core StreamConfig): defaults, coating spec and settings merged. */
export const EffectiveStreamConfigSchema = z.object({
  metric: z.string(),
  unit: z.string(),
  subject: z.string(),
  window: z.object({
    size: z.number(),
    refreshEvery: z.number(),
    warmup: z.number(),
    minSpread: z.number(),
    relativeMinSpread: z.number(),
  }),
  buckets: z.object({ bucketMs: z.number(), size: z.number() }),
  rules: z
    .array(
      z.object({
        id: z.string(),
        kind: z.string(),
        fault: z.string(),
        input: z.enum(['reading', 'window_mean']),
        violates: z.enum(['below', 'above']),
        bands: z
          .array(z.object({ limit: z.number(), strict: z.boolean(), severity: z.enum(ALERT_SEVERITIES) }))
          .readonly(),
        clearMargin: z.number(),
        confirm: z.number(),
        clearConfirm: z.number(),
        standard: z.string().nullable(),
        subject: z.string(),
        limitText: z.string(),
        activeUntil: epochMs.optional(),
        activeFrom: epochMs.optional(),
      }),
    )
    .readonly()
    .describe('threshold conditions (domain rules); not switched off by settings, tuned through thresholds'),
  spike: z
    .object({ zThreshold: z.number(), maxRun: z.number(), shiftRun: z.number(), reportShifts: z.boolean() })
    .nullable(),
  step: z
    .object({
      k: z.number(),
      h: z.number(),
      clip: z.number(),
      minMagnitude: z.number(),
      up: ChangeMeaningSchema.nullable(),
      down: ChangeMeaningSchema.nullable(),
    })
    .nullable(),
  slope: z
    .object({
      recentBuckets: z.number(),
      minReferenceBuckets: z.number(),
      z: z.number(),
      minChangePerDay: z.number(),
      spreadFactor: z.number(),
      confirm: z.number(),
      rising: ChangeMeaningSchema.nullable(),
      falling: ChangeMeaningSchema.nullable(),
      impossible: z.object({ direction, meaning: ChangeMeaningSchema }).nullable().optional(),
    })
    .nullable(),
  departure: z
    .object({
      limit: z.number(),
      direction,
      limitText: z.string(),
      recentReadings: z.number(),
      baselineBuckets: z.number(),
      minDeparture: z.number(),
      fractionOfDistance: z.number(),
      spreadFactor: z.number(),
      confirm: z.number(),
      meaning: ChangeMeaningSchema,
    })
    .nullable(),
  forecast: z
    .object({
      kind: z.string(),
      fault: z.string(),
      limit: z.number(),
      direction,
      horizonMs: z.number(),
      minConfidence: z.number(),
      minBuckets: z.number(),
      confirm: z.number(),
      clearConfirm: z.number(),
      subject: z.string(),
      limitText: z.string(),
      standard: z.string().nullable(),
    })
    .nullable(),
  range: z
    .object({
      min: z.number(),
      max: z.number(),
      confirm: z.number(),
      clearConfirm: z.number(),
      reason: z.string(),
      standard: z.string().nullable(),
    })
    .nullable(),
  stuck: z.object({ count: z.number(), tolerance: z.number(), ignoreAtRangeLimits: z.boolean() }).nullable(),
  noise: z
    .object({
      ratio: z.number(),
      confirm: z.number(),
      clearConfirm: z.number(),
      referenceAlpha: z.number(),
      minReference: z.number().optional(),
    })
    .nullable(),
  offline: z.object({ intervalMs: z.number(), factor: z.number(), escalateFactor: z.number() }),
});

export const EffectiveDetectionConfigSchema = z.object({
  assetId: z.uuid(),
  deviceId: z.string().nullable(),
  metric: z.string(),
  settingsVersion: z.number().int().min(0),
  config: EffectiveStreamConfigSchema.describe(
    'before the device’s sensitivity, which scales the evidence the detectors want (GET /api/devices/{id}/sensitivity)',
  ),
});
export type EffectiveDetectionConfig = z.infer<typeof EffectiveDetectionConfigSchema>;
