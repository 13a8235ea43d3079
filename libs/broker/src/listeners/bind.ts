import type { Server } from 'node:net';
import { type BrokerListenerName, PortInUseError } from '../port-in-use.error.js';

/** Binds a server, turning EADDRINUSE into a PortInUseError that names the port and the listener. */
export function bindServer(server: Server, host: string, port: number, listener: BrokerListenerName): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, listener, { cause: error }) : error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Stops accepting connections; resolves once the server is closed (open sockets are the caller's). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
  });
}
