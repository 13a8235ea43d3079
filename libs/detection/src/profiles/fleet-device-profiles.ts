import { Injectable } from '@nestjs/common';
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
    if (!device) return { deviceId, known: false, assetId: null, customerId: null, profile: {} };
    const asset = await this.assets.find(device.assetId);
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
}
