import { describe, expect, it } from 'vitest';
import { toPublicEvent } from './event-publisher.js';

const now = new Date('2026-11-22T08:00:00Z');
const base = {
  type: 'alert.raised',
  subject: { kind: 'alert', id: 'al-1' },
  customerId: '00000000-0000-4000-8000-00000000000a',
  technicianId: null,
  data: { metric: 'coating_thickness_um', value: 180.5 },
};

describe('toPublicEvent', () => {
  it('assigns a fresh uuid and the clock time, in the schema key order', () => {
    const e = toPublicEvent(base, now);
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(toPublicEvent(base, now).id).not.toBe(e.id);
    expect(Object.keys(e)).toEqual(['id', 'type', 'at', 'subject', 'customerId', 'technicianId', 'data']);
    expect(e).toMatchObject({ at: '2026-11-22T08:00:00.000Z', type: 'alert.raised', data: base.data });
  });

  it('keeps a time given by the publisher (event time of a reading)', () => {
    expect(toPublicEvent({ ...base, at: '2026-11-20T23:59:59.000Z' }, now).at).toBe('2026-11-20T23:59:59.000Z');
  });

  it('carries data through JSON, as it will be stored and sent', () => {
    const e = toPublicEvent({ ...base, data: { when: new Date('2026-01-01T00:00:00Z'), gone: undefined } }, now);
    expect(e.data).toEqual({ when: '2026-01-01T00:00:00.000Z' });
  });

  it.each([
    [{ type: 'AlertRaised' }, /type/],
    [{ type: 'alert' }, /type/],
    [{ customerId: 'customer-7' }, /customerId/],
    [{ at: 'yesterday' }, /at/],
  ])('refuses a malformed event, naming the field (%j)', (patch, field) => {
    expect(() => toPublicEvent({ ...base, ...patch }, now)).toThrow(field);
  });
});
