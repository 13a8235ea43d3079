import { describe, expect, it } from 'vitest';
import { MAX_BUCKETS, parseStep, planReadingsQuery, ReadingsQueryError } from './readings-window.js';

const NOW = Date.parse('2026-11-22T12:00:00Z');
const H = 3_600_000;

describe('parseStep', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseStep('30s')).toBe(30_000);
    expect(parseStep('15m')).toBe(900_000);
    expect(parseStep('1h')).toBe(H);
    expect(parseStep('7d')).toBe(7 * 24 * H);
    expect(parseStep('0h')).toBeUndefined();
    expect(parseStep('1w')).toBeUndefined();
  });
});

describe('planReadingsQuery', () => {
  const fail = (query: Parameters<typeof planReadingsQuery>[0]) => {
    try {
      planReadingsQuery(query, NOW);
    } catch (error) {
      expect(error).toBeInstanceOf(ReadingsQueryError);
      return error as ReadingsQueryError;
    }
    throw new Error('expected a ReadingsQueryError');
  };

  it('defaults to the last 24 h, a raw query with the default limit', () => {
    expect(planReadingsQuery({ metric: 'x' }, NOW)).toEqual({
      kind: 'raw',
      from: NOW - 24 * H,
      to: NOW,
      limit: 10_000,
    });
  });

  it('with only from: up to now; with only to: the 24 h before it', () => {
    expect(planReadingsQuery({ metric: 'x', from: '2026-11-20T00:00:00Z' }, NOW)).toMatchObject({
      from: Date.parse('2026-11-20T00:00:00Z'),
      to: NOW,
    });
    expect(planReadingsQuery({ metric: 'x', to: '2026-11-20T00:00:00+01:00', limit: 5 }, NOW)).toEqual({
      kind: 'raw',
      from: Date.parse('2026-11-18T23:00:00Z'),
      to: Date.parse('2026-11-19T23:00:00Z'),
      limit: 5,
    });
  });

  it('from after to names from; from equal to to is one instant', () => {
    expect(fail({ metric: 'x', from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }).field).toBe('from');
    expect(fail({ metric: 'x', from: '2026-11-23T00:00:00Z' }).field).toBe('from');
    const at = '2026-11-01T00:00:00Z';
    expect(planReadingsQuery({ metric: 'x', from: at, to: at }, NOW)).toMatchObject({
      from: Date.parse(at),
      to: Date.parse(at),
    });
  });

  it('a bucketed query counts epoch-aligned buckets, at most 100 000', () => {
    const from = '2026-01-01T00:00:00Z';
    expect(planReadingsQuery({ metric: 'x', from, to: '2026-01-02T00:00:00Z', step: '1h' }, NOW)).toEqual({
      kind: 'buckets',
      from: Date.parse(from),
      to: Date.parse('2026-01-02T00:00:00Z'),
      stepMs: H,
    });
    // 100 000 one-second buckets: [t, t + 99 999 s] touches exactly 100 000 aligned buckets.
    const start = Date.parse(from);
    const ok = new Date(start + (MAX_BUCKETS - 1) * 1000).toISOString();
    const tooFar = new Date(start + MAX_BUCKETS * 1000).toISOString();
    expect(planReadingsQuery({ metric: 'x', from, to: ok, step: '1s' }, NOW).kind).toBe('buckets');
    const error = fail({ metric: 'x', from, to: tooFar, step: '1s' });
    expect(error.field).toBe('step');
    expect(error.message).toMatch(/100001 buckets/);
  });

  it('refuses a step longer than 366 days', () => {
    expect(fail({ metric: 'x', step: '367d' }).field).toBe('step');
    expect(planReadingsQuery({ metric: 'x', step: '366d' }, NOW).kind).toBe('buckets');
  });
});
