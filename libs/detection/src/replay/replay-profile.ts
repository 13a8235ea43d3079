/**
 * `--profile FILE` of the replay CLI: what the columns mean and the asset they were measured on. One profile
 * applies to every input file (one set of parameters).
 *
 * ```json
 * { "columns": { "thk": "coating_thickness_um" },
 *   "asset": { "nominalDftUm": 300, "coatingInstalledAt": "2026-03-01", "corrosivityCategory": "C4", "samplingIntervalS": 3600,
 *              "thresholds": { "dftMinFraction": 0.8 }, "streams": { "coating_thickness_um": { "stuck": null } } },
 *   "sensitivity": 1 }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CORROSIVITY_CATEGORIES } from '#contracts';
import type { AssetProfile } from '../core/index.js';

const positive = z.number().positive();

const ThresholdsSchema = z.strictObject({
  dftMinFraction: positive.optional(),
  dftMeanFraction: positive.optional(),
  dftBreakdownFraction: z.number().gt(0).lt(1).optional(),
  acceptanceDays: z.number().min(0).optional(),
  dftSuspectFactor: positive.optional(),
  corrosionRateBandsMmY: z
    .strictObject({ moderate: positive.optional(), high: positive.optional(), severe: positive.optional() })
    .optional(),
  cpProtectedMv: z.number().optional(),
  cpUnprotectedMv: z.number().optional(),
  cpOverprotectedMv: z.number().optional(),
  metalLossAllowanceUm: positive.optional(),
  batteryLowV: positive.optional(),
  leadHorizonDays: positive.optional(),
  forecastMinConfidence: z.number().gt(0).lt(1).optional(),
  confirmReadings: z.number().int().min(1).optional(),
  clearReadings: z.number().int().min(1).optional(),
  offlineFactor: positive.optional(),
});

export const ReplayProfileSchema = z.strictObject({
  columns: z
    .record(z.string(), z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a metric name looks like coating_thickness_um'))
    .default({})
    .describe('CSV column -> metric name; unmapped columns keep their own name'),
  asset: z
    .strictObject({
      nominalDftUm: positive.max(5000).optional(),
      // The ISO 19840 acceptance rules judge the film only in its first days after this date.
      coatingInstalledAt: z.iso
        .date()
        .or(z.iso.datetime({ offset: true }))
        .transform((text) => Date.parse(text))
        .optional(),
      corrosivityCategory: z.enum(CORROSIVITY_CATEGORIES).optional(),
      samplingIntervalS: z.number().int().min(1).optional(),
      thresholds: ThresholdsSchema.optional(),
      // Detector-level overrides (core/config.ts StreamOverrides), checked when the detectors are built.
      streams: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    })
    .default({}),
  sensitivity: z.number().positive().default(1),
});

export interface ReplayProfile {
  readonly columns: Readonly<Record<string, string>>;
  readonly asset: AssetProfile;
  readonly sensitivity: number;
}

export const DEFAULT_REPLAY_PROFILE: ReplayProfile = { columns: {}, asset: {}, sensitivity: 1 };

export async function loadReplayProfile(file: string): Promise<ReplayProfile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file}: not a readable JSON file (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  const parsed = ReplayProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.map(String).join('.') : '';
    throw new Error(`${file}: ${field ? `${field}: ` : ''}${issue?.message ?? 'invalid profile'}`);
  }
  // The stream overrides are the core's StreamOverrides; buildStreamConfig validates what it uses.
  return parsed.data;
}
