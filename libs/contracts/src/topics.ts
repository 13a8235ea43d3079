/**
 * MQTT topic layout of the external contract: every device owns `devices/{deviceId}/{channel}`.
 * A device publishes to `telemetry` and `status`, and subscribes to `commands` and `errors`.
 */
export const DEVICE_CHANNELS = ['telemetry', 'status', 'commands', 'errors'] as const;
export type DeviceChannel = (typeof DEVICE_CHANNELS)[number];

export const DEVICE_PUBLISH_CHANNELS: readonly DeviceChannel[] = ['telemetry', 'status'];
export const DEVICE_SUBSCRIBE_CHANNELS: readonly DeviceChannel[] = ['commands', 'errors'];

/** Device ids double as MQTT usernames and topic levels, so they exclude `/`, `+`, `#` and spaces. */
export const DEVICE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function deviceTopic(deviceId: string, channel: DeviceChannel): string {
  return `devices/${deviceId}/${channel}`;
}

export interface ParsedDeviceTopic {
  readonly deviceId: string;
  readonly channel: DeviceChannel;
}

/** Parses an exact device topic; wildcards and anything else answer undefined. */
export function parseDeviceTopic(topic: string): ParsedDeviceTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 3 || parts[0] !== 'devices') return undefined;
  const [, deviceId, channel] = parts as [string, string, string];
  if (!DEVICE_ID_PATTERN.test(deviceId)) return undefined;
  if (!(DEVICE_CHANNELS as readonly string[]).includes(channel)) return undefined;
  return { deviceId, channel: channel as DeviceChannel };
}
