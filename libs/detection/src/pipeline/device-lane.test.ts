import { describe, expect, it } from 'vitest';
import type { Reading } from '#contracts';
import type { Finding } from '../core/index.js';
import { DeviceLane } from './device-lane.js';
import { readForward } from './history-reader.js';

const r = (metric: string, ts: number): Reading => ({ deviceId: 'd', metric, ts, value: ts });

describe('DeviceLane', () => {
  it('hands out its readings sorted by time, and claims at most one drain at a time', () => {
    const lane = new DeviceLane('d', 10);
    expect(lane.offer(r('b', 3), 0)).toBe(true);
    expect(lane.claim()).toBe(true);
    lane.offer(r('a', 1), 1);
    lane.offer(r('b', 1), 1);
    expect(lane.claim()).toBe(false);
    const work = lane.take()!;
    expect(work.readings.map((x) => `${x.metric}${x.ts}`)).toEqual(['a1', 'b1', 'b3']);
    expect(work.enqueuedAt).toBe(0);
    expect(lane.busy).toBe(true);
    expect(lane.take()).toBeNull();
    expect(lane.busy).toBe(false);
    expect(lane.claim()).toBe(true);
  });

  it('keeps a bounded buffer and remembers per metric the range it had no room for', () => {
    const lane = new DeviceLane('d', 2);
    lane.offer(r('a', 1), 0);
    lane.offer(r('a', 2), 0);
    expect(lane.offer(r('a', 5), 0)).toBe(false);
    expect(lane.offer(r('a', 3), 0)).toBe(false);
    expect(lane.offer(r('b', 4), 0)).toBe(false);
    expect(lane.queued).toBe(2);
    const work = lane.take()!;
    expect(work.readings).toHaveLength(2);
    expect([...work.overflow]).toEqual([
      ['a', { from: 3, to: 5 }],
      ['b', { from: 4, to: 4 }],
    ]);
    expect(lane.hasWork).toBe(false);
  });

  it('carries an offline check request', () => {
    const lane = new DeviceLane('d', 2);
    lane.requestOfflineCheck(42);
    expect(lane.claim()).toBe(true);
    expect(lane.take()).toMatchObject({ readings: [], offlineCheckAt: 42 });
  });

  it('carries findings made at arrival, in order, once', () => {
    const lane = new DeviceLane('d', 2);
    const finding = (ts: number) => ({ deviceId: 'd', metric: 'm', detectedAt: ts }) as unknown as Finding;
    lane.offerFindings([finding(1)]);
    lane.offerFindings([finding(2)]);
    expect(lane.hasWork).toBe(true);
    expect(lane.claim()).toBe(true);
    expect(lane.take()!.findings.map((f) => f.detectedAt)).toEqual([1, 2]);
    expect(lane.take()).toBeNull();
  });
});

describe('readForward', () => {
  it('pages forward through a store that answers the newest points of a range, missing none', async () => {
    const points = Array.from({ length: 1000 }, (_, i) => ({ ts: i * 10 + (i % 7), value: i }));
    let queries = 0;
    const store = {
      async query(_d: string, _m: string, from: number, to: number, limit: number) {
        queries += 1;
        return points.filter((p) => p.ts >= from && p.ts <= to).slice(-limit);
      },
    };
    const seen: number[] = [];
    for await (const page of readForward(store, { deviceId: 'd', metric: 'm', from: 0, to: 20_000 }, 64, 5_000)) {
      for (const p of page) seen.push(p.ts);
    }
    expect(seen).toEqual(points.map((p) => p.ts));
    expect(queries).toBeLessThan(100);
  });
});
