import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A webhook receiver on a real HTTP port (tests only): records requests, answers what it is told. */
export interface WebhookReceiver {
  readonly url: string;
  readonly port: number;
  readonly received: ReceivedRequest[];
  /** The `id` of every event received, in order. */
  eventIds(): string[];
  /** Status answered to the n-th request (1-based); 200 by default. */
  respond: (n: number) => number;
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Stops listening (the port then refuses connections). */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
}

export async function startWebhookReceiver(options: { port?: number; path?: string } = {}): Promise<WebhookReceiver> {
  const received: ReceivedRequest[] = [];
  const waiters = new Set<() => void>();
  let server: Server | undefined;
  const receiver = {
    url: '',
    port: 0,
    received,
    eventIds: () => received.map((r) => (JSON.parse(r.body) as { id: string }).id),
    respond: (_n: number) => 200,
    waitFor(count: number, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (received.length >= count) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver got ${received.length} requests, expected ${count}, within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async restart() {
      await listen(receiver.port);
    },
  };
  const listen = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          received.push({
            method: req.method,
            path: req.url,
            headers: req.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          });
          const status = receiver.respond(received.length);
          res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'receiver says no');
          for (const w of [...waiters]) w();
        });
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve(s);
      });
    });
  const first = await listen(options.port ?? 0);
  receiver.port = (first.address() as AddressInfo).port;
  receiver.url = `http://127.0.0.1:${receiver.port}${options.path ?? '/hooks/coatwatch'}`;
  return receiver;
}
