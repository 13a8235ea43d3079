import { Injectable } from '@nestjs/common';
import type { DeviceCredentials, DeviceCredentialsSource } from '#contracts';
import { DeviceRepository } from './device.repository.js';

/** The broker's view of a device at MQTT CONNECT: its token digest and whether it may connect. */
@Injectable()
export class FleetDeviceCredentials implements DeviceCredentialsSource {
  constructor(private readonly devices: DeviceRepository) {}

  async findCredentials(deviceId: string): Promise<DeviceCredentials | undefined> {
    const row = await this.devices.findCredentials(deviceId);
    return row && { deviceId: row.id, tokenDigest: row.tokenDigest, enabled: row.enabled };
  }
}
