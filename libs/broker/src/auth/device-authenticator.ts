import { DEVICE_ID_PATTERN, type DeviceCredentials } from '#contracts';
import { digestToken, tokenMatches } from '#platform';
import type { CredentialsCache } from './credentials-cache.js';

/** Why a CONNECT was refused; also the `reason` label of the refused-connections counter. */
export const REFUSAL_REASONS = [
  'missing_credentials',
  'unknown_device',
  'bad_token',
  'disabled',
  'will_not_authorized',
  'lookup_failed',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** CONNACK return codes of MQTT 3.1.1 section 3.2.2.3 that a refusal can carry. */
export const ConnackReturnCode = {
  serverUnavailable: 3,
  badUsernameOrPassword: 4,
  notAuthorized: 5,
} as const;
export type RefusalReturnCode = (typeof ConnackReturnCode)[keyof typeof ConnackReturnCode];

export type AuthenticationResult =
  | { readonly ok: true; readonly credentials: DeviceCredentials }
  | { readonly ok: false; readonly reason: RefusalReason; readonly returnCode: RefusalReturnCode };

export function refusalReturnCode(reason: RefusalReason): RefusalReturnCode {
  switch (reason) {
    // Unknown device and wrong token answer the same, so the CONNACK does not tell which device ids exist.
    case 'missing_credentials':
    case 'unknown_device':
    case 'bad_token':
      return ConnackReturnCode.badUsernameOrPassword;
    // Only told to a caller that presented the right token.
    case 'disabled':
    case 'will_not_authorized':
      return ConnackReturnCode.notAuthorized;
    case 'lookup_failed':
      return ConnackReturnCode.serverUnavailable;
  }
}

function refuse(reason: RefusalReason): AuthenticationResult {
  return { ok: false, reason, returnCode: refusalReturnCode(reason) };
}

/** Compared against when the device is unknown, so that answer takes as long as a wrong token. */
const UNKNOWN_DEVICE_DIGEST = digestToken('unknown-device');

/**
 * MQTT CONNECT authentication of the external contract: username = device id, password = device token,
 * checked against the token digest in constant time; a disabled device is refused.
 */
export class DeviceAuthenticator {
  constructor(private readonly cache: CredentialsCache) {}

  async authenticate(username: string | undefined, password: Buffer | undefined): Promise<AuthenticationResult> {
    if (!username || !password || password.length === 0) return refuse('missing_credentials');
    // Not a possible device id: no look-up, so junk usernames cannot flood the credentials source.
    if (!DEVICE_ID_PATTERN.test(username)) return refuse('unknown_device');
    let credentials: DeviceCredentials | undefined;
    try {
      credentials = await this.cache.get(username);
    } catch {
      return refuse('lookup_failed');
    }
    if (!credentials) {
      tokenMatches(password, UNKNOWN_DEVICE_DIGEST);
      return refuse('unknown_device');
    }
    if (!tokenMatches(password, credentials.tokenDigest)) return refuse('bad_token');
    if (!credentials.enabled) return refuse('disabled');
    return { ok: true, credentials };
  }
}
