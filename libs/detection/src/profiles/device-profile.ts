import type { Observable } from 'rxjs';
import type { AssetProfile } from '../core/index.js';

/** What detection needs to know about a device: its asset's profile and who owns it. */
export interface DeviceProfile {
  readonly deviceId: string;
  /** False when the fleet does not know the device (deleted): detection carries on with defaults. */
  readonly known: boolean;
  readonly assetId: string | null;
  readonly customerId: string | null;
  readonly profile: AssetProfile;
}

/** Looks a device's profile up (the fleet adapter in production, a stub in tests). */
export interface DeviceProfileSource {
  profileOf(deviceId: string): Promise<DeviceProfile>;
  /** Several devices at once (the pipeline's first loads); answers a profile for every id asked. Optional. */
  profilesOf?(deviceIds: readonly string[]): Promise<Map<string, DeviceProfile>>;
  /**
   * Assets whose profiles changed (a planner's detection settings), so that cached profiles of their devices
   * are re-read now rather than at the end of their time to live. Optional.
   */
  readonly changedAssets$?: Observable<string>;
}

export const DEVICE_PROFILE_SOURCE = Symbol('DeviceProfileSource');

/** Profiles compared by value, to know when a device's streams must be reconfigured. */
export function sameProfile(a: AssetProfile, b: AssetProfile): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
