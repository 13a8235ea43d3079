import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Secrets (device and API tokens) are 256 random bits, so a single SHA-256 is a sufficient digest
 * (no password stretching needed) and cheap enough for a reconnect storm of thousands of devices.
 */
export function generateToken(prefix: string): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function digestToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

/** Constant-time comparison of a presented token against a stored digest. */
export function tokenMatches(token: string | Buffer, digest: Buffer): boolean {
  const presented = createHash('sha256').update(token).digest();
  return presented.length === digest.length && timingSafeEqual(presented, digest);
}
