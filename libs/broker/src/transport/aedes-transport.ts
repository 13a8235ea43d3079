import type { EventEmitter } from 'node:events';
import { type CustomTransportStrategy, Server } from '@nestjs/microservices';
import type { Aedes, AedesPublishPacket, Client, Subscription } from 'aedes';
import { lastValueFrom } from 'rxjs';
import { type DevicePublishMessage, type DeviceSessionMessage, TransportPatterns } from '#contracts';
import type { EmbeddedBroker } from '../embedded-broker.js';
import { DeviceMessageContext } from './device-message.context.js';

/** Transport id of the embedded broker: `@EventPattern(pattern, AEDES_TRANSPORT)` binds to it alone. */
export const AEDES_TRANSPORT = Symbol('AedesTransport');

export type AedesTransportStatus = 'listening' | 'closed';

/** Events `on()` forwards to the aedes instance (see aedes docs/Aedes.md). */
export type AedesTransportEvents = {
  client: (client: Client) => void;
  clientReady: (client: Client) => void;
  clientDisconnect: (client: Client) => void;
  clientError: (client: Client, error: Error) => void;
  connectionError: (client: Client, error: Error) => void;
  publish: (packet: AedesPublishPacket, client: Client | null) => void;
  subscribe: (subscriptions: Subscription[], client: Client) => void;
};

type TransportPattern = (typeof TransportPatterns)[keyof typeof TransportPatterns];

function toError(pattern: string, failure: unknown): Error {
  if (failure instanceof Error) return failure;
  // Nest's RPC exception filter turns a thrown error into `{ status: 'error', message }`.
  const message =
    typeof failure === 'object' && failure !== null && 'message' in failure ? String(failure.message) : String(failure);
  return new Error(`${pattern} handler failed: ${message}`);
}

/**
 * The embedded aedes broker as a Nest microservice transport: device publishes and sessions become
 * events for ordinary `@EventPattern(TransportPatterns.*)` handlers. The transport awaits the handler's
 * completion (promise or observable) before it resolves, and the broker only then sends the QoS1 PUBACK,
 * so a telemetry handler that has made the readings durable is what releases the acknowledgement.
 *
 * Gateway: `app.connectMicroservice({ strategy: new AedesTransport(app.get(EmbeddedBroker)) })` and
 * `await app.startAllMicroservices()` (binds the ports); `app.close()` closes the broker.
 */
export class AedesTransport
  extends Server<AedesTransportEvents, AedesTransportStatus>
  implements CustomTransportStrategy
{
  override readonly transportId = AEDES_TRANSPORT;
  /** Handler failures are observed here (they refuse the PUBACK), so Nest need not report them again. */
  override readonly propagatesEventHandlerErrors = true;
  private readonly loggedMissing = new Set<string>();
  /** Handlers are all registered before listen(); Nest's lookup normalises the pattern on every call (hot path). */
  private readonly handlerCache = new Map<string, ReturnType<Server['getHandlerByPattern']>>();

  constructor(private readonly broker: EmbeddedBroker) {
    super();
  }

  listen(callback: (error?: unknown, info?: unknown) => void): void {
    this.broker.registerHandlers({
      telemetry: (message) => this.dispatch(TransportPatterns.telemetry, message, message.topic, true),
      status: (message) => this.dispatch(TransportPatterns.status, message, message.topic, false),
      sessionStarted: (session) => this.dispatch(TransportPatterns.connected, session, undefined, false),
      sessionEnded: (session) => this.dispatch(TransportPatterns.disconnected, session, undefined, false),
    });
    this.broker.start().then(
      (ports) => {
        this._status$.next('listening');
        callback(undefined, ports);
      },
      (error: unknown) => callback(error),
    );
  }

  async close(): Promise<void> {
    await this.broker.close();
    this._status$.next('closed');
  }

  on<EventKey extends keyof AedesTransportEvents, EventCallback extends AedesTransportEvents[EventKey]>(
    event: EventKey,
    callback: EventCallback,
  ): void {
    (this.broker.instance as unknown as EventEmitter).on(event, callback);
  }

  unwrap<T = Aedes>(): T {
    return this.broker.instance as T;
  }

  /**
   * Invokes the handler of `pattern` and resolves when it completed. Without a handler, telemetry is
   * refused (it would be acked and lost) while status and session messages are let go.
   */
  private async dispatch(
    pattern: TransportPattern,
    data: DevicePublishMessage | DeviceSessionMessage,
    topic: string | undefined,
    required: boolean,
  ): Promise<void> {
    let handler = this.handlerCache.get(pattern);
    if (handler === undefined) {
      handler = this.getHandlerByPattern(pattern);
      this.handlerCache.set(pattern, handler);
    }
    if (!handler) {
      if (!this.loggedMissing.has(pattern)) {
        this.loggedMissing.add(pattern);
        this.logger.warn?.(
          required
            ? `no @EventPattern('${pattern}') handler: device publishes are refused (not acknowledged)`
            : `no @EventPattern('${pattern}') handler: these messages are dropped`,
        );
      }
      if (required) throw new Error(`no handler for ${pattern}`);
      return;
    }
    const context = new DeviceMessageContext([data.deviceId, topic]);
    await new Promise<void>((resolve, reject) => {
      this.runWithProcessingHooks(context, async (runEndHook) => {
        try {
          const result: unknown = await handler(data, context);
          await lastValueFrom(this.transformToObservable(result), { defaultValue: undefined });
          resolve();
        } catch (failure) {
          reject(toError(pattern, failure));
        } finally {
          runEndHook();
        }
      });
    });
  }
}
