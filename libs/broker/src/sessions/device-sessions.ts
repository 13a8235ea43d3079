/** What a connection change means for its device as a whole. */
export type DeviceSessionChange = 'started' | 'ended' | 'unchanged';

interface Attachment {
  readonly deviceId: string;
  /** Digest of the token the connection authenticated with, to spot a rotated token later. */
  readonly tokenDigest: Buffer;
  ready: boolean;
}

/**
 * The live connections of each device. A device may hold several connections at once (different MQTT
 * client ids); its session starts with the first ready connection and ends with the last one, so a
 * takeover or a second connection never reports a device offline while it is still connected.
 */
export class DeviceSessions<C extends object> {
  private readonly attachments = new Map<C, Attachment>();
  /** Who a connection is, kept after it closed: its last will is authorised after the socket is gone. */
  private readonly identities = new WeakMap<C, { readonly deviceId: string; readonly tokenDigest: Buffer }>();
  private readonly byDevice = new Map<string, Set<C>>();
  private readonly readyCount = new Map<string, number>();

  /** A connection authenticated as this device (it is not ready before its CONNACK went out). */
  attach(connection: C, deviceId: string, tokenDigest: Buffer): void {
    if (this.attachments.has(connection)) return;
    this.attachments.set(connection, { deviceId, tokenDigest, ready: false });
    this.identities.set(connection, { deviceId, tokenDigest });
    let set = this.byDevice.get(deviceId);
    if (!set) {
      set = new Set();
      this.byDevice.set(deviceId, set);
    }
    set.add(connection);
  }

  /** The device a connection authenticated as, also after it closed. */
  deviceOf(connection: C): string | undefined {
    return this.identities.get(connection)?.deviceId;
  }

  tokenDigestOf(connection: C): Buffer | undefined {
    return this.identities.get(connection)?.tokenDigest;
  }

  /** Every connection of the device, ready or still connecting. */
  connectionsOf(deviceId: string): C[] {
    return [...(this.byDevice.get(deviceId) ?? [])];
  }

  ready(connection: C): DeviceSessionChange {
    const attachment = this.attachments.get(connection);
    if (!attachment || attachment.ready) return 'unchanged';
    attachment.ready = true;
    const count = (this.readyCount.get(attachment.deviceId) ?? 0) + 1;
    this.readyCount.set(attachment.deviceId, count);
    return count === 1 ? 'started' : 'unchanged';
  }

  closed(connection: C): DeviceSessionChange {
    const attachment = this.attachments.get(connection);
    if (!attachment) return 'unchanged';
    this.attachments.delete(connection);
    const set = this.byDevice.get(attachment.deviceId);
    set?.delete(connection);
    if (set?.size === 0) this.byDevice.delete(attachment.deviceId);
    if (!attachment.ready) return 'unchanged';
    const count = (this.readyCount.get(attachment.deviceId) ?? 1) - 1;
    if (count > 0) {
      this.readyCount.set(attachment.deviceId, count);
      return 'unchanged';
    }
    this.readyCount.delete(attachment.deviceId);
    return 'ended';
  }

  /** Devices with at least one ready connection. */
  get connectedDevices(): number {
    return this.readyCount.size;
  }
}
