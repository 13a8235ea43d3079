export type BrokerListenerName = 'mqtt' | 'mqtt-ws';

/** A broker listener could not bind because another process holds its port. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';

  constructor(
    readonly port: number,
    readonly listener: BrokerListenerName,
    options?: { cause?: unknown },
  ) {
    super(
      `port ${port} is already in use: the ${listener === 'mqtt' ? 'MQTT (TCP)' : 'MQTT over WebSocket'} listener cannot bind it`,
      options,
    );
  }
}
