import { describe, expect, it } from 'vitest';
import { DEVICE_ID_PATTERN } from '#contracts';
import { GENERATED_DEVICE_ID_LENGTH, generateDeviceId } from './device-id.js';

describe('generateDeviceId', () => {
  it('makes short ids that are valid MQTT usernames and topic levels', () => {
    for (let i = 0; i < 1000; i++) {
      const id = generateDeviceId();
      expect(id).toHaveLength(GENERATED_DEVICE_ID_LENGTH);
      expect(id).toMatch(DEVICE_ID_PATTERN);
      expect(id).toMatch(/^[0-9a-z]+$/);
    }
  });

  it('maps every byte value into the alphabet', () => {
    expect(generateDeviceId((n) => new Uint8Array(n).fill(0))).toBe('000000000000');
    expect(generateDeviceId((n) => new Uint8Array(n).fill(255))).toBe('zzzzzzzzzzzz');
    expect(generateDeviceId((n) => Uint8Array.from({ length: n }, (_, i) => i + 8))).toBe('89abcdefghjk');
  });

  it('does not repeat itself', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => generateDeviceId()));
    expect(ids.size).toBe(10_000);
  });
});
