import { describe, expect, it } from 'vitest';
import { FrameSizeScanner } from './frame-size-scanner.js';

/** Remaining Length in the variable-length encoding of MQTT 3.1.1 section 2.2.3. */
function encodeRemainingLength(length: number): number[] {
  const bytes: number[] = [];
  let value = length;
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return bytes;
}

/** A PUBLISH-typed packet (0x30) with a body of `bodyLength` bytes. */
function packet(bodyLength: number): Buffer {
  return Buffer.from([0x30, ...encodeRemainingLength(bodyLength), ...new Array<number>(bodyLength).fill(0x61)]);
}

function scanAll(scanner: FrameSizeScanner, chunks: Buffer[]) {
  return chunks.map((c) => scanner.scan(c));
}

describe('FrameSizeScanner', () => {
  it('encodes lengths like the specification examples (section 2.2.3)', () => {
    expect(encodeRemainingLength(0)).toEqual([0x00]);
    expect(encodeRemainingLength(127)).toEqual([0x7f]);
    expect(encodeRemainingLength(128)).toEqual([0x80, 0x01]);
    expect(encodeRemainingLength(16_383)).toEqual([0xff, 0x7f]);
    expect(encodeRemainingLength(16_384)).toEqual([0x80, 0x80, 0x01]);
    expect(encodeRemainingLength(2_097_152)).toEqual([0x80, 0x80, 0x80, 0x01]);
    expect(encodeRemainingLength(268_435_455)).toEqual([0xff, 0xff, 0xff, 0x7f]);
  });

  it('accepts packets up to the limit, counting fixed header and body', () => {
    // 1 type byte + 1 length byte + 98 body bytes = 100
    expect(new FrameSizeScanner(100).scan(packet(98))).toEqual({ kind: 'ok' });
    expect(new FrameSizeScanner(100).scan(packet(99))).toEqual({
      kind: 'oversized',
      packetBytes: 101,
      maxPacketBytes: 100,
    });
  });

  it('accepts zero-length packets such as PINGREQ and DISCONNECT', () => {
    const scanner = new FrameSizeScanner(10);
    expect(scanner.scan(Buffer.from([0xc0, 0x00, 0xe0, 0x00, 0xc0, 0x00]))).toEqual({ kind: 'ok' });
  });

  it('follows many packets in one chunk and finds the oversized one behind small ones', () => {
    const scanner = new FrameSizeScanner(200);
    const chunk = Buffer.concat([packet(10), packet(0), packet(150), packet(300)]);
    expect(scanner.scan(chunk)).toMatchObject({ kind: 'oversized', packetBytes: 1 + 2 + 300 });
  });

  it('reports an oversized packet from its header alone, before the body arrives', () => {
    const scanner = new FrameSizeScanner(1024);
    const header = Buffer.from([0x30, ...encodeRemainingLength(1_000_000)]);
    expect(scanner.scan(header)).toEqual({ kind: 'oversized', packetBytes: 1 + 3 + 1_000_000, maxPacketBytes: 1024 });
  });

  it('decodes multi-byte lengths split across chunks at every position', () => {
    const stream = Buffer.concat([packet(200), packet(20_000), packet(5)]);
    for (let cut = 1; cut < 8; cut++) {
      const scanner = new FrameSizeScanner(20_010);
      const results = scanAll(scanner, [stream.subarray(0, 200 + cut), stream.subarray(200 + cut)]);
      expect(results).toEqual([{ kind: 'ok' }, { kind: 'ok' }]);
    }
  });

  it('survives byte-by-byte delivery and still finds the oversized packet', () => {
    const stream = Buffer.concat([packet(130), packet(16_384)]);
    const scanner = new FrameSizeScanner(1000);
    const results = [...stream].map((byte) => scanner.scan(Buffer.from([byte])));
    const firstFailure = results.findIndex((r) => r.kind !== 'ok');
    // The failure is reported at the last length byte of the second packet (1 + 2 + 130 + 1 + 3).
    expect(firstFailure).toBe(1 + 2 + 130 + 1 + 3 - 1);
    expect(results[firstFailure]).toEqual({ kind: 'oversized', packetBytes: 1 + 3 + 16_384, maxPacketBytes: 1000 });
  });

  it('splits a header between its type byte and its first length byte', () => {
    const scanner = new FrameSizeScanner(300);
    expect(scanner.scan(Buffer.from([0x30]))).toEqual({ kind: 'ok' });
    expect(scanner.scan(Buffer.from([0x80]))).toEqual({ kind: 'ok' });
    expect(scanner.scan(Buffer.from([0x02]))).toMatchObject({ kind: 'ok' }); // 256 + 3 = 259 bytes
    expect(scanner.scan(Buffer.alloc(256))).toEqual({ kind: 'ok' });
    expect(scanner.scan(Buffer.from([0x30, 0x80, 0x03]))).toMatchObject({ kind: 'oversized', packetBytes: 387 });
  });

  it('rejects a Remaining Length of more than four bytes as malformed', () => {
    const scanner = new FrameSizeScanner(Number.MAX_SAFE_INTEGER);
    expect(scanner.scan(Buffer.from([0x30, 0xff, 0xff, 0xff]))).toEqual({ kind: 'ok' });
    const result = scanner.scan(Buffer.from([0xff, 0x01]));
    expect(result).toMatchObject({ kind: 'malformed' });
    expect(result.kind === 'malformed' && result.reason).toContain('2.2.3');
  });

  it('accepts the largest four-byte length when the limit allows it', () => {
    const scanner = new FrameSizeScanner(Number.MAX_SAFE_INTEGER);
    expect(scanner.scan(Buffer.from([0x30, 0xff, 0xff, 0xff, 0x7f]))).toEqual({ kind: 'ok' });
  });

  it('keeps reporting the failure once the stream is out of sync', () => {
    const scanner = new FrameSizeScanner(10);
    const first = scanner.scan(packet(50));
    expect(first.kind).toBe('oversized');
    expect(scanner.scan(packet(1))).toBe(first);
  });
});
