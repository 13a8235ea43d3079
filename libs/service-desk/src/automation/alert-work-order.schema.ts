import { z } from 'zod';
import { DetectorEvidenceSchema, EpochMsSchema, FaultCategorySchema, type Priority } from '../domain/index.js';

/** Alert severities as detection grades them, most severe last. */
export const ALERT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** critical -> P1 (on site within 2 h) ... low -> P4 (remote diagnosis or appointment). */
export const PRIORITY_BY_SEVERITY: Readonly<Record<AlertSeverity, Priority>> = {
  critical: 'P1',
  high: 'P2',
  medium: 'P3',
  low: 'P4',
};

/**
 * What the detection automation hands over to open (or find) the work order of an alert: the evidence the
 * domain keeps on a detector work order, plus the fault kind and severity. The asset defaults to the device's.
 */
export const AlertWorkOrderRequestSchema = z.strictObject({
  evidence: DetectorEvidenceSchema,
  assetId: z.uuid().optional().describe("defaults to the device's asset"),
  faultCategory: FaultCategorySchema.describe('the fault kind: one open work order per asset and fault kind'),
  severity: z.enum(ALERT_SEVERITIES),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(10_000).default(''),
  plannedBy: EpochMsSchema.optional().describe(
    'a predicted fault: the work is planned to be done before this time (recorded as a visit_planned log entry)',
  ),
});
export type AlertWorkOrderRequest = z.input<typeof AlertWorkOrderRequestSchema>;

/**
 * Detection found that an alert linked to a work order was its device's own sensor drifting, not the asset
 * (the alert is cleared with reason sensor_drift): the work order records it for its planner.
 */
export const AlertAttributionSchema = z.strictObject({
  alertId: z.uuid().describe('the alert whose work order records the attribution'),
  note: z.string().trim().min(1).max(2_000).describe('what detection found, naming the drift alert'),
});
export type AlertAttribution = z.input<typeof AlertAttributionSchema>;
