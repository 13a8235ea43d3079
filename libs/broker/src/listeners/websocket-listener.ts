import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { bindServer, closeServer } from './bind.js';

/** The only path MQTT over WebSocket is served on. */
export const MQTT_WS_PATH = '/mqtt';
/** MQTT-6.0.0-3 / 6.0.0-4: the client offers, and the server selects, the "mqtt" subprotocol. */
export const MQTT_WS_SUBPROTOCOL = 'mqtt';

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

function offeredSubprotocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  return typeof header === 'string' ? header.split(',').map((p) => p.trim()) : [];
}

/**
 * MQTT over WebSocket (MQTT 3.1.1 section 6) on path /mqtt with subprotocol "mqtt"; every other path
 * and every plain HTTP request is refused. Each WebSocket becomes a byte stream for aedes.
 */
export class WebSocketListener {
  private readonly server: Server;
  private readonly wss: WebSocketServer;

  constructor(maxPayloadBytes: number, onConnection: (stream: Duplex, req: IncomingMessage) => void) {
    this.server = createServer((_req, res) => {
      res.writeHead(_req.url?.split('?')[0] === MQTT_WS_PATH ? 426 : 404, { connection: 'close' }).end();
    });
    this.wss = new WebSocketServer({
      noServer: true,
      // A WebSocket message is buffered whole before its bytes reach the frame-size guard: bound it too.
      maxPayload: maxPayloadBytes,
      handleProtocols: (protocols) => (protocols.has(MQTT_WS_SUBPROTOCOL) ? MQTT_WS_SUBPROTOCOL : false),
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      socket.on('error', () => socket.destroy());
      if (req.url?.split('?')[0] !== MQTT_WS_PATH) {
        refuseUpgrade(socket, '404 Not Found');
        return;
      }
      if (!offeredSubprotocols(req).includes(MQTT_WS_SUBPROTOCOL)) {
        refuseUpgrade(socket, '400 Bad Request');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        onConnection(createWebSocketStream(ws), req);
      });
    });
  }

  listen(host: string, port: number): Promise<number> {
    return bindServer(this.server, host, port, 'mqtt-ws');
  }

  /** Stops accepting connections; resolves once every open WebSocket is closed too. */
  async stopAccepting(): Promise<void> {
    await Promise.all([closeServer(this.server), new Promise<void>((resolve) => this.wss.close(() => resolve()))]);
  }

  /** Whatever aedes did not close goes now, without a closing handshake. */
  destroyConnections(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.server.closeAllConnections();
  }
}
