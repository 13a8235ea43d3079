import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.js';
import { priorityOf } from './alert.js';
import { AlertActionError, AlertLifecycle } from './alert-lifecycle.js';
import { DEFAULT_ALERT_POLICY } from './alert-policy.js';
import { InMemoryAlertBook } from './in-memory-alert-book.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
const WALL = Date.UTC(2026, 5, 1);

function finding(over: Partial<Finding> & Pick<Finding, 'kind' | 'phase' | 'detectedAt'>): Finding {
  const condition = !['spike', 'coating_damage', 'step_change', 'level_shift'].includes(over.kind);
  return {
    deviceId: 'gauge-1',
    metric: 'coating_thickness_um',
    fault: 'coating_degradation',
    detector: 'domain_rule',
    lifecycle: condition ? 'condition' : 'event',
    score: 0.6,
    severity: 'high',
    explanation: `${over.kind} ${over.phase}`,
    eventTime: over.detectedAt - 2 * HOUR,
    evidence: { from: over.detectedAt - 2 * HOUR, to: over.detectedAt, points: [], series: 'readings' },
    ...over,
  };
}

function book() {
  let n = 0;
  return new InMemoryAlertBook({
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    owner: () => ({ assetId: 'asset-1', customerId: 'customer-1' }),
  });
}

