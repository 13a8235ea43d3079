import { describe, expect, it } from 'vitest';
import type { DeviceCredentials, DeviceCredentialsSource } from '#contracts';
import { digestToken } from '#platform';
import { CredentialsCache } from './credentials-cache.js';

interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function creds(deviceId: string, token = 'tok', enabled = true): DeviceCredentials {
  return { deviceId, tokenDigest: digestToken(token), enabled };
}

/** A source whose answers the test releases by hand. */
class ManualSource implements DeviceCredentialsSource {
  readonly calls: { deviceId: string; answer: Deferred<DeviceCredentials | undefined> }[] = [];
  findCredentials(deviceId: string): Promise<DeviceCredentials | undefined> {
    const answer = deferred<DeviceCredentials | undefined>();
    this.calls.push({ deviceId, answer });
    return answer.promise;
  }
}

function setup(overrides: Partial<{ ttlMs: number; negativeTtlMs: number; maxEntries: number }> = {}) {
  let now = 1_000_000;
  const source = new ManualSource();
  const cache = new CredentialsCache(source, {
    ttlMs: 60_000,
    negativeTtlMs: 1_000,
    maxEntries: 1_000,
    now: () => now,
    ...overrides,
  });
  return { source, cache, advance: (ms: number) => (now += ms) };
}

describe('CredentialsCache', () => {
  it('coalesces concurrent look-ups of the same device into one', async () => {
    const { source, cache } = setup();
    const gets = Array.from({ length: 50 }, () => cache.get('d1'));
    expect(source.calls).toHaveLength(1);
    source.calls[0]!.answer.resolve(creds('d1'));
    const results = await Promise.all(gets);
    expect(results.every((r) => r?.deviceId === 'd1')).toBe(true);
    expect(cache.sourceLookups).toBe(1);
  });

  it('answers from the cache until the TTL runs out', async () => {
    const { source, cache, advance } = setup({ ttlMs: 10_000 });
    const first = cache.get('d1');
    source.calls[0]!.answer.resolve(creds('d1'));
    await first;
    advance(9_999);
    await expect(cache.get('d1')).resolves.toMatchObject({ deviceId: 'd1' });
    expect(source.calls).toHaveLength(1);
    advance(1);
    const again = cache.get('d1');
    expect(source.calls).toHaveLength(2);
    source.calls[1]!.answer.resolve(creds('d1', 'new'));
    await expect(again).resolves.toEqual(creds('d1', 'new'));
  });

  it('caches an unknown device only for the short negative TTL', async () => {
    const { source, cache, advance } = setup({ negativeTtlMs: 500 });
    const first = cache.get('ghost');
    source.calls[0]!.answer.resolve(undefined);
    await expect(first).resolves.toBeUndefined();
    await expect(cache.get('ghost')).resolves.toBeUndefined();
    expect(source.calls).toHaveLength(1);
    advance(500);
    void cache.get('ghost');
    expect(source.calls).toHaveLength(2);
  });

  it('does not cache a failed look-up', async () => {
    const { source, cache } = setup();
    const first = cache.get('d1');
    source.calls[0]!.answer.reject(new Error('database down'));
    await expect(first).rejects.toThrow('database down');
    const second = cache.get('d1');
    expect(source.calls).toHaveLength(2);
    source.calls[1]!.answer.resolve(creds('d1'));
    await expect(second).resolves.toMatchObject({ deviceId: 'd1' });
  });

  it('turns a synchronous throw of the source into a rejection', async () => {
    const cache = new CredentialsCache(
      {
        findCredentials: () => {
          throw new Error('boom');
        },
      },
      { ttlMs: 1, negativeTtlMs: 1, maxEntries: 1, now: () => 0 },
    );
    await expect(cache.get('d1')).rejects.toThrow('boom');
  });

  it('forgets a device on invalidate', async () => {
    const { source, cache } = setup();
    const first = cache.get('d1');
    source.calls[0]!.answer.resolve(creds('d1'));
    await first;
    cache.invalidate('d1');
    const second = cache.get('d1');
    expect(source.calls).toHaveLength(2);
    source.calls[1]!.answer.resolve(creds('d1', 'tok', false));
    await expect(second).resolves.toMatchObject({ enabled: false });
  });

  it('retries a look-up that was invalidated while in flight instead of answering stale credentials', async () => {
    const { source, cache } = setup();
    const waiting = cache.get('d1');
    cache.invalidate('d1'); // the device was disabled while its old credentials were being read
    source.calls[0]!.answer.resolve(creds('d1', 'tok', true));
    await Promise.resolve();
    await Promise.resolve();
    expect(source.calls).toHaveLength(2);
    source.calls[1]!.answer.resolve(creds('d1', 'tok', false));
    await expect(waiting).resolves.toMatchObject({ enabled: false });
    // and the stale answer was not cached
    await expect(cache.get('d1')).resolves.toMatchObject({ enabled: false });
    expect(source.calls).toHaveLength(2);
  });

  it('drops the oldest entries beyond maxEntries', async () => {
    const { source, cache } = setup({ maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) {
      const pending = cache.get(id);
      source.calls.at(-1)!.answer.resolve(creds(id));
      await pending;
    }
    expect(cache.size).toBe(2);
    void cache.get('a');
    expect(source.calls).toHaveLength(4);
    void cache.get('c');
    expect(source.calls).toHaveLength(4);
  });
});
