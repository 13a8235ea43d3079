import { describe, expect, it } from 'vitest';
import { backgroundWrites } from './background-writes.js';

/** A task that resolves in microtasks only, like a PGlite statement: it never gives the event loop a turn. */
const microtaskWork = async (rounds: number): Promise<void> => {
  for (let i = 0; i < rounds; i++) await Promise.resolve();
};

describe('backgroundWrites', () => {
  it('never runs more than `concurrency` tasks at once, and runs them in submission order', async () => {
    const gate = backgroundWrites(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        gate(async () => {
          started.push(i);
          running++;
          most = Math.max(most, running);
          // Waits on I/O (a timer here), as a write to PostgreSQL over a socket does.
          await new Promise((resolve) => setTimeout(resolve, 1));
          running--;
          return i;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(started).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('answers what the task answers and passes its failure on, without blocking the tasks behind it', async () => {
    const gate = backgroundWrites(1);
    const failed = gate(() => Promise.reject(new Error('constraint violated')));
    const next = gate(async () => 'written');
    await expect(failed).rejects.toThrow('constraint violated');
    await expect(next).resolves.toBe('written');
  });

  it('lets I/O and timers run between tasks of a burst (a chain of microtask-only writes would starve them)', async () => {
    const gate = backgroundWrites(2);
    const order: string[] = [];
    const burst = Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        gate(async () => {
          await microtaskWork(20);
          order.push(`write ${i}`);
        }),
      ),
    );
    // Scheduled after the burst was queued: like a socket read or the group-commit timer of the ingest.
    setImmediate(() => order.push('io'));
    await burst;
    const io = order.indexOf('io');
    expect(io).toBeGreaterThan(-1);
    // It ran while writes were still due, not after the whole burst.
    expect(io).toBeLessThan(order.length - 10);
  });

  it('refuses a concurrency that is not a positive integer', () => {
    expect(() => backgroundWrites(0)).toThrow(RangeError);
    expect(() => backgroundWrites(1.5)).toThrow(/positive integer/);
  });
});
