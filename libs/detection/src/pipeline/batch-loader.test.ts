import { describe, expect, it } from 'vitest';
import { BatchLoader, type Settled, settleEach } from './batch-loader.js';

/** A loader whose batches are recorded and answered by hand. */
function manual() {
  const calls: Array<{ keys: readonly string[]; answer: (r: ReadonlyArray<Settled<string>>) => void }> = [];
  const loader = new BatchLoader<string, string>(
    (keys) => new Promise((resolve) => calls.push({ keys, answer: resolve })),
    3,
  );
  return { loader, calls };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const ok = (keys: readonly string[]) => keys.map((k) => ({ ok: true as const, value: k.toUpperCase() }));

describe('BatchLoader', () => {
  it('loads the keys asked in one turn with one call, at most maxBatch at a time, one batch at a time', async () => {
    const { loader, calls } = manual();
    const a = ['a', 'b', 'c', 'd'].map((k) => loader.load(k));
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([['a', 'b', 'c']]);
    // Asked while a batch runs: waits for the next one, with what was left over.
    const e = loader.load('e');
    await turn();
    expect(calls).toHaveLength(1);
    expect(loader.waiting).toBe(2);
    calls[0]!.answer(ok(calls[0]!.keys));
    await turn();
    expect(calls.map((c) => c.keys)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    calls[1]!.answer(ok(calls[1]!.keys));
    expect(await Promise.all([...a, e])).toEqual(['A', 'B', 'C', 'D', 'E']);
    // Idle again: a later key starts a new batch.
    const f = loader.load('f');
    await turn();
    calls[2]!.answer(ok(calls[2]!.keys));
    expect(await f).toBe('F');
  });

  it("a key's failure is its own; a failed batch fails its keys only, and the loader goes on", async () => {
    let fail = true;
    const loader = new BatchLoader<string, string>(async (keys) => {
      if (fail) {
        fail = false;
        throw new Error('database down');
      }
      return keys.map((k) => (k === 'x' ? { ok: false, error: new Error('x is bad') } : { ok: true, value: k }));
    }, 10);
    await expect(loader.load('a')).rejects.toThrow('database down');
    const [x, y] = [loader.load('x'), loader.load('y')];
    await expect(x).rejects.toThrow('x is bad');
    expect(await y).toBe('y');
  });

  it('settleEach loads each key on its own and settles each', async () => {
    const settled = await settleEach(['a', 'b'], async (k) => {
      if (k === 'b') throw new Error('no b');
      return k;
    });
    expect(settled[0]).toEqual({ ok: true, value: 'a' });
    expect(settled[1]!.ok).toBe(false);
  });
});
