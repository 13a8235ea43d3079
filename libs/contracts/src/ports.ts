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
