import { z } from 'zod';
import { KPI_GROUP_BY } from '../domain/index.js';
import { InstantSchema, queryBoolean } from '../http/query.js';

/** Query of `GET /api/kpis`. */
export const KpiQuerySchema = z
  .object({
    from: InstantSchema.optional().describe(
      'start of the period (work orders created from); default: 90 days before `to`',
    ),
    to: InstantSchema.optional().describe('end of the period (exclusive); default: now'),
    groupBy: z.enum(KPI_GROUP_BY).optional(),
    format: z.enum(['json', 'csv']).optional().describe('csv also with `Accept: text/csv`'),
    mtbfByAsset: queryBoolean.optional().describe('true: list MTBF per asset (long on a large fleet)'),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, {
    message: 'from must be before to',
    path: ['from'],
  });
export type KpiQuery = z.infer<typeof KpiQuerySchema>;

const RatioSchema = z.object({
  numerator: z.number().int(),
  denominator: z.number().int(),
  rate: z.number().nullable(),
});
const DurationSchema = z.object({ count: z.number().int(), meanMs: z.number().nullable() });

export const KpiSetViewSchema = z.object({
  workOrders: z.number().int(),
  cancelled: z.number().int(),
  falseAlarms: z.number().int(),
  firstResponse: DurationSchema.extend({ p90Ms: z.number().nullable() }),
  onSiteWithinTarget: RatioSchema,
  firstTimeFix: RatioSchema,
  slaCompliance: z
    .object({ P1: RatioSchema, P2: RatioSchema, P3: RatioSchema, P4: RatioSchema, all: RatioSchema })
    .describe('compliant work orders over those whose outcome is known, per SLA priority'),
  timeToResolve: DurationSchema,
  mtbf: z.object({
    assets: z.number().int().describe('assets with a fault in the period'),
    intervals: z.number().int().describe('uptimes measured (between the resolution of a fault and the next)'),
    meanMs: z.number().nullable().describe('mean uptime over every interval'),
    byAsset: z
      .array(
        z.object({
          assetId: z.uuid(),
          failures: z.number().int(),
          intervals: z.number().int(),
          meanMs: z.number().nullable(),
        }),
      )
      .optional(),
  }),
  satisfaction: z.object({
    responses: z.number().int(),
    meanScore: z.number().nullable(),
    wouldRecommend: RatioSchema,
  }),
  complaintsWithin24h: RatioSchema,
  proactive: RatioSchema.describe('fault work orders opened by detection before any customer report'),
  detectionLeadTime: DurationSchema.extend({ medianMs: z.number().nullable() }),
});
export type KpiSetView = z.infer<typeof KpiSetViewSchema>;

export const KpiReportViewSchema = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  asOf: z.iso.datetime().describe('pending deadlines are judged at this instant'),
  groupBy: z.enum(KPI_GROUP_BY).nullable(),
  timeZone: z.string(),
  overall: KpiSetViewSchema,
  groups: z.array(z.object({ key: z.string().nullable(), kpis: KpiSetViewSchema })),
  promises: z.array(
    z.object({ promise: z.string(), text: z.string(), actual: z.number().nullable(), kept: z.boolean().nullable() }),
  ),
});
export type KpiReportView = z.infer<typeof KpiReportViewSchema>;
