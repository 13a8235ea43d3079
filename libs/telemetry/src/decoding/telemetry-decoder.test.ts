import { describe, expect, it } from 'vitest';
import { MAX_FUTURE_SKEW_MS, REJECTION_REASONS } from '#contracts';
import { decodeTelemetry, type DecodeResult } from './telemetry-decoder.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const RECEIVED = NOW - 20;
const ctx = { deviceId: 'dft-001', receivedAt: RECEIVED, now: NOW };
const decode = (payload: unknown): DecodeResult =>
  decodeTelemetry(Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), ctx);
const T = Date.parse('2026-11-22T08:00:00Z');
const reading = (metric: string, ts: number, value: number, seq?: number) => ({
  deviceId: 'dft-001',
  metric,
  ts,
  value,
  seq,
});

describe('decodeTelemetry: accepted shapes', () => {
  it('native object with epoch ms, seq and several metrics', () => {
    const r = decode({ ts: T, seq: 42, metrics: { coating_thickness_um: 251.3, temperature_c: -4 } });
    expect(r.rejections).toEqual([]);
    expect(r.readings).toEqual([reading('coating_thickness_um', T, 251.3, 42), reading('temperature_c', T, -4, 42)]);
  });

  it('native object without seq', () => {
    expect(decode({ ts: T, metrics: { battery_v: 3.6 } }).readings).toEqual([reading('battery_v', T, 3.6)]);
  });

  it('ISO 8601 timestamps with Z, with an offset, with fractions and without seconds', () => {
    const cases: Array<[string, number]> = [
      ['2026-11-22T08:00:00Z', T],
      ['2026-11-22T09:00:00+01:00', T],
      ['2026-11-22T03:30:00-04:30', T],
      ['2026-11-22T09:00:00+0100', T],
      ['2026-11-22T08:00Z', T],
      ['2026-11-22T08:00:00.123Z', T + 123],
      ['2026-11-22T08:00:00.1Z', T + 100],
      ['2026-11-22T08:00:00.123999Z', T + 123],
      ['2024-02-29T00:00:00Z', Date.parse('2024-02-29T00:00:00Z')],
      ['1970-01-01T00:00:00Z', 0],
    ];
    for (const [ts, expected] of cases) {
      const r = decode({ ts, metrics: { humidity_pct: 50 } });
      expect(r.rejections, ts).toEqual([]);
      expect(r.readings[0]?.ts, ts).toBe(expected);
    }
  });

  it('accepts any past time, epoch 0 included, and up to the future skew', () => {
    expect(decode({ ts: 0, metrics: { humidity_pct: 1 } }).readings).toHaveLength(1);
    expect(decode({ ts: 1, metrics: { humidity_pct: 1 } }).readings).toHaveLength(1);
    expect(decode({ ts: NOW + MAX_FUTURE_SKEW_MS, metrics: { humidity_pct: 1 } }).readings).toHaveLength(1);
  });

  it('array of native readings', () => {
    const r = decode([
      { ts: T, seq: 1, metrics: { humidity_pct: 50 } },
      { ts: T + 1000, seq: 2, metrics: { humidity_pct: 51 } },
    ]);
    expect(r.rejections).toEqual([]);
    expect(r.readings).toEqual([reading('humidity_pct', T, 50, 1), reading('humidity_pct', T + 1000, 51, 2)]);
  });

  it('ThingsBoard object and array, and an array mixing both shapes', () => {
    expect(decode({ ts: T, values: { temperature_c: 22 } }).readings).toEqual([reading('temperature_c', T, 22)]);
    const r = decode([
      { ts: T, values: { temperature_c: 22 } },
      { ts: '2026-11-22T09:00:00Z', metrics: { temperature_c: 23 } },
    ]);
    expect(r.rejections).toEqual([]);
    expect(r.readings.map((x) => [x.ts, x.value])).toEqual([
      [T, 22],
      [T + 3_600_000, 23],
    ]);
  });

  it('bare object of metrics, stamped with the receive time', () => {
    const r = decode({ humidity_pct: 55, temperature_c: 20.5 });
    expect(r.rejections).toEqual([]);
    expect(r.readings).toEqual([reading('humidity_pct', RECEIVED, 55), reading('temperature_c', RECEIVED, 20.5)]);
  });

  it('stores metrics outside the catalog when the name matches the pattern, without range rules', () => {
    const r = decode({ ts: T, metrics: { pipe_strain_ue: 1e9, x: -1e9 } });
    expect(r.rejections).toEqual([]);
    expect(r.readings.map((x) => x.metric)).toEqual(['pipe_strain_ue', 'x']);
  });

  it('accepts the catalog range limits inclusively', () => {
    const r = decode({ ts: T, metrics: { cp_potential_mv: -3000, humidity_pct: 100, battery_v: 0 } });
    expect(r.rejections).toEqual([]);
    expect(r.readings).toHaveLength(3);
  });

  it('keeps the last value of a duplicate (metric, ts) inside one message', () => {
    const r = decode([
      { ts: T, metrics: { humidity_pct: 50, temperature_c: 10 } },
      { ts: '2026-11-22T09:00:00+01:00', metrics: { humidity_pct: 60 } },
      { ts: T, values: { humidity_pct: 70 } },
    ]);
    expect(r.rejections).toEqual([]);
    expect(r.readings).toEqual([reading('humidity_pct', T, 70), reading('temperature_c', T, 10)]);
  });

  it('accepts exactly 1000 readings', () => {
    const batch = Array.from({ length: 1000 }, (_, i) => ({ ts: T + i, metrics: { battery_v: 3 } }));
    const r = decode(batch);
    expect(r.rejections).toEqual([]);
    expect(r.readings).toHaveLength(1000);
  });
});

