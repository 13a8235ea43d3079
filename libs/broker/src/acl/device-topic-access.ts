import { DEVICE_PUBLISH_CHANNELS, DEVICE_SUBSCRIBE_CHANNELS, parseDeviceTopic, type DeviceChannel } from '#contracts';

export type TopicAction = 'publish' | 'subscribe';

/** Why a device may not use a topic; also the `reason` label of the ACL denial counter. */
export const TOPIC_DENIAL_REASONS = [
  'reserved_topic',
  'wildcard',
  'not_a_device_topic',
  'other_device',
  'channel_not_allowed',
] as const;
export type TopicDenialReason = (typeof TOPIC_DENIAL_REASONS)[number];

export type TopicAccessDecision =
  | { readonly allowed: true; readonly channel: DeviceChannel }
  | { readonly allowed: false; readonly reason: TopicDenialReason };

/**
 * The topic ACL of the external contract: a device publishes only to its own `devices/{id}/telemetry`
 * and `devices/{id}/status`, and subscribes only to its own `devices/{id}/commands` and
 * `devices/{id}/errors`, exact topics without wildcards. Topics starting with `$` (notably `$SYS/`)
 * are reserved for the broker (MQTT-4.7.2-1).
 */
export function decideDeviceTopicAccess(deviceId: string, topic: string, action: TopicAction): TopicAccessDecision {
  if (topic.startsWith('$')) return { allowed: false, reason: 'reserved_topic' };
  if (topic.includes('+') || topic.includes('#')) return { allowed: false, reason: 'wildcard' };
  const parsed = parseDeviceTopic(topic);
  if (!parsed) return { allowed: false, reason: 'not_a_device_topic' };
  if (parsed.deviceId !== deviceId) return { allowed: false, reason: 'other_device' };
  const channels = action === 'publish' ? DEVICE_PUBLISH_CHANNELS : DEVICE_SUBSCRIBE_CHANNELS;
  if (!channels.includes(parsed.channel)) return { allowed: false, reason: 'channel_not_allowed' };
  return { allowed: true, channel: parsed.channel };
}
