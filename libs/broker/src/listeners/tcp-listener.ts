import { createServer, type Server, type Socket } from 'node:net';
import { bindServer, closeServer } from './bind.js';

/** MQTT over TCP. */
export class TcpListener {
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(onConnection: (socket: Socket) => void) {
    this.server = createServer((socket) => {
      // MQTT packets are small and latency-sensitive (PUBACK, PINGRESP): no Nagle delay.
      socket.setNoDelay(true);
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      onConnection(socket);
    });
  }

  listen(host: string, port: number): Promise<number> {
    return bindServer(this.server, host, port, 'mqtt');
  }

  /** Stops accepting connections; resolves once every open socket is closed too. */
  stopAccepting(): Promise<void> {
    return closeServer(this.server);
  }

  /** Whatever aedes did not close (e.g. a socket still before its CONNECT) goes now. */
  destroyConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }
}
