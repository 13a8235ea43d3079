import { Injectable } from '@nestjs/common';
import type { DeviceAccessPolicy, Principal } from '#contracts';
import { scopeAllows, scopeOf } from '../access/customer-scope.js';
import { notFound } from '../shared/http-errors.js';
import { DeviceRepository } from './device.repository.js';

/**
 * Who may read a device's data (readings, alerts): staff any existing device, a customer only the
 * devices on its own assets. Anything else is 404, never 403, so a customer cannot probe for ids.
 */
@Injectable()
export class FleetDeviceAccess implements DeviceAccessPolicy {
  constructor(private readonly devices: DeviceRepository) {}

  async assertCanRead(principal: Principal, deviceId: string): Promise<void> {
    const owner = await this.devices.findOwnerCustomerId(deviceId);
    if (owner === undefined || !scopeAllows(scopeOf(principal), owner)) throw notFound('device', deviceId);
  }
}
