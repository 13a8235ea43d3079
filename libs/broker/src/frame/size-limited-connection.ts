import { Duplex } from 'node:stream';
import { FrameSizeScanner, type FrameScanResult } from './frame-size-scanner.js';

export type FrameRejection = Exclude<FrameScanResult, { kind: 'ok' }>;

/**
 * The connection aedes sees: reads pass through a FrameSizeScanner, writes go straight to the
 * underlying socket (TCP socket or WebSocket stream). A chunk is handed to aedes only after the scanner
 * has checked every header in it, so an oversized packet destroys this one connection before its body
 * is buffered; the broker and every other connection carry on.
 */
export class SizeLimitedConnection extends Duplex {
  private readonly scanner: FrameSizeScanner;

  constructor(
    private readonly inner: Duplex,
    maxPacketBytes: number,
    private readonly onRejected: (rejection: FrameRejection) => void,
  ) {
    super({ allowHalfOpen: false });
    this.scanner = new FrameSizeScanner(maxPacketBytes);
    inner.on('data', (chunk: Buffer) => this.onInnerData(chunk));
    inner.on('end', () => this.push(null));
    inner.on('error', (error: Error) => this.destroy(error));
    inner.on('close', () => {
      if (!this.destroyed) this.destroy();
    });
  }

  private onInnerData(chunk: Buffer): void {
    const result = this.scanner.scan(chunk);
    if (result.kind !== 'ok') {
      this.inner.pause();
      this.onRejected(result);
      this.destroy();
      return;
    }
    // Backpressure: stop reading the socket until aedes asks for more.
    if (!this.push(chunk)) this.inner.pause();
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.inner.write(chunk, encoding, callback);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    // mqtt-packet corks the stream and writes a packet in several small pieces: send them as one.
    this.inner.write(Buffer.concat(chunks.map((c) => c.chunk)), callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.inner.destroyed) this.inner.destroy();
    callback(error);
  }
}
