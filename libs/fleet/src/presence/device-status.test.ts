import { describe, expect, it } from 'vitest';
import { parseDeviceStatus } from './device-status.js';

const status = (text: string) => parseDeviceStatus(Buffer.from(text, 'utf8'));

describe('parseDeviceStatus', () => {
  it('reads JSON strings and objects', () => {
    expect(status('"online"')).toBe('online');
    expect(status('"offline"')).toBe('offline');
    expect(status('{"state":"offline"}')).toBe('offline');
    expect(status('{"state":"online","battery_v":3.6}')).toBe('online');
  });

  it('reads the bare words a last will usually carries', () => {
    expect(status('offline')).toBe('offline');
    expect(status(' online\n')).toBe('online');
  });

  it('ignores anything else', () => {
    expect(status('')).toBeUndefined();
    expect(status('gone')).toBeUndefined();
    expect(status('"sleeping"')).toBeUndefined();
    expect(status('{"state":"maybe"}')).toBeUndefined();
    expect(status('{"state":')).toBeUndefined();
    expect(status('42')).toBeUndefined();
    expect(parseDeviceStatus(Buffer.from([0xff, 0xfe]))).toBeUndefined();
  });
});
