import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DatabaseConnection } from '#database';
import { eventsOptions } from '../events-options.js';
import { CommitSignal } from './commit-signal.js';

/** fire() never touches the database: only LISTEN (at bootstrap) does. */
const noDatabase = {} as DatabaseConnection;

describe('CommitSignal wake-ups', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes the listeners once for a burst of commits within commitCoalesceMs', () => {
    vi.useFakeTimers();
    const signal = new CommitSignal(noDatabase, eventsOptions({ commitCoalesceMs: 25 }));
    const feed = vi.fn();
    const outbox = vi.fn();
    signal.on(feed);
    signal.on(outbox);
    for (let i = 0; i < 100; i++) signal.fire();
    expect(feed).not.toHaveBeenCalled();
    vi.advanceTimersByTime(25);
    expect(feed).toHaveBeenCalledTimes(1);
    expect(outbox).toHaveBeenCalledTimes(1);
    // A commit after the wake-up gets a wake-up of its own: none is lost.
    signal.fire();
    vi.advanceTimersByTime(25);
    expect(feed).toHaveBeenCalledTimes(2);
  });

  it('wakes at once with commitCoalesceMs 0, and not at all after the module is destroyed', async () => {
    vi.useFakeTimers();
    const now = new CommitSignal(noDatabase, eventsOptions({ commitCoalesceMs: 0 }));
    const listener = vi.fn();
    now.on(listener);
    now.fire();
    now.fire();
    expect(listener).toHaveBeenCalledTimes(2);

    const coalesced = new CommitSignal(noDatabase, eventsOptions({ commitCoalesceMs: 25 }));
    const late = vi.fn();
    coalesced.on(late);
    coalesced.fire();
    await coalesced.onModuleDestroy();
    vi.advanceTimersByTime(100);
    expect(late).not.toHaveBeenCalled();
  });
});
