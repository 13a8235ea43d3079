import { describe, expect, it } from 'vitest';
import { compileTypeFilter } from './type-glob.js';

describe('type filters', () => {
  it.each([
    [['work_order.*'], 'work_order.opened', true],
    [['work_order.*'], 'work_order.sla.breached', true],
    [['work_order.*'], 'work_order', false],
    [['work_order.*'], 'work_orders.opened', false],
    [['work_order.*'], 'alert.raised', false],
    [['work_order.opened'], 'work_order.opened', true],
    [['work_order.opened'], 'work_order.opened_late', false],
    [['work_order.opened'], 'xwork_order.opened', false],
    [['*'], 'alert.raised', true],
    [['*.breached'], 'work_order.sla.breached', true],
    [['*.breached'], 'work_order.sla.breached_twice', false],
    [['alert.*', 'work_order.transitioned'], 'alert.cleared', true],
    [['alert.*', 'work_order.transitioned'], 'work_order.transitioned', true],
    [['alert.*', 'work_order.transitioned'], 'work_order.opened', false],
    [['work_order.sla_*'], 'work_order.sla_breached', true],
    [[], 'alert.raised', false],
  ])('%j matches %s: %s', (globs, type, expected) => {
    expect(compileTypeFilter(globs)(type)).toBe(expected);
  });

  it('treats a dot as a dot, not as any character', () => {
    expect(compileTypeFilter(['a.b'])('axb')).toBe(false);
  });

  it('refuses a filter outside the grammar (no regex injection)', () => {
    expect(() => compileTypeFilter(['work_order.(opened|closed)'])).toThrow(/invalid event type filter/);
    expect(() => compileTypeFilter(['Work_Order.*'])).toThrow(/invalid event type filter/);
    expect(() => compileTypeFilter(['a..b'])).toThrow(/invalid event type filter/);
  });
});
