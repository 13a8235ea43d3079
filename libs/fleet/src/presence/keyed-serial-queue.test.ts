import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from './keyed-serial-queue.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('KeyedSerialQueue', () => {
  it('runs the tasks of one key in order, even when an earlier one is slower', async () => {
    const q = new KeyedSerialQueue();
    const done: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = q.run('d1', async () => {
      await gate;
      done.push('disconnect');
    });
    const second = q.run('d1', async () => {
      done.push('connect');
    });
    await tick();
    expect(done).toEqual([]);
    release();
    await Promise.all([first, second]);
    expect(done).toEqual(['disconnect', 'connect']);
  });

  it('does not hold one key behind another', async () => {
    const q = new KeyedSerialQueue();
    const done: string[] = [];
    const blocked = q.run('a', () => new Promise<void>(() => undefined));
    await q.run('b', async () => {
      done.push('b');
    });
    expect(done).toEqual(['b']);
    void blocked;
  });

  it('carries on after a failed task and reports the failure to its caller', async () => {
    const q = new KeyedSerialQueue();
    const failed = q.run('a', async () => {
      throw new Error('boom');
    });
    const next = q.run('a', async () => undefined);
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBeUndefined();
    await q.idle();
    await tick();
    expect(q.pendingKeys).toBe(0);
  });
});
