/**
 * Watches the MQTT fixed headers going past in a byte stream and reports a packet that is larger than
 * allowed as soon as its Remaining Length is known, i.e. before the packet body is buffered anywhere.
 * aedes (through mqtt-packet) accepts packets up to the protocol maximum of 256 MiB, so without this a
 * single client could make the broker buffer that much.
 *
 * Fixed header (MQTT 3.1.1 section 2.2): one byte of packet type and flags, then the Remaining Length in
 * the variable-length encoding of section 2.2.3: 7 bits per byte, least significant group first, the high
 * bit set on every byte but the last, at most four bytes (so at most 268,435,455).
 */
export type FrameScanResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'oversized'; readonly packetBytes: number; readonly maxPacketBytes: number }
  | { readonly kind: 'malformed'; readonly reason: string };

/** Longest Remaining Length encoding allowed (MQTT 3.1.1 section 2.2.3). */
export const MAX_REMAINING_LENGTH_BYTES = 4;

const OK: FrameScanResult = { kind: 'ok' };

type ScanState = 'first-byte' | 'remaining-length' | 'body';

export class FrameSizeScanner {
  private state: ScanState = 'first-byte';
  private remainingLength = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private bodyLeft = 0;
  private failure: FrameScanResult | undefined;

  /** @param maxPacketBytes the largest whole control packet accepted: fixed header + Remaining Length. */
  constructor(private readonly maxPacketBytes: number) {}

  /**
   * Scans the next chunk of the stream; packets may be split anywhere across chunks, headers included.
   * A failure is final: the stream is out of sync after it, so later chunks report the same failure.
   */
  scan(chunk: Uint8Array): FrameScanResult {
    if (this.failure) return this.failure;
    let i = 0;
    while (i < chunk.length) {
      switch (this.state) {
        case 'first-byte':
          // Packet type and flags: validated by mqtt-packet; only the length matters here.
          i += 1;
          this.state = 'remaining-length';
          this.remainingLength = 0;
          this.multiplier = 1;
          this.lengthBytes = 0;
          break;
        case 'remaining-length': {
          const byte = chunk[i] as number;
          i += 1;
          this.remainingLength += (byte & 0x7f) * this.multiplier;
          this.lengthBytes += 1;
          if ((byte & 0x80) !== 0) {
            if (this.lengthBytes === MAX_REMAINING_LENGTH_BYTES) {
              return this.fail({
                kind: 'malformed',
                reason: `Remaining Length longer than ${MAX_REMAINING_LENGTH_BYTES} bytes (MQTT 3.1.1 section 2.2.3)`,
              });
            }
            this.multiplier *= 128;
            break;
          }
          const packetBytes = 1 + this.lengthBytes + this.remainingLength;
          if (packetBytes > this.maxPacketBytes) {
            return this.fail({ kind: 'oversized', packetBytes, maxPacketBytes: this.maxPacketBytes });
          }
          if (this.remainingLength === 0) {
            this.state = 'first-byte';
          } else {
            this.state = 'body';
            this.bodyLeft = this.remainingLength;
          }
          break;
        }
        case 'body': {
          const skipped = Math.min(this.bodyLeft, chunk.length - i);
          i += skipped;
          this.bodyLeft -= skipped;
          if (this.bodyLeft === 0) this.state = 'first-byte';
          break;
        }
      }
    }
    return OK;
  }

  private fail(result: FrameScanResult): FrameScanResult {
    this.failure = result;
    return result;
  }
}
