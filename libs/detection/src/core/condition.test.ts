import { describe, expect, it } from 'vitest';
import { ConfirmedCondition } from './condition.js';

describe('ConfirmedCondition', () => {
  it('raises only after k consecutive violations', () => {
    const c = new ConfirmedCondition();
    expect(c.observe(true, false, 'high', 1, 3, 3)).toBeNull();
    expect(c.observe(true, false, 'high', 2, 3, 3)).toBeNull();
    expect(c.observe(false, false, 'high', 3, 3, 3)).toBeNull();
    expect(c.observe(true, false, 'high', 4, 3, 3)).toBeNull();
    expect(c.observe(true, false, 'high', 5, 3, 3)).toBeNull();
    expect(c.observe(true, false, 'high', 6, 3, 3)).toBe('raised');
    expect(c.onset).toBe(4);
    expect(c.severity).toBe('high');
  });

  it('holds inside the hysteresis band and clears after k clear inputs', () => {
    const c = new ConfirmedCondition();
    for (let t = 0; t < 3; t++) c.observe(true, false, 'medium', t, 3, 3);
    expect(c.isActive).toBe(true);
    for (let t = 3; t < 20; t++) expect(c.observe(false, false, 'medium', t, 3, 3)).toBeNull();
    expect(c.observe(false, true, 'medium', 20, 3, 3)).toBeNull();
    expect(c.observe(false, true, 'medium', 21, 3, 3)).toBeNull();
    expect(c.observe(false, true, 'medium', 22, 3, 3)).toBe('cleared');
    expect(c.isActive).toBe(false);
  });

  it('escalates after k inputs of a higher severity and never de-escalates while active', () => {
    const c = new ConfirmedCondition();
    for (let t = 0; t < 3; t++) c.observe(true, false, 'high', t, 3, 3);
    expect(c.observe(true, false, 'critical', 3, 3, 3)).toBeNull();
    expect(c.observe(true, false, 'critical', 4, 3, 3)).toBeNull();
    expect(c.observe(true, false, 'critical', 5, 3, 3)).toBe('escalated');
    expect(c.severity).toBe('critical');
    expect(c.observe(true, false, 'high', 6, 3, 3)).toBeNull();
    expect(c.severity).toBe('critical');
  });

  it('raises at the least severe level of the confirming run', () => {
    const c = new ConfirmedCondition();
    c.observe(true, false, 'critical', 0, 3, 3);
    c.observe(true, false, 'high', 1, 3, 3);
    expect(c.observe(true, false, 'critical', 2, 3, 3)).toBe('raised');
    expect(c.severity).toBe('high');
  });

  it('round-trips through its snapshot', () => {
    const c = new ConfirmedCondition();
    c.observe(true, false, 'high', 10, 3, 3);
    c.observe(true, false, 'high', 11, 3, 3);
    const copy = new ConfirmedCondition();
    copy.restore(c.snapshot());
    expect(copy.observe(true, false, 'high', 12, 3, 3)).toBe('raised');
    expect(copy.onset).toBe(10);
  });
});
