import { describe, expect, it } from 'vitest';
import type { DeviceCredentials } from '#contracts';
import { digestToken } from '#platform';
import { CredentialsCache } from './credentials-cache.js';
import { DeviceAuthenticator } from './device-authenticator.js';

function authenticatorWith(devices: DeviceCredentials[], failing = false) {
  let lookups = 0;
  const cache = new CredentialsCache(
    {
      findCredentials: async (id) => {
        lookups += 1;
        if (failing) throw new Error('database down');
        return devices.find((d) => d.deviceId === id);
      },
    },
    { ttlMs: 60_000, negativeTtlMs: 1_000, maxEntries: 100, now: () => 0 },
  );
  return { authenticator: new DeviceAuthenticator(cache), lookups: () => lookups };
}

const good: DeviceCredentials = { deviceId: 'dft-1', tokenDigest: digestToken('secret-1'), enabled: true };
const disabled: DeviceCredentials = { deviceId: 'dft-2', tokenDigest: digestToken('secret-2'), enabled: false };

describe('DeviceAuthenticator', () => {
  it('accepts the right token of an enabled device', async () => {
    const { authenticator } = authenticatorWith([good]);
    await expect(authenticator.authenticate('dft-1', Buffer.from('secret-1'))).resolves.toEqual({
      ok: true,
      credentials: good,
    });
  });

  it('refuses a wrong token with return code 4', async () => {
    const { authenticator } = authenticatorWith([good]);
    await expect(authenticator.authenticate('dft-1', Buffer.from('secret-2'))).resolves.toEqual({
      ok: false,
      reason: 'bad_token',
      returnCode: 4,
    });
  });

  it('refuses an unknown device exactly like a wrong token on the wire', async () => {
    const { authenticator } = authenticatorWith([good]);
    await expect(authenticator.authenticate('dft-9', Buffer.from('secret-1'))).resolves.toEqual({
      ok: false,
      reason: 'unknown_device',
      returnCode: 4,
    });
  });

  it('refuses a disabled device with return code 5 only when its token is right', async () => {
    const { authenticator } = authenticatorWith([disabled]);
    await expect(authenticator.authenticate('dft-2', Buffer.from('secret-2'))).resolves.toEqual({
      ok: false,
      reason: 'disabled',
      returnCode: 5,
    });
    await expect(authenticator.authenticate('dft-2', Buffer.from('nope'))).resolves.toMatchObject({
      reason: 'bad_token',
      returnCode: 4,
    });
  });

  it('refuses a CONNECT without username or password', async () => {
    const { authenticator, lookups } = authenticatorWith([good]);
    await expect(authenticator.authenticate(undefined, Buffer.from('x'))).resolves.toMatchObject({
      reason: 'missing_credentials',
      returnCode: 4,
    });
    await expect(authenticator.authenticate('dft-1', undefined)).resolves.toMatchObject({
      reason: 'missing_credentials',
    });
    await expect(authenticator.authenticate('dft-1', Buffer.alloc(0))).resolves.toMatchObject({
      reason: 'missing_credentials',
    });
    expect(lookups()).toBe(0);
  });

  it('does not look up a username that cannot be a device id', async () => {
    const { authenticator, lookups } = authenticatorWith([good]);
    await expect(authenticator.authenticate('devices/#', Buffer.from('x'))).resolves.toMatchObject({
      reason: 'unknown_device',
      returnCode: 4,
    });
    expect(lookups()).toBe(0);
  });

  it('answers "server unavailable" (3) when the credentials cannot be read', async () => {
    const { authenticator } = authenticatorWith([good], true);
    await expect(authenticator.authenticate('dft-1', Buffer.from('secret-1'))).resolves.toEqual({
      ok: false,
      reason: 'lookup_failed',
      returnCode: 3,
    });
  });
});