describe('decodeTelemetry: rejections', () => {
  const only = (r: DecodeResult) => {
    expect(r.rejections).toHaveLength(1);
    return r.rejections[0]!;
  };

  it('invalid_json for a broken payload, an empty payload and non-UTF-8 garbage', () => {
    for (const raw of ['{"ts": 1, "metrics": {', '', '\u0000\u0001']) {
      const r = decode(raw);
      expect(r.readings).toEqual([]);
      expect(only(r)).toMatchObject({ reason: 'invalid_json', field: '$', count: 1 });
    }
    expect(decodeTelemetry(Buffer.from([0xff, 0xfe, 0x00]), ctx).rejections[0]?.reason).toBe('invalid_json');
  });

  it('invalid_shape for a top-level scalar, null or empty array', () => {
    for (const doc of ['42', '"hello"', 'null', 'true', '[]']) {
      expect(only(decode(doc)), doc).toMatchObject({ reason: 'invalid_shape', field: '$' });
    }
  });

  it('too_many_readings rejects the whole message of 1001 readings', () => {
    const batch = Array.from({ length: 1001 }, (_, i) => ({ ts: T + i, metrics: { battery_v: 3 } }));
    const r = decode(batch);
    expect(r.readings).toEqual([]);
    expect(only(r)).toMatchObject({ reason: 'too_many_readings', field: '$', count: 1001 });
    expect(only(r).message).toMatch(/1001 readings.*at most 1000/);
  });

  it('invalid_shape for a bad element, naming it, while the others are kept', () => {
    const r = decode([42, { ts: T, metrics: { battery_v: 3 } }, null, { ts: T }, { humidity_pct: 3 }]);
    expect(r.readings).toEqual([reading('battery_v', T, 3)]);
    expect(r.rejections.map((x) => [x.reason, x.field])).toEqual([
      ['invalid_shape', '[0]'],
      ['invalid_shape', '[2]'],
      ['invalid_shape', '[3]'],
      ['invalid_shape', '[4]'],
    ]);
  });

  it('invalid_shape for metrics that are not an object, both metrics and values, or an unknown field', () => {
    expect(only(decode({ ts: T, metrics: [1, 2] }))).toMatchObject({ reason: 'invalid_shape', field: 'metrics' });
    expect(only(decode({ ts: T, metrics: null }))).toMatchObject({ reason: 'invalid_shape', field: 'metrics' });
    expect(only(decode({ ts: T, values: 'x' }))).toMatchObject({ reason: 'invalid_shape', field: 'values' });
    expect(only(decode({ ts: T, metrics: {}, values: {} }))).toMatchObject({ reason: 'invalid_shape', field: '$' });
    expect(only(decode({ ts: T, metrics: { a: 1, b: 2 }, unit: 'um' }))).toMatchObject({
      reason: 'invalid_shape',
      field: 'unit',
      count: 2,
    });
    // ThingsBoard's shape has no seq.
    expect(only(decode([{ ts: T, seq: 1, values: { a: 1 } }]))).toMatchObject({
      reason: 'invalid_shape',
      field: '[0].seq',
    });
  });

  it('invalid_shape for a bad seq, rejecting that reading', () => {
    for (const seq of [-1, 1.5, '7', null]) {
      const r = decode([
        { ts: T, seq, metrics: { battery_v: 3, humidity_pct: 2 } },
        { ts: T + 1, seq: 2, metrics: { battery_v: 3 } },
      ]);
      expect(r.readings).toEqual([reading('battery_v', T + 1, 3, 2)]);
      expect(only(r)).toMatchObject({ reason: 'invalid_shape', field: '[0].seq', count: 2 });
    }
  });

  it('invalid_shape for a bare object carrying ts or seq (the device meant a reading)', () => {
    const r = decode({ ts: T, humidity_pct: 3 });
    expect(r.readings).toEqual([]);
    expect(only(r)).toMatchObject({ reason: 'invalid_shape', field: 'ts' });
    expect(only(decode({ seq: 1, humidity_pct: 3 }))).toMatchObject({ reason: 'invalid_shape', field: 'seq' });
  });

  it('invalid_timestamp: missing, wrong type, unparsable, negative, before 1970, fractional, no offset', () => {
    const bad: unknown[] = [
      undefined,
      true,
      null,
      { $date: 1 },
      'yesterday',
      '1795333100122',
      '2026-11-22T08:00:00',
      '2026-11-22',
      '2026-11-22 08:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-22T24:00:00Z',
      '2026-11-22T08:60:00Z',
      '2026-11-22T08:00:00+25:00',
      '1969-12-31T23:59:59Z',
      '1970-01-01T00:30:00+01:00',
      -1,
      1795333100122.5,
      1e300,
    ];
    for (const ts of bad) {
      const doc =
        ts === undefined
          ? { metrics: { battery_v: 3, humidity_pct: 4 } }
          : { ts, metrics: { battery_v: 3, humidity_pct: 4 } };
      const r = decode(doc);
      expect(r.readings, JSON.stringify(ts)).toEqual([]);
      expect(only(r), JSON.stringify(ts)).toMatchObject({ reason: 'invalid_timestamp', field: 'ts', count: 2 });
    }
  });

  it('future_timestamp beyond the allowed skew, for epoch ms and ISO', () => {
    const r = decode([
      { ts: NOW + MAX_FUTURE_SKEW_MS + 1, seq: 9, metrics: { battery_v: 3 } },
      { ts: '2027-01-01T00:00:00Z', metrics: { battery_v: 3 } },
      { ts: 8e15, metrics: { battery_v: 3 } },
      { ts: T, metrics: { battery_v: 3 } },
    ]);
    expect(r.readings).toEqual([reading('battery_v', T, 3)]);
    expect(r.rejections).toEqual([
      expect.objectContaining({ reason: 'future_timestamp', field: '[0].ts', seq: 9 }),
      expect.objectContaining({ reason: 'future_timestamp', field: '[1].ts' }),
      expect.objectContaining({ reason: 'future_timestamp', field: '[2].ts' }),
    ]);
    expect(r.rejections[0]!.message).toMatch(/ahead of the server clock/);
  });

  it('invalid_value for a number as a string, "NaN", a boolean, null, an object; Infinity from an overflowing literal', () => {
    const r = decode(
      '{"ts": "2026-11-22T08:00:00Z", "metrics": {"temperature_c": "12.5", "humidity_pct": "NaN", "battery_v": true, ' +
        '"cp_potential_mv": null, "metal_loss_um": {"v": 1}, "coating_thickness_um": 1e400, "corrosion_rate_mm_y": 0.02}}',
    );
    expect(r.readings).toEqual([reading('corrosion_rate_mm_y', T, 0.02)]);
    expect(r.rejections.map((x) => [x.reason, x.field, x.count])).toEqual([
      ['invalid_value', 'metrics.temperature_c', 1],
      ['invalid_value', 'metrics.humidity_pct', 1],
      ['invalid_value', 'metrics.battery_v', 1],
      ['invalid_value', 'metrics.cp_potential_mv', 1],
      ['invalid_value', 'metrics.metal_loss_um', 1],
      ['invalid_value', 'metrics.coating_thickness_um', 1],
    ]);
    expect(r.rejections[0]!.message).toBe('temperature_c must be a finite JSON number, got the string "12.5"');
  });

  it('out_of_range per catalog metric, with the message of the contract', () => {
    const r = decode({ ts: T, metrics: { humidity_pct: 140, cp_potential_mv: -3000.5, temperature_c: 151 } });
    expect(r.readings).toEqual([]);
    expect(r.rejections).toEqual([
      {
        reason: 'out_of_range',
        field: 'metrics.humidity_pct',
        message: 'humidity_pct 140 is outside 0..100 %',
        count: 1,
      },
      expect.objectContaining({ reason: 'out_of_range', field: 'metrics.cp_potential_mv' }),
      expect.objectContaining({ reason: 'out_of_range', field: 'metrics.temperature_c' }),
    ]);
  });

  it('invalid_metric_name for names outside the pattern, naming them in brackets', () => {
    const long = `m${'x'.repeat(64)}`;
    const r = decode({ ts: T, metrics: { 'Bad-Name': 1, '1st': 1, __proto__x: 1, [long]: 1, ok_name: 2 } });
    expect(r.readings).toEqual([reading('ok_name', T, 2)]);
    expect(r.rejections.map((x) => [x.reason, x.field])).toEqual([
      ['invalid_metric_name', 'metrics["Bad-Name"]'],
      ['invalid_metric_name', 'metrics["1st"]'],
      ['invalid_metric_name', 'metrics.__proto__x'],
      ['invalid_metric_name', `metrics.${long}`],
    ]);
  });

  it('a __proto__ key is refused as a metric name, not treated as a prototype', () => {
    const r = decode('{"__proto__": 5, "humidity_pct": 3}');
    expect(r.readings).toEqual([reading('humidity_pct', RECEIVED, 3)]);
    expect(r.rejections[0]).toMatchObject({ reason: 'invalid_metric_name', field: '__proto__' });
  });

  it('empty_metrics for an empty metrics object, values object, or bare object', () => {
    expect(only(decode({ ts: T, metrics: {} }))).toMatchObject({ reason: 'empty_metrics', field: 'metrics' });
    expect(only(decode([{ ts: T, values: {} }]))).toMatchObject({ reason: 'empty_metrics', field: '[0].values' });
    expect(only(decode({}))).toMatchObject({ reason: 'empty_metrics', field: '$' });
  });

  it('partial acceptance: the valid readings and metrics of a message are kept, each problem named', () => {
    const r = decode([
      { ts: '2026-11-04T00:00:00Z', seq: 1, metrics: { coating_thickness_um: 240, humidity_pct: 400 } },
      { ts: '2026-11-04T01:00:00Z', seq: 2, metrics: { coating_thickness_um: 239 } },
      { ts: 'soon', seq: 3, metrics: { coating_thickness_um: 238 } },
      { ts: '2026-11-04T03:00:00Z', seq: 4, metrics: { humidity_pct: 'wet' } },
    ]);
    const t0 = Date.parse('2026-11-04T00:00:00Z');
    expect(r.readings).toEqual([
      reading('coating_thickness_um', t0, 240, 1),
      reading('coating_thickness_um', t0 + 3_600_000, 239, 2),
    ]);
    expect(r.rejections).toEqual([
      expect.objectContaining({ reason: 'out_of_range', field: '[0].metrics.humidity_pct', count: 1, seq: 1 }),
      expect.objectContaining({ reason: 'invalid_timestamp', field: '[2].ts', count: 1, seq: 3 }),
      expect.objectContaining({ reason: 'invalid_value', field: '[3].metrics.humidity_pct', count: 1, seq: 4 }),
    ]);
  });

  it('covers every rejection reason of the contract', () => {
    const payloads = [
      '{',
      '7',
      JSON.stringify(Array.from({ length: 1001 }, () => ({ ts: T, metrics: { a: 1 } }))),
      JSON.stringify({ ts: 'x', metrics: { a: 1 } }),
      JSON.stringify({ ts: NOW + 3_600_000, metrics: { a: 1 } }),
      JSON.stringify({ ts: T, metrics: { a: '1' } }),
      JSON.stringify({ ts: T, metrics: { humidity_pct: -1 } }),
      JSON.stringify({ ts: T, metrics: { A: 1 } }),
      JSON.stringify({ ts: T, metrics: {} }),
    ];
    const seen = new Set(payloads.flatMap((p) => decode(p).rejections.map((x) => x.reason)));
    expect([...seen].sort()).toEqual([...REJECTION_REASONS].sort());
  });
});
