import { type AssetDetectionSettings, METRIC_CATALOG } from '#contracts';
import { type AssetProfile, buildStreamConfig } from '../core/index.js';
import { withSettings } from '../profiles/asset-profile.js';

export interface SettingsProblem {
  /** Path in the request body: `settings.streams.coating_thickness_um.window.warmup`. */
  readonly field: string;
  readonly message: string;
}

/** `coating_thickness_um: window.warmup must not exceed window.size` (core validateStreamConfig's wording). */
const CORE_MESSAGE = /^([a-z][a-z0-9_]*): ([a-zA-Z]+\.[a-zA-Z]+)?(.*)$/;

/**
 * The rules the schema cannot see, because they span the defaults and the overrides (a warmup within the
 * window, segments within the buckets, a range whose limits are in order...): the core's `buildStreamConfig`
 * is run for every metric the settings name and for every catalog metric (thresholds reach those), on the
 * asset's profile with the settings applied. The first problem, or null.
 */
export function settingsProblem(settings: AssetDetectionSettings, asset: AssetProfile): SettingsProblem | null {
  const profile: AssetProfile = { ...asset, thresholds: undefined, streams: undefined, ...withSettings(settings) };
  const named = Object.keys(settings.streams ?? {});
  for (const metric of new Set([...named, ...Object.keys(METRIC_CATALOG)])) {
    const base = named.includes(metric) ? `settings.streams.${metric}` : 'settings.thresholds';
    try {
      const config = buildStreamConfig(metric, profile);
      if (config.range && !(config.range.min < config.range.max)) {
        const field = named.includes(metric) ? `${base}.range.min` : base;
        return problem(field, `${metric}: range.min must be below range.max`);
      }
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      const match = CORE_MESSAGE.exec(error.message);
      // A named metric's problem is its own field's; a catalog metric's comes from the thresholds: name the metric.
      if (named.includes(metric) && match?.[2]) return problem(`${base}.${match[2]}`, `${match[2]}${match[3]}`);
      return problem(base, error.message);
    }
  }
  return null;
}

function problem(field: string, message: string): SettingsProblem {
  return { field, message: `${field}: ${message}` };
}
