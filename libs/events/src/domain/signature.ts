import { createHmac, timingSafeEqual } from 'node:crypto';

/** Headers of a webhook delivery (documented for receivers in the lib's README). */
export const WEBHOOK_HEADERS = {
  event: 'X-CoatWatch-Event',
  delivery: 'X-CoatWatch-Delivery',
  signature: 'X-CoatWatch-Signature',
} as const;

/**
 * The signature header value: `sha256=` and the hex HMAC-SHA256 (RFC 2104) of the exact body bytes
 * under the webhook's secret, the scheme GitHub and most webhook receivers already verify.
 */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a signature header against the raw body. */
export function verifySignature(secret: string, body: string, header: string | null | undefined): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signBody(secret, body), 'utf8');
  const presented = Buffer.from(header.trim(), 'utf8');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
