import { Injectable } from '@nestjs/common';
import type { Asset, Device } from '#contracts';
import { AssetService, DeviceService } from '#fleet';
import type { DeviceProfile, DeviceProfileSource } from './device-profile.js';

/**
 * Device profiles from the fleet: the nominal DFT, installation date and corrosivity category of the asset's
 * coating specification (ISO 19840 acceptance, breakdown and ISO 12944-2 limits are derived from them) and the device's sampling interval
 * (offline check).
 */
@Injectable()
export class FleetDeviceProfiles implements DeviceProfileSource {
  constructor(
    private readonly devices: DeviceService,
    private readonly assets: AssetService,
  ) {}

  async profileOf(deviceId: string): Promise<DeviceProfile> {
    const device = await this.devices.find(deviceId);
    return toProfile(deviceId, device, device && (await this.assets.find(device.assetId)));
  }

  /** Several devices in two queries (devices, then their assets), whatever their number. */
  async profilesOf(deviceIds: readonly string[]): Promise<Map<string, DeviceProfile>> {
    const devices = await this.devices.findMany(deviceIds);
    const assets = await this.assets.findMany([...new Set([...devices.values()].map((d) => d.assetId))]);
    const out = new Map<string, DeviceProfile>();
    for (const id of deviceIds) {
      const device = devices.get(id);
      out.set(id, toProfile(id, device, device && assets.get(device.assetId)));
    }
    return out;
  }
}

function toProfile(deviceId: string, device: Device | undefined, asset: Asset | undefined): DeviceProfile {
  if (!device) return { deviceId, known: false, assetId: null, customerId: null, profile: {} };
  return {
    deviceId,
    known: true,
    assetId: device.assetId,
    customerId: device.customerId,
    profile: {
      samplingIntervalS: device.samplingIntervalS,
      ...(asset
        ? {
            nominalDftUm: asset.coating.nominalDftUm,
            coatingInstalledAt: Date.parse(asset.coating.installedAt),
            corrosivityCategory: asset.coating.corrosivityCategory,
          }
        : {}),
    },
  };
}
