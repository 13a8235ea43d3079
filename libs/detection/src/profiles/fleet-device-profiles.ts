import { Inject, Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { Asset, Device } from '#contracts';
import { DATABASE, type Database } from '#database';
import { AssetService, DeviceService } from '#fleet';
import { DetectionSettingsChanges } from '../settings/detection-settings-changes.js';
import {
  DetectionSettingsRepository,
  type StoredDetectionSettings,
} from '../settings/detection-settings.repository.js';
import { assetProfileOf } from './asset-profile.js';
import type { DeviceProfile, DeviceProfileSource } from './device-profile.js';

/**
 * Device profiles from the fleet and the detection settings: the coating specification of the device's asset,
 * the device's sampling interval and the planner's per-asset tuning of the detectors (asset-profile.ts).
 */
@Injectable()
export class FleetDeviceProfiles implements DeviceProfileSource {
  readonly changedAssets$: Observable<string>;

  constructor(
    private readonly devices: DeviceService,
    private readonly assets: AssetService,
    @Inject(DATABASE) private readonly db: Database,
    private readonly settings: DetectionSettingsRepository,
    changes: DetectionSettingsChanges,
  ) {
    this.changedAssets$ = changes.assets$;
  }

  async profileOf(deviceId: string): Promise<DeviceProfile> {
    const device = await this.devices.find(deviceId);
    if (!device) return toProfile(deviceId, device, undefined, undefined);
    const [asset, settings] = await Promise.all([
      this.assets.find(device.assetId),
      this.settings.get(this.db, device.assetId),
    ]);
    return toProfile(deviceId, device, asset, settings);
  }

  /** Several devices in three queries (devices, then their assets and their settings), whatever their number. */
  async profilesOf(deviceIds: readonly string[]): Promise<Map<string, DeviceProfile>> {
    const devices = await this.devices.findMany(deviceIds);
    const assetIds = [...new Set([...devices.values()].map((d) => d.assetId))];
    const [assets, settings] = await Promise.all([
      this.assets.findMany(assetIds),
      this.settings.getMany(this.db, assetIds),
    ]);
    const out = new Map<string, DeviceProfile>();
    for (const id of deviceIds) {
      const device = devices.get(id);
      out.set(id, toProfile(id, device, device && assets.get(device.assetId), device && settings.get(device.assetId)));
    }
    return out;
  }
}

function toProfile(
  deviceId: string,
  device: Device | undefined,
  asset: Asset | undefined,
  settings: StoredDetectionSettings | undefined,
): DeviceProfile {
  if (!device) return { deviceId, known: false, assetId: null, customerId: null, profile: {} };
  return {
    deviceId,
    known: true,
    assetId: device.assetId,
    customerId: device.customerId,
    profile: assetProfileOf(asset, device.samplingIntervalS, settings?.settings),
  };
}
