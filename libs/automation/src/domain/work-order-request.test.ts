import { describe, expect, it } from 'vitest';
import type { FaultClass, FindingKind } from '#detection';
import { AlertWorkOrderRequestSchema, DEFAULT_CATEGORY_REQUIREMENTS } from '#service-desk';
import { alertFixture, T0 } from '../testing/alert-fixture.js';
import { FAULT_CATEGORY_BY_CLASS, faultCategoryOf } from './fault-category.js';
import { MAX_EVIDENCE_READINGS, plannedByOf, titleOf, workOrderRequestOf } from './work-order-request.js';

const DAY = 86_400_000;

describe('fault category of an alert', () => {
  it('maps every fault class onto a category the service desk dispatches', () => {
    for (const category of Object.values(FAULT_CATEGORY_BY_CLASS)) {
      expect(Object.keys(DEFAULT_CATEGORY_REQUIREMENTS)).toContain(category);
    }
  });

  it.each<[FaultClass, FindingKind, string]>([
    ['coating_damage', 'coating_damage', 'coating_damage'],
    ['coating_degradation', 'dft_below_minimum', 'coating_damage'],
    ['coating_degradation', 'predicted_coating_breakdown', 'coating_damage'],
    ['coating_degradation', 'dft_below_breakdown', 'coating_damage'],
    ['corrosion', 'corrosion_rate_high', 'corrosion'],
    ['cathodic_protection', 'cp_underprotected', 'cathodic_protection'],
    ['sensor', 'sensor_stuck', 'sensor_fault'],
    ['sensor', 'battery_low', 'sensor_fault'],
    ['sensor', 'sensor_offline', 'communication'],
    ['anomaly', 'spike', 'sensor_fault'],
  ])('%s / %s -> %s', (fault, kind, category) => {
    expect(faultCategoryOf({ fault, kind })).toBe(category);
  });
});

describe('work-order request of an alert', () => {
  it('carries the evidence: alert, device, metric, triggering event time, window, readings, words', () => {
    const alert = alertFixture();
    const request = workOrderRequestOf(alert);
    expect(request).toEqual({
      faultCategory: 'coating_damage',
      severity: 'high',
      title: 'Coating repair: coating thickness below the ISO 19840 minimum (gauge-7)',
      description: expect.stringContaining(alert.explanation),
      evidence: {
        alertId: alert.id,
        deviceId: 'gauge-7',
        metric: 'coating_thickness_um',
        eventTime: alert.eventTime,
        window: { from: alert.evidence.from, to: alert.evidence.to },
        readings: alert.evidence.points,
        finding: alert.explanation,
        forecast: null,
      },
    });
    expect(request.description).toContain('Criterion: ISO 19840.');
    expect(request.description).toContain(`Alert ${alert.id}.`);
    expect(request.description).toContain(new Date(alert.eventTime).toISOString());
    // What the service desk will accept, as it is.
    expect(AlertWorkOrderRequestSchema.safeParse(request).success).toBe(true);
  });

  it('keeps the most recent readings the service desk allows, with whole-millisecond times', () => {
    const points = Array.from({ length: 1500 }, (_, i) => ({ ts: T0 + i * 3_600_000 + 0.4, value: 200 - i / 100 }));
    const alert = alertFixture({ evidence: { from: T0, to: T0 + 1499 * 3_600_000, series: 'readings', points } });
    const { evidence } = workOrderRequestOf(alert);
    expect(evidence.readings).toHaveLength(MAX_EVIDENCE_READINGS);
    expect(evidence.readings[0]!.ts).toBe(T0 + 500 * 3_600_000);
    expect(AlertWorkOrderRequestSchema.safeParse(workOrderRequestOf(alert)).success).toBe(true);
  });

  it('clips a long explanation to what the service desk keeps', () => {
    const alert = alertFixture({ explanation: 'x'.repeat(5000) });
    const request = workOrderRequestOf(alert);
    expect(request.evidence.finding!.length).toBe(2000);
    expect(AlertWorkOrderRequestSchema.safeParse(request).success).toBe(true);
  });

  it('plans a predicted fault before the early end of the forecast band, with the forecast as evidence', () => {
    const alert = alertFixture({
      kind: 'predicted_coating_breakdown',
      detector: 'trend_forecast',
      severity: 'medium',
      explanation: 'DFT is forecast to fall below 200 um in about 20 days.',
      evidence: { from: T0 - 30 * DAY, to: T0, series: 'bucket_means', points: [{ ts: T0, value: 221 }] },
      eventTime: T0,
      prediction: {
        limit: 200,
        crossingTime: T0 + 20.3 * DAY,
        earliest: T0 + 14 * DAY,
        latest: T0 + 29 * DAY,
        confidence: 0.91,
        horizonMs: 30 * DAY,
        slopePerDay: -1.04,
        level: 221,
      },
    });
    const request = workOrderRequestOf(alert);
    expect(request.plannedBy).toBe(T0 + 14 * DAY);
    expect(request.title).toBe(
      'Planned coating repair: coating predicted to wear down to its breakdown thickness (gauge-7)',
    );
    expect(request.description).toContain('plan the visit before 2025-05-15');
    expect(request.evidence.forecast).toEqual({
      summary: expect.stringContaining('around 2025-05-21'),
      thresholdCrossingAt: Math.round(T0 + 20.3 * DAY),
      confidence: 0.91,
    });
    expect(AlertWorkOrderRequestSchema.safeParse(request).success).toBe(true);
  });

  it('never plans before the reading that raised the alert', () => {
    const prediction = {
      limit: 200,
      crossingTime: T0 + DAY,
      earliest: T0 - 3 * DAY,
      latest: null,
      confidence: 0.85,
      horizonMs: 30 * DAY,
      slopePerDay: -3,
      level: 203,
    };
    expect(plannedByOf({ eventTime: T0, prediction })).toBe(T0);
    expect(plannedByOf({ eventTime: T0, prediction: null })).toBeNull();
    expect(titleOf(alertFixture({ kind: 'sensor_offline', fault: 'sensor' }))).toBe(
      'Sensor check: logger not reporting (gauge-7)',
    );
  });
});
