import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from './signature.js';

describe('webhook signature', () => {
  // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
  it('is sha256=<hex HMAC-SHA256> of the body (RFC 4231 vector)', () => {
    expect(signBody('Jefe', 'what do ya want for nothing?')).toBe(
      'sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('signs the exact bytes: any change of the body or the secret changes it', () => {
    const body = JSON.stringify({ id: 'x', type: 'work_order.opened', data: { note: 'grüße' } });
    const sig = signBody('secret-one-0123456789', body);
    expect(sig).toBe(`sha256=${createHmac('sha256', 'secret-one-0123456789').update(body).digest('hex')}`);
    expect(verifySignature('secret-one-0123456789', body, sig)).toBe(true);
    expect(verifySignature('secret-two-0123456789', body, sig)).toBe(false);
    expect(verifySignature('secret-one-0123456789', `${body} `, sig)).toBe(false);
    expect(verifySignature('secret-one-0123456789', body, sig.replace('sha256=', 'sha1='))).toBe(false);
    expect(verifySignature('secret-one-0123456789', body, undefined)).toBe(false);
    expect(verifySignature('secret-one-0123456789', body, 'sha256=short')).toBe(false);
  });
});
