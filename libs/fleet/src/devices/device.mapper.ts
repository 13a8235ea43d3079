import { type Device, DEVICE_KINDS } from '#contracts';
import { toIso, toIsoOrNull } from '../shared/iso.js';
import { storedEnum } from '../shared/stored-enum.js';
import type { DeviceView } from './device.repository.js';

export function toDevice(view: DeviceView): Device {
  return {
    id: view.id,
    assetId: view.assetId,
    customerId: view.customerId,
    name: view.name,
    kind: storedEnum(DEVICE_KINDS, view.kind, 'devices.kind'),
    samplingIntervalS: view.samplingIntervalS,
    enabled: view.enabled,
    online: view.online,
    lastSeenAt: toIsoOrNull(view.lastSeenAt),
    lastConnectedAt: toIsoOrNull(view.lastConnectedAt),
    createdAt: toIso(view.createdAt),
  };
}
