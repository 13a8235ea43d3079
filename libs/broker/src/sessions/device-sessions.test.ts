import { describe, expect, it } from 'vitest';
import { DeviceSessions } from './device-sessions.js';
import { SeenThrottle } from './seen-throttle.js';

const digest = Buffer.from('d');
const conn = (name: string) => ({ name });

describe('DeviceSessions', () => {
  it('starts a device session with its first ready connection and ends it with the last', () => {
    const sessions = new DeviceSessions<{ name: string }>();
    const a = conn('a');
    const b = conn('b');
    sessions.attach(a, 'd1', digest);
    sessions.attach(b, 'd1', digest);
    expect(sessions.connectedDevices).toBe(0);
    expect(sessions.ready(a)).toBe('started');
    expect(sessions.ready(b)).toBe('unchanged');
    expect(sessions.connectedDevices).toBe(1);
    expect(sessions.closed(a)).toBe('unchanged');
    expect(sessions.closed(b)).toBe('ended');
    expect(sessions.connectedDevices).toBe(0);
    expect(sessions.connectionsOf('d1')).toEqual([]);
  });

  it('handles a takeover whose new connection is ready before the old one closed', () => {
    const sessions = new DeviceSessions<{ name: string }>();
    const old = conn('old');
    const taker = conn('new');
    sessions.attach(old, 'd1', digest);
    sessions.ready(old);
    sessions.attach(taker, 'd1', digest);
    expect(sessions.ready(taker)).toBe('unchanged');
    expect(sessions.closed(old)).toBe('unchanged');
    expect(sessions.connectedDevices).toBe(1);
  });

  it('reports nothing for a connection that closed before it was ready', () => {
    const sessions = new DeviceSessions<{ name: string }>();
    const a = conn('a');
    sessions.attach(a, 'd1', digest);
    expect(sessions.connectionsOf('d1')).toEqual([a]);
    expect(sessions.closed(a)).toBe('unchanged');
    expect(sessions.closed(a)).toBe('unchanged');
    expect(sessions.ready(a)).toBe('unchanged');
    // still known, so its last will can be authorised after the socket closed
    expect(sessions.deviceOf(a)).toBe('d1');
  });

  it('keeps devices apart', () => {
    const sessions = new DeviceSessions<{ name: string }>();
    const a = conn('a');
    const b = conn('b');
    sessions.attach(a, 'd1', digest);
    sessions.attach(b, 'd2', Buffer.from('other'));
    expect(sessions.ready(a)).toBe('started');
    expect(sessions.ready(b)).toBe('started');
    expect(sessions.connectedDevices).toBe(2);
    expect(sessions.deviceOf(b)).toBe('d2');
    expect(sessions.tokenDigestOf(b)).toEqual(Buffer.from('other'));
  });
});

describe('SeenThrottle', () => {
  it('lets one report per interval per device through', () => {
    const throttle = new SeenThrottle(1_000);
    expect(throttle.shouldEmit('d1', 0)).toBe(true);
    expect(throttle.shouldEmit('d1', 999)).toBe(false);
    expect(throttle.shouldEmit('d2', 999)).toBe(true);
    expect(throttle.shouldEmit('d1', 1_000)).toBe(true);
    expect(throttle.shouldEmit('d1', 1_001)).toBe(false);
  });

  it('prunes entries that no longer decide anything, without letting a recent one through', () => {
    const throttle = new SeenThrottle(1_000);
    for (let i = 0; i < 10_000; i++) throttle.shouldEmit(`old-${i}`, 0);
    throttle.shouldEmit('recent', 5_000);
    expect(throttle.shouldEmit('trigger', 5_000)).toBe(true);
    expect(throttle.size).toBe(2);
    expect(throttle.shouldEmit('recent', 5_500)).toBe(false);
  });
});
