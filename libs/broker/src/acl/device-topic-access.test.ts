import { describe, expect, it } from 'vitest';
import { decideDeviceTopicAccess } from './device-topic-access.js';

const ID = 'dft-0042';

describe('decideDeviceTopicAccess', () => {
  it.each([
    ['devices/dft-0042/telemetry', 'telemetry'],
    ['devices/dft-0042/status', 'status'],
  ] as const)('lets a device publish to its own %s', (topic, channel) => {
    expect(decideDeviceTopicAccess(ID, topic, 'publish')).toEqual({ allowed: true, channel });
  });

  it.each([
    ['devices/dft-0042/commands', 'commands'],
    ['devices/dft-0042/errors', 'errors'],
  ] as const)('lets a device subscribe to its own %s', (topic, channel) => {
    expect(decideDeviceTopicAccess(ID, topic, 'subscribe')).toEqual({ allowed: true, channel });
  });

  it.each(['devices/dft-0042/commands', 'devices/dft-0042/errors'])(
    'refuses publishing to the downlink topic %s',
    (topic) => {
      expect(decideDeviceTopicAccess(ID, topic, 'publish')).toEqual({ allowed: false, reason: 'channel_not_allowed' });
    },
  );

  it.each(['devices/dft-0042/telemetry', 'devices/dft-0042/status'])(
    'refuses subscribing to the uplink topic %s',
    (topic) => {
      expect(decideDeviceTopicAccess(ID, topic, 'subscribe')).toEqual({
        allowed: false,
        reason: 'channel_not_allowed',
      });
    },
  );

  it("refuses another device's topics both ways", () => {
    expect(decideDeviceTopicAccess(ID, 'devices/dft-0043/telemetry', 'publish')).toEqual({
      allowed: false,
      reason: 'other_device',
    });
    expect(decideDeviceTopicAccess(ID, 'devices/dft-0043/commands', 'subscribe')).toEqual({
      allowed: false,
      reason: 'other_device',
    });
  });

  it('does not treat a device id prefix as the same device', () => {
    expect(decideDeviceTopicAccess('dft-004', 'devices/dft-0042/telemetry', 'publish')).toMatchObject({
      allowed: false,
    });
  });

  it.each(['devices/+/commands', 'devices/dft-0042/#', '#', 'devices/dft-0042/+', '+/dft-0042/errors'])(
    'refuses the wildcard filter %s',
    (topic) => {
      expect(decideDeviceTopicAccess(ID, topic, 'subscribe')).toEqual({ allowed: false, reason: 'wildcard' });
    },
  );

  it.each(['$SYS/broker/heartbeat', '$SYS/#', '$share/g/devices/dft-0042/errors'])(
    'keeps the reserved topic %s for the broker',
    (topic) => {
      expect(decideDeviceTopicAccess(ID, topic, 'subscribe')).toEqual({ allowed: false, reason: 'reserved_topic' });
      expect(decideDeviceTopicAccess(ID, topic, 'publish')).toEqual({ allowed: false, reason: 'reserved_topic' });
    },
  );

  it.each([
    'devices/dft-0042',
    'devices/dft-0042/telemetry/extra',
    '/devices/dft-0042/telemetry',
    'devices/dft-0042/Telemetry',
    'things/dft-0042/telemetry',
    'devices//telemetry',
    '',
  ])('refuses %j which is not a device topic', (topic) => {
    expect(decideDeviceTopicAccess(ID, topic, 'publish')).toEqual({ allowed: false, reason: 'not_a_device_topic' });
  });
});
