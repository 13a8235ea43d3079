import { describe, expect, it } from 'vitest';
import { differenceNoise, roundSig } from './robust-stats.js';
import { median } from 'simple-statistics';
import { StreamWindow } from './stream-window.js';
import { rng } from './test-support/series.js';

const CONFIG = { size: 24, refreshEvery: 4, warmup: 24, minSpread: 0.01, relativeMinSpread: 0.002 };

describe('StreamWindow (incrementally sorted while full)', () => {
  it('refreshes to the median and noise of its readings, through restarts and restores', () => {
    const u = rng(11);
    let window = new StreamWindow(CONFIG);
    let checked = 0;
    for (let i = 0; i < 20_000; i++) {
      const value = Math.round((100 + 10 * Math.sin(i / 7) + (u() - 0.5) * 8 + (u() < 0.03 ? 60 : 0)) * 10) / 10;
      window.add(i * 1000, value);
      if (u() < 0.002 && window.ring.full) window.restartFrom(1 + Math.floor(u() * 30));
      if (u() < 0.002) {
        const copy = new StreamWindow(CONFIG);
        copy.restore(JSON.parse(JSON.stringify(window.snapshot())) as ReturnType<StreamWindow['snapshot']>);
        window = copy;
      }
      if (window.refreshIfDue() && window.ring.full) {
        const values = window.ring.recentValues();
        expect(window.median).toBe(roundSig(median(values)));
        expect(window.noise).toBe(roundSig(differenceNoise(values)));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(4000);
  });
});
