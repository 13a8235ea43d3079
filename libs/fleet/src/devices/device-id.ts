import { randomBytes } from 'node:crypto';

/**
 * Crockford's base32 alphabet in lower case: no i, l, o, u, so an id read aloud or typed from a
 * label is not misread. 32 symbols, so one random byte masked to 5 bits picks one without bias.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
export const GENERATED_DEVICE_ID_LENGTH = 12;

/**
 * A short, url-safe device id (60 random bits) that matches DEVICE_ID_PATTERN: it doubles as the
 * MQTT username and as a topic level, so it holds no `/`, `+`, `#` or space.
 */
export function generateDeviceId(random: (size: number) => Uint8Array = randomBytes): string {
  const bytes = random(GENERATED_DEVICE_ID_LENGTH);
  let id = '';
  for (let i = 0; i < GENERATED_DEVICE_ID_LENGTH; i++) id += ALPHABET[(bytes[i] ?? 0) & 31];
  return id;
}
