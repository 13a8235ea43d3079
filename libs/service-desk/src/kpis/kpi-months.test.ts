import { describe, expect, it } from 'vitest';
import { monthBuckets } from './kpi-months.js';

const at = (iso: string) => Date.parse(iso);

describe('monthBuckets', () => {
  it('lists the local months a period touches, each starting at local midnight of its 1st', () => {
    expect(monthBuckets(at('2026-01-15T00:00:00Z'), at('2026-03-01T00:00:00Z'), 'UTC')).toEqual({
      labels: ['2026-01', '2026-02'],
      starts: [at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z')],
    });
  });

  it('cuts months in the zone: 2026-03-31 20:00 UTC is already April in Shanghai', () => {
    const { labels, starts } = monthBuckets(at('2026-03-31T20:00:00Z'), at('2026-04-02T00:00:00Z'), 'Asia/Shanghai');
    expect(labels).toEqual(['2026-04']);
    expect(starts).toEqual([at('2026-04-01T00:00:00+08:00')]);
  });

  it('crosses a year and a DST change (Europe/Oslo: +01:00 in winter, +02:00 in summer)', () => {
    const { labels, starts } = monthBuckets(at('2025-12-10T00:00:00Z'), at('2026-04-10T00:00:00Z'), 'Europe/Oslo');
    expect(labels).toEqual(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04']);
    expect(starts[4]).toBe(at('2026-04-01T00:00:00+02:00'));
    expect(starts[3]).toBe(at('2026-03-01T00:00:00+01:00'));
  });

  it('ends with the month of the last instant before `to`', () => {
    expect(monthBuckets(at('2026-01-01T00:00:00Z'), at('2026-02-01T00:00:00Z'), 'UTC').labels).toEqual(['2026-01']);
  });
});
