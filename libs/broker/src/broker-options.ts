export interface BrokerOptions {
  /** Interface both listeners bind to, e.g. 0.0.0.0 or 127.0.0.1. */
  readonly host: string;
  /** MQTT over TCP; 0 = an ephemeral port (tests). */
  readonly mqttPort: number;
  /** MQTT over WebSocket on path /mqtt; null = no WebSocket listener, 0 = an ephemeral port. */
  readonly wsPort: number | null;
  /** Largest MQTT control packet accepted (fixed header included); a bigger one closes that connection. */
  readonly maxPacketBytes: number;
  /** How long a device's credentials stay cached after a look-up. */
  readonly authCacheTtlMs: number;
  /** `device.seen` is emitted at most once per this interval per device. */
  readonly seenThrottleMs: number;
}

export const BROKER_OPTIONS = Symbol('BrokerOptions');

/** Smallest sensible packet limit: a CONNECT with a device id and token does not fit in less. */
export const MIN_MAX_PACKET_BYTES = 256;

function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= 65535;
}

/** Throws an error naming the field when an option is out of range. */
export function assertValidBrokerOptions(options: BrokerOptions): void {
  const fail = (field: keyof BrokerOptions, rule: string, value: unknown): never => {
    throw new Error(`broker option ${field} must be ${rule}, got ${JSON.stringify(value)}`);
  };
  if (typeof options.host !== 'string' || options.host.length === 0) fail('host', 'a non-empty string', options.host);
  if (!isPort(options.mqttPort)) fail('mqttPort', 'an integer port 0-65535', options.mqttPort);
  if (options.wsPort !== null && !isPort(options.wsPort)) {
    fail('wsPort', 'null or an integer port 0-65535', options.wsPort);
  }
  // 268,435,455 + 5 header bytes is the largest packet MQTT 3.1.1 can express (section 2.2.3).
  if (
    !Number.isInteger(options.maxPacketBytes) ||
    options.maxPacketBytes < MIN_MAX_PACKET_BYTES ||
    options.maxPacketBytes > 268_435_460
  ) {
    fail('maxPacketBytes', `an integer ${MIN_MAX_PACKET_BYTES}-268435460`, options.maxPacketBytes);
  }
  if (!Number.isInteger(options.authCacheTtlMs) || options.authCacheTtlMs < 0) {
    fail('authCacheTtlMs', 'a non-negative integer', options.authCacheTtlMs);
  }
  if (!Number.isInteger(options.seenThrottleMs) || options.seenThrottleMs < 0) {
    fail('seenThrottleMs', 'a non-negative integer', options.seenThrottleMs);
  }
}
