import { Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BusyTime } from './busy-time.js';

describe('BusyTime', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('adds up the time of each stretch and hands it to its counter when scraped', async () => {
    const registry = new Registry();
    const busy = new BusyTime('test_busy_seconds_total', 'test', [registry]);
    const now = vi.spyOn(performance, 'now');
    now.mockReturnValue(1_250);
    busy.since(1_000);
    now.mockReturnValue(2_000);
    busy.since(1_500);

    expect(await busy.seconds()).toBeCloseTo(0.75, 9);
    expect(await registry.metrics()).toContain('test_busy_seconds_total 0.75');
    // Scraped again with nothing new: the same total, not counted twice.
    expect(await registry.metrics()).toContain('test_busy_seconds_total 0.75');
    busy.since(1_900);
    expect(await busy.seconds()).toBeCloseTo(0.85, 9);
  });
});
