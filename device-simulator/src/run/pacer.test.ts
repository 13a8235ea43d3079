import { describe, expect, it } from 'vitest';
import { Pacer, type WallClock } from './pacer.js';

function fakeClock() {
  const sleeps: number[] = [];
  let now = 1000;
  const clock: WallClock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => (now += ms) };
}

describe('Pacer', () => {
  it('never waits at max speed', () => {
    const { clock } = fakeClock();
    const pacer = new Pacer('max', 0, clock);
    expect(pacer.wait(0)).toBeUndefined();
    expect(pacer.wait(365 * 86_400_000)).toBeUndefined();
  });

  it('plays one simulated hour per second at --speed 3600', async () => {
    const { clock, sleeps } = fakeClock();
    const pacer = new Pacer(3600, 0, clock);
    expect(pacer.wait(0)).toBeUndefined();
    await pacer.wait(3_600_000);
    await pacer.wait(2 * 3_600_000);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('does not wait for events already due (the loop fell behind)', () => {
    const { clock, advance } = fakeClock();
    const pacer = new Pacer(60, 0, clock);
    void pacer.wait(0);
    advance(5000);
    expect(pacer.wait(60_000)).toBeUndefined();
  });
});
