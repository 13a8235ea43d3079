import { DeviceStatusPayloadSchema } from '#contracts';

export type DeviceState = 'online' | 'offline';

/**
 * The state a `devices/{id}/status` payload announces: JSON `"online"` / `"offline"` or
 * `{"state": ...}` per DeviceStatusPayloadSchema, and also the bare words, which is what most
 * devices configure as their last will (MQTT-3.1.2-9: the will payload is opaque bytes).
 * Anything else answers undefined and changes nothing.
 */
export function parseDeviceStatus(payload: Buffer): DeviceState | undefined {
  const text = payload.toString('utf8').trim();
  let value: unknown = text;
  if (text.startsWith('"') || text.startsWith('{')) {
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  const parsed = DeviceStatusPayloadSchema.safeParse(value);
  if (!parsed.success) return undefined;
  return typeof parsed.data === 'string' ? parsed.data : parsed.data.state;
}
