import { describe, expect, it } from 'vitest';
import { evaluateRun, faultWindow, figuresByKind, quantile, type SeenAlert, type TruthFault, totals } from './match.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const END = T0 + 60 * DAY;

const fault = (over: Partial<TruthFault> & Pick<TruthFault, 'faultId' | 'kind'>): TruthFault => ({
  scope: 'asset',
  deviceIds: ['d1'],
  startAt: T0 + 10 * DAY,
  failureAt: T0 + 20 * DAY,
  projectedFailureAt: null,
  customerReportAt: T0 + 21 * DAY,
  reportSent: true,
  platformWasFirst: true,
  durationDays: null,
  ...over,
});
const alert = (id: string, deviceId: string, fault: string, day: number): SeenAlert => ({
  id,
  deviceId,
  kind: 'k',
  fault,
  severity: 'high',
  eventTime: T0 + day * DAY,
});

describe('eval matching', () => {
  it('catches a fault with a compatible alert on its devices inside its window, and times the work order', () => {
    const r = evaluateRun({
      faults: [fault({ faultId: 'f1', kind: 'coating_damage', deviceIds: ['d1', 'd2'] })],
      alerts: [
        alert('early', 'd1', 'coating_degradation', 5), // before the fault: not explained
        alert('late-wo', 'd2', 'coating_damage', 12),
        alert('first', 'd1', 'coating_damage', 11),
        alert('wrong-class', 'd2', 'cathodic_protection', 13),
        alert('elsewhere', 'd9', 'sensor', 30),
      ],
      workOrders: [
        { id: 'w1', status: 'new', alertIds: ['late-wo'] },
        { id: 'w2', status: 'new', alertIds: ['early'] },
      ],
      devices: 10,
      days: 60,
      runStart: T0,
      runEnd: END,
    });
    const [f] = r.faults;
    expect(f).toMatchObject({
      detected: true,
      firstAlertAt: T0 + 11 * DAY,
      workOrderAt: T0 + 12 * DAY,
      proactive: true,
    });
    expect(f!.leadDays).toBeCloseTo(8);
    expect(f!.leadProjected).toBe(false);
    expect(f!.possibleLeadDays).toBeCloseTo(10);
    expect(r).toMatchObject({
      alerts: 5,
      trueAlerts: 2,
      misdiagnosedAlerts: 1,
      falseAlerts: 2,
      workOrders: 2,
      trueWorkOrders: 1,
      falseWorkOrders: 1,
      falseAlertKinds: { k: 2 },
      falseAlertsAtStart: 0,
      falseWorkOrderKinds: { k: 1 },
    });
    expect(r.deviceMonths).toBeCloseTo((10 * 60) / 30.44);
  });

  it('times a slow fault that fails after the run against its projected failure, and says so', () => {
    const r = evaluateRun({
      faults: [
        fault({
          faultId: 'slow',
          kind: 'accelerated_degradation',
          failureAt: null,
          projectedFailureAt: END + 40 * DAY,
          customerReportAt: null,
        }),
        fault({ faultId: 'unknown', kind: 'accelerated_degradation', deviceIds: ['d2'], failureAt: null }),
      ],
      alerts: [alert('a1', 'd1', 'coating_degradation', 15), alert('a2', 'd2', 'coating_degradation', 15)],
      workOrders: [
        { id: 'w1', status: 'new', alertIds: ['a1'] },
        { id: 'w2', status: 'new', alertIds: ['a2'] },
      ],
      devices: 10,
      days: 60,
      runStart: T0,
      runEnd: END,
    });
    const [slow, unknown] = r.faults;
    expect(slow!.leadDays).toBeCloseTo(85);
    expect(slow!.leadProjected).toBe(true);
    expect(slow!.possibleLeadDays).toBeCloseTo(90);
    expect(slow!.proactive).toBeNull();
    expect(unknown!.leadDays).toBeNull();
    expect(unknown!.possibleLeadDays).toBeNull();
    const [figures] = figuresByKind(r.faults);
    expect(figures).toMatchObject({ kind: 'accelerated_degradation', projectedLeads: 1, withWorkOrder: 2 });
    expect(figures!.medianLeadDays).toBeCloseTo(85);
    expect(figures!.medianPossibleLeadDays).toBeCloseTo(90);
  });

  it('is not proactive when the work order comes after the report, and says nothing without a report', () => {
    const r = evaluateRun({
      faults: [
        fault({ faultId: 'late', kind: 'cp_failure' }),
        fault({
          faultId: 'unreported',
          kind: 'cp_failure',
          deviceIds: ['d2'],
          customerReportAt: null,
          failureAt: null,
        }),
      ],
      alerts: [alert('a', 'd1', 'cathodic_protection', 22), alert('b', 'd2', 'cathodic_protection', 15)],
      workOrders: [{ id: 'w', status: 'new', alertIds: ['a', 'b'] }],
      devices: 2,
      days: 60,
      runStart: T0,
      runEnd: END,
    });
    expect(r.faults.map((f) => [f.proactive, f.leadDays])).toEqual([
      [false, -2],
      [null, null],
    ]);
    const [k] = figuresByKind(r.faults);
    expect(k).toMatchObject({ kind: 'cp_failure', faults: 2, detected: 2, recall: 1, reported: 1, proactive: 0 });
  });

  it('limits a fault that ends (a dropout) to its duration and a few days after', () => {
    const f = fault({ faultId: 'd', kind: 'dropout', scope: 'sensor', durationDays: 2 });
    expect(faultWindow(f, END)).toEqual({ from: f.startAt - 2 * 3_600_000, to: f.startAt + 5 * DAY });
    const r = evaluateRun({
      faults: [f],
      alerts: [alert('back', 'd1', 'sensor', 12.5), alert('much-later', 'd1', 'sensor', 40)],
      workOrders: [],
      devices: 1,
      days: 60,
      runStart: T0,
      runEnd: END,
    });
    expect(r).toMatchObject({ trueAlerts: 1, falseAlerts: 1 });
  });

  it('pools runs and rates false alarms per 100 device-months', () => {
    const run = evaluateRun({
      faults: [fault({ faultId: 'f', kind: 'accelerated_degradation' })],
      alerts: [alert('x', 'd1', 'coating_degradation', 12), alert('noise', 'd5', 'anomaly', 3)],
      workOrders: [{ id: 'w', status: 'new', alertIds: ['noise'] }],
      devices: 100,
      days: 30.44,
      runStart: T0,
      runEnd: END,
    });
    const t = totals([run, run]);
    expect(t).toMatchObject({ recall: 1, precision: 0.5, faults: 2, alerts: 4, false_alerts: 2, proactive_rate: 0 });
    expect(t.false_alerts_per_100_device_months).toBeCloseTo(1);
    expect(t.false_work_orders_per_100_device_months).toBeCloseTo(1);
    expect(t.gradual_median_lead_days).toBeNull();
  });

  it('takes quantiles between order statistics', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([3, 1, 2], 0.5)).toBe(2);
    expect(quantile([0, 10], 0.1)).toBeCloseTo(1);
  });
});