describe('alert lifecycle', () => {
  it('opens one alert per condition, records the triggering event time and the wall-clock opening', () => {
    const b = book();
    const change = b.apply(finding({ kind: 'dft_below_minimum', phase: 'raised', detectedAt: T0 }), WALL);
    expect(change?.type).toBe('raised');
    expect(change?.alert).toMatchObject({
      status: 'active',
      eventTime: T0,
      onsetTime: T0 - 2 * HOUR,
      openedAt: WALL,
      occurrences: 1,
      assetId: 'asset-1',
      customerId: 'customer-1',
      version: 1,
    });
    expect(priorityOf(change!.alert.severity)).toBe('P2');
  });

  it('keeps one open alert per (device, metric, kind): repeats bump occurrences, a worse finding escalates', () => {
    const b = book();
    b.apply(finding({ kind: 'dft_below_minimum', phase: 'raised', detectedAt: T0 }));
    const again = b.apply(finding({ kind: 'dft_below_minimum', phase: 'raised', detectedAt: T0 + HOUR }));
    expect(again?.type).toBe('repeated');
    const worse = b.apply(
      finding({ kind: 'dft_below_minimum', phase: 'escalated', severity: 'critical', detectedAt: T0 + 2 * HOUR }),
    );
    expect(worse?.type).toBe('escalated');
    expect(worse?.alert).toMatchObject({ severity: 'critical', occurrences: 3, eventTime: T0 });
    // Another kind or another metric is another alert.
    b.apply(finding({ kind: 'dft_mean_below_nominal', phase: 'raised', detectedAt: T0 + 2 * HOUR }));
    b.apply(finding({ kind: 'dft_below_minimum', metric: 'other_um', phase: 'raised', detectedAt: T0 + 2 * HOUR }));
    expect(b.alerts()).toHaveLength(3);
    expect(b.openAlerts()).toHaveLength(3);
  });

  it('clears a condition on its cleared finding and ignores a cleared finding without an open alert', () => {
    const b = book();
    b.apply(finding({ kind: 'cp_underprotected', phase: 'raised', detectedAt: T0 }));
    const cleared = b.apply(finding({ kind: 'cp_underprotected', phase: 'cleared', detectedAt: T0 + DAY }), WALL);
    expect(cleared?.alert).toMatchObject({
      status: 'cleared',
      clearReason: 'recovered',
      clearedEventTime: T0 + DAY,
      clearedAt: WALL,
    });
    expect(b.apply(finding({ kind: 'battery_low', phase: 'cleared', detectedAt: T0 + DAY }))).toBeNull();
  });

  it('clears an event alert after its quiet period of event time, not before', () => {
    const b = book();
    b.apply(finding({ kind: 'coating_damage', phase: 'raised', detectedAt: T0 }));
    expect(b.sweep('gauge-1', T0 + 6 * DAY)).toEqual([]);
    const [cleared] = b.sweep('gauge-1', T0 + 8 * DAY);
    expect(cleared?.alert).toMatchObject({
      status: 'cleared',
      clearReason: 'quiet_period',
      clearedEventTime: T0 + DEFAULT_ALERT_POLICY.defaultQuietPeriodMs,
    });
    // Conditions never go quiet.
    b.apply(finding({ kind: 'dft_below_minimum', phase: 'raised', detectedAt: T0 + 9 * DAY }));
    expect(b.sweep('gauge-1', T0 + 100 * DAY)).toEqual([]);
  });

  it('debounces single spikes: three within a day open one alert, isolated ones none', () => {
    const b = book();
    const spike = (t: number) => finding({ kind: 'spike', phase: 'raised', severity: 'low', detectedAt: t });
    expect(b.apply(spike(T0))).toBeNull();
    expect(b.apply(spike(T0 + 2 * DAY))).toBeNull();
    expect(b.apply(spike(T0 + 2 * DAY + HOUR))).toBeNull();
    const opened = b.apply(spike(T0 + 2 * DAY + 2 * HOUR));
    expect(opened?.type).toBe('raised');
    expect(opened?.alert).toMatchObject({
      occurrences: 3,
      eventTime: T0 + 2 * DAY + 2 * HOUR,
      onsetTime: T0 + 2 * DAY,
    });
    expect(b.apply(spike(T0 + 2 * DAY + 3 * HOUR))?.type).toBe('repeated');
  });

  it('escalates an event alert repeated many times, once, up to the policy maximum', () => {
    const b = book();
    const step = (t: number) => finding({ kind: 'step_change', phase: 'raised', severity: 'low', detectedAt: t });
    const types = Array.from({ length: 12 }, (_, i) => b.apply(step(T0 + i * HOUR))?.type);
    expect(types.filter((t) => t === 'escalated')).toHaveLength(1);
    expect(b.alerts()[0]).toMatchObject({ severity: 'medium', occurrences: 12 });
  });

  it('reopens an alert that cleared shortly before instead of opening a new one (flapping)', () => {
    const b = book();
    b.apply(finding({ kind: 'battery_low', phase: 'raised', detectedAt: T0 }));
    b.apply(finding({ kind: 'battery_low', phase: 'cleared', detectedAt: T0 + HOUR }));
    const back = b.apply(finding({ kind: 'battery_low', phase: 'raised', detectedAt: T0 + 3 * HOUR }));
    expect(back?.type).toBe('reopened');
    expect(back?.alert).toMatchObject({ status: 'active', occurrences: 2, clearedAt: null, eventTime: T0 });
    b.apply(finding({ kind: 'battery_low', phase: 'cleared', detectedAt: T0 + 4 * HOUR }));
    expect(b.apply(finding({ kind: 'battery_low', phase: 'raised', detectedAt: T0 + 3 * DAY }))?.type).toBe('raised');
    expect(b.alerts()).toHaveLength(2);
  });

  it('ignores findings it has already judged (a replayed gap or a redelivery): no storm', () => {
    const b = book();
    const raised = finding({ kind: 'dft_below_minimum', phase: 'raised', detectedAt: T0 });
    b.apply(raised);
    expect(b.apply(raised)).toBeNull();
    b.apply(finding({ kind: 'dft_below_minimum', phase: 'cleared', detectedAt: T0 + DAY }));
    expect(b.apply(raised)).toBeNull();
    expect(b.alerts()).toHaveLength(1);
  });

  it('lets planners acknowledge, dismiss and mark false positive, with guarded transitions', () => {
    const b = book();
    const a = b.apply(finding({ kind: 'dft_below_minimum', phase: 'raised', detectedAt: T0 }))!.alert;
    const ack = b.act(a.id, 'acknowledge', 'token-1', WALL);
    expect(ack.alert).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'token-1', acknowledgedAt: WALL });
    expect(() => b.act(a.id, 'acknowledge', 'token-1', WALL)).toThrow(AlertActionError);
    // Acknowledged is still open: a repeat lands on it.
    expect(b.apply(finding({ kind: 'dft_below_minimum', phase: 'raised', detectedAt: T0 + HOUR }))?.alert.id).toBe(
      a.id,
    );
    const dismissed = b.act(a.id, 'dismiss', 'token-2', WALL + 1, 'repainted last week');
    expect(dismissed.alert).toMatchObject({ status: 'dismissed', closedBy: 'token-2', note: 'repainted last week' });
    expect(() => b.act(a.id, 'dismiss', 'token-2', WALL)).toThrow(/only an open alert/);
  });

  it('lowers the device sensitivity on a false positive, through the core feedback rule', () => {
    const b = book();
    const a = b.apply(finding({ kind: 'coating_damage', phase: 'raised', detectedAt: T0 }))!.alert;
    const fp = b.act(a.id, 'false_positive', 'token-1', WALL, 'gauge knocked by a ladder');
    expect(fp.sensitivity).toEqual({ from: 1, to: 0.8 });
    expect(b.sensitivityOf('gauge-1')).toBe(0.8);
    expect(fp.alert.status).toBe('false_positive');
    expect(() => b.act(a.id, 'false_positive', 'token-1', WALL)).toThrow(/already/);
  });

  it('refuses an action on a stale version', () => {
    const lifecycle = new AlertLifecycle();
    const b = book();
    const a = b.apply(finding({ kind: 'dft_below_minimum', phase: 'raised', detectedAt: T0 }))!.alert;
    expect(() =>
      lifecycle.onAction(a, 'acknowledge', { actor: 'x', note: null, now: WALL, sensitivity: 1 }, a.version + 1),
    ).toThrow(/version/);
  });
});

describe('alert lifecycle: offline', () => {
  it('clears a wall-clock offline alert with the backlog reading that follows, older than the check', () => {
    const b = book();
    const wall = T0 + 10 * HOUR;
    b.apply(
      finding({ kind: 'sensor_offline', phase: 'raised', severity: 'low', detectedAt: wall, eventTime: T0 + 3 * HOUR }),
    );
    const cleared = b.apply(finding({ kind: 'sensor_offline', phase: 'cleared', detectedAt: T0 + HOUR }));
    expect(cleared?.alert).toMatchObject({ status: 'cleared', clearReason: 'recovered', lastEventTime: wall });
  });
});
