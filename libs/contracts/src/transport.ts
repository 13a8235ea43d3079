/**
 * Patterns of the messages the broker transport hands to Nest handlers (@EventPattern), and their data.
 * The same patterns serve the embedded aedes transport and, later, an external broker.
 */
export const TransportPatterns = {
  /** A PUBLISH on devices/{id}/telemetry. The handler's completion releases the QoS1 PUBACK. */
  telemetry: 'device.telemetry',
  /** A PUBLISH on devices/{id}/status, including a last will. */
  status: 'device.status',
  /** An authenticated device's session started. */
  connected: 'device.connected',
  /** A device's session ended (clean or not). */
  disconnected: 'device.disconnected',
} as const;

export interface DevicePublishMessage {
  readonly deviceId: string;
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  /** Wall-clock time the broker received the packet, epoch ms. */
  readonly receivedAt: number;
}

export interface DeviceSessionMessage {
  readonly deviceId: string;
  readonly at: number;
}
