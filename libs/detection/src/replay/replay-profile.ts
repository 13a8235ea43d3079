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
 *
 * `asset.thresholds` and `asset.streams` are the same shape as an asset's detection settings in the API
 * (`PUT /api/assets/{id}/detection-settings`, `AssetDetectionSettingsSchema` in #contracts).
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { AssetDetectionSettingsSchema, CORROSIVITY_CATEGORIES } from '#contracts';
import type { AssetProfile } from '../core/index.js';

const positive = z.number().positive();

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
      // `thresholds` and `streams`: the same shape as an asset's settings in the API
      // (PUT /api/assets/{id}/detection-settings), one schema for both.
      ...AssetDetectionSettingsSchema.shape,
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
  // Cross-field rules of the stream overrides (warmup within the window...) are checked by buildStreamConfig.
  return parsed.data;
}
