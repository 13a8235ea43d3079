import type { Asset, AssetDetectionSettings } from '#contracts';
import type { AssetProfile } from '../core/index.js';

/**
 * What the detectors know of an asset: its coating specification (ISO 19840 acceptance, breakdown and ISO 12944-2
 * limits are derived from it), the device's sampling interval (offline check) and the planner's detection
 * settings. Pure: the fleet lookups and the settings table are the callers'.
 */
export function assetProfileOf(
  asset: Asset | undefined,
  samplingIntervalS: number | undefined,
  settings: AssetDetectionSettings | undefined,
): AssetProfile {
  return {
    ...(samplingIntervalS === undefined ? {} : { samplingIntervalS }),
    ...(asset
      ? {
          nominalDftUm: asset.coating.nominalDftUm,
          coatingInstalledAt: Date.parse(asset.coating.installedAt),
          corrosivityCategory: asset.coating.corrosivityCategory,
        }
      : {}),
    ...(settings ? withSettings(settings) : {}),
  };
}

/**
 * The settings as the core takes them. The API schema mirrors AssetThresholds and StreamOverrides: this
 * assignment is where the compiler holds them to it.
 */
export function withSettings(settings: AssetDetectionSettings): Pick<AssetProfile, 'thresholds' | 'streams'> {
  const profile: Pick<AssetProfile, 'thresholds' | 'streams'> = {
    ...(settings.thresholds ? { thresholds: settings.thresholds } : {}),
    ...(settings.streams ? { streams: settings.streams } : {}),
  };
  return profile;
}
