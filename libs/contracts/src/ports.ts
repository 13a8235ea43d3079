/** Ports between libs; the gateway binds them to adapters. */

export interface DeviceCredentials {
  readonly deviceId: string;
  /** SHA-256 digest of the device token. */
  readonly tokenDigest: Buffer;
  readonly enabled: boolean;
}

/** Looks up a device's credentials for MQTT CONNECT (implemented by fleet, used by the broker). */
export interface DeviceCredentialsSource {
  findCredentials(deviceId: string): Promise<DeviceCredentials | undefined>;
}
export const DEVICE_CREDENTIALS_SOURCE = Symbol('DeviceCredentialsSource');

/**
 * Decides whether a caller may read a device's data (implemented by fleet, used by telemetry's
 * readings API). Throws Nest's NotFoundException when the device does not exist or is not the
 * caller's (a customer must not learn that another customer's device exists).
 */
export interface DeviceAccessPolicy {
  assertCanRead(principal: import('./auth.js').Principal, deviceId: string): Promise<void>;
}
export const DEVICE_ACCESS_POLICY = Symbol('DeviceAccessPolicy');
