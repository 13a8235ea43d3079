import type { Request, Response } from 'express';
import { sseComment, sseEvent, sseRetry } from '../domain/sse-format.js';
import type { StoredEvent } from '../publishing/event-log.repository.js';

export interface SseConnectionOptions {
  readonly heartbeatMs: number;
  readonly retryMs: number;
  readonly maxBufferedBytes: number;
}

/** One open `text/event-stream` response: framing, heartbeat, slow-client cut-off and teardown. */
export class SseConnection {
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly closeHandlers: (() => void)[] = [];

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly options: SseConnectionOptions,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  onClose(handler: () => void): void {
    if (this.closed) handler();
    else this.closeHandlers.push(handler);
  }

  open(): void {
    this.res.status(200);
    this.res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    // no-transform: proxies must neither compress nor buffer the stream; X-Accel-Buffering: nginx.
    this.res.setHeader('cache-control', 'no-cache, no-transform');
    this.res.setHeader('connection', 'keep-alive');
    this.res.setHeader('x-accel-buffering', 'no');
    this.res.flushHeaders();
    this.req.socket.setNoDelay(true);
    this.res.on('close', () => this.close());
    this.write(sseRetry(this.options.retryMs));
    this.write(sseComment('connected'));
    this.heartbeat = setInterval(() => this.write(sseComment('heartbeat')), this.options.heartbeatMs);
    this.heartbeat.unref();
    // The client may have gone while the stream was being set up.
    if (this.req.socket.destroyed) this.close();
  }

  send(stored: StoredEvent): void {
    const { event } = stored;
    this.write(sseEvent(event.id, event.type, JSON.stringify(event)));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const handler of this.closeHandlers.splice(0)) handler();
    if (!this.res.writableEnded) this.res.end();
  }

  private write(chunk: string): void {
    if (this.closed) return;
    // A client that does not read would make the process buffer every event for it: cut it off,
    // it reconnects with Last-Event-ID and catches up from the log.
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      this.close();
      return;
    }
    this.res.write(chunk);
  }
}
