import { describe, expect, it } from 'vitest';
import { DeviceErrorMessageSchema, type DevicePublishMessage } from '#contracts';
import type { Rejection } from '../decoding/telemetry-decoder.js';
import { deadLettersFor, deviceErrorFor, MAX_DEAD_LETTERS_PER_MESSAGE } from './rejection-report.js';

const msg: DevicePublishMessage = {
  deviceId: 'dft-001',
  topic: 'devices/dft-001/telemetry',
  payload: Buffer.from('[...]'),
  qos: 1,
  receivedAt: 1_000,
};
const rejection = (i: number, extra: Partial<Rejection> = {}): Rejection => ({
  reason: 'out_of_range',
  field: `[${i}].metrics.humidity_pct`,
  message: `problem ${i}`,
  count: 1,
  ...extra,
});

describe('deviceErrorFor', () => {
  it('names the first problem, with the totals and the seq of the offending reading', () => {
    const error = deviceErrorFor(
      msg,
      [rejection(0, { seq: 4 }), rejection(1, { count: 3, reason: 'invalid_timestamp' })],
      5,
      0,
    );
    expect(error).toEqual({
      error: 'out_of_range',
      field: '[0].metrics.humidity_pct',
      message: 'problem 0 (and 1 more problem)',
      topic: 'devices/dft-001/telemetry',
      seq: 4,
      rejected: 4,
      accepted: 5,
      at: '1970-01-01T00:00:00.000Z',
    });
    expect(DeviceErrorMessageSchema.safeParse(error).success).toBe(true);
  });

  it('a single problem keeps its message as is, and no seq when it had none', () => {
    const error = deviceErrorFor(msg, [rejection(0)], 0, 0);
    expect(error.message).toBe('problem 0');
    expect(error).not.toHaveProperty('seq');
  });
});

describe('deadLettersFor', () => {
  it('one row per rejection with the raw payload, capped per message', () => {
    const rejections = Array.from({ length: 13 }, (_, i) => rejection(i));
    const rows = deadLettersFor(msg, rejections);
    expect(rows).toHaveLength(MAX_DEAD_LETTERS_PER_MESSAGE);
    expect(rows[0]).toEqual({
      deviceId: 'dft-001',
      topic: 'devices/dft-001/telemetry',
      payload: msg.payload,
      reason: 'out_of_range',
      field: '[0].metrics.humidity_pct',
      message: 'problem 0',
      receivedAt: 1_000,
    });
    expect(rows[9]!.message).toBe('problem 9 (+3 more rejections in this message)');
    expect(deadLettersFor(msg, rejections.slice(0, 2)).map((r) => r.message)).toEqual(['problem 0', 'problem 1']);
  });
});
