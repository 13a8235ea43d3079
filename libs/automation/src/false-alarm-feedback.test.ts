import { describe, expect, it } from 'vitest';
import { falseAlarmOf } from './false-alarm-feedback.js';

describe('false alarm of a work_order.false_alarm event', () => {
  it('reads the alert, the work order number and the note', () => {
    expect(
      falseAlarmOf({ number: 'WO-2026-000012', alertId: 'a-1', note: 'gauge lifted', status: 'cancelled' }),
    ).toEqual({ alertId: 'a-1', workOrder: 'WO-2026-000012', note: 'gauge lifted' });
    expect(falseAlarmOf({ alertId: 'a-1', note: null })).toEqual({ alertId: 'a-1', workOrder: 'unknown', note: null });
  });

  it('ignores a work order that no alert opened', () => {
    expect(falseAlarmOf({ number: 'WO-2026-000012', alertId: null })).toBeNull();
    expect(falseAlarmOf({ alertId: '' })).toBeNull();
  });
});
