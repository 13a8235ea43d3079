import { describe, expect, it } from 'vitest';
import type { Finding } from '../core/index.js';
import type { Alert } from './alert.js';
import {
  DriftAttribution,
  attributable,
  attributionNote,
  holdOf,
  recordAttributed,
  resolveAttributed,
} from './drift-attribution.js';
import { InMemoryAlertBook } from './in-memory-alert-book.js';
import { dftFinding } from '../testing/findings.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
const WALL = Date.UTC(2026, 5, 1);
const DFT = 'coating_thickness_um';

const finding = (over: Partial<Finding> & Pick<Finding, 'kind' | 'detectedAt'>): Finding => dftFinding('gauge-c', over);

function drift(
  blame: 'largest' | 'alone' | 'one_of_two',
  phase: 'raised' | 'cleared',
  detectedAt: number,
  onset: 'gradual' | 'sudden' = 'gradual',
): Finding {
  return finding({
    kind: 'sensor_drift',
    fault: 'sensor',
    detector: 'sensor_health',
    lifecycle: 'condition',
    severity: 'low',
    phase,
    detectedAt,
    details: { blame, deviation: -20, limit: 15, members: 3, ...(phase === 'raised' ? { onset } : {}) },
  });
}

function book() {
  let n = 0;
  return new InMemoryAlertBook({ newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
}

/** A book whose alerts go through the attribution, as AlertService's committed changes do. */
function setup() {
  const b = book();
  const attribution = new DriftAttribution();
  const apply = (f: Finding): Alert | undefined => {
    const change = b.apply(f);
    if (change) attribution.observe(change.alert);
    return change?.alert;
  };
  return { b, attribution, apply };
}

const coating = (detectedAt: number, over: Partial<Finding> = {}) =>
  finding({ kind: 'coating_damage', detectedAt, ...over });

describe('drift attribution', () => {
  it('holds back an asset-fault finding of the drifting sensor once its drift is raised (largest, alone)', () => {
    for (const blame of ['largest', 'alone'] as const) {
      const { attribution, apply } = setup();
      expect(attribution.holdFor(coating(T0))).toBeUndefined();
      const alert = apply(drift(blame, 'raised', T0 + DAY))!;
      expect(attribution.holdFor(coating(T0 + 2 * DAY))).toEqual({
        deviceId: 'gauge-c',
        metric: DFT,
        alertId: alert.id,
        blame,
      });
      // Every asset fault class of that metric, predictions and conditions alike.
      const predicted = coating(T0 + 2 * DAY, {
        kind: 'predicted_coating_breakdown',
        fault: 'coating_degradation',
        lifecycle: 'condition',
      });
      expect(attribution.holdFor(predicted)?.alertId).toBe(alert.id);
      expect(attribution.holdFor(coating(T0 + 2 * DAY, { kind: 'spike', fault: 'anomaly' }))?.alertId).toBe(alert.id);
    }
  });

  it('holds nothing when either of two sensors may drift (one_of_two)', () => {
    const { attribution, apply } = setup();
    apply(drift('one_of_two', 'raised', T0 + DAY));
    expect(attribution.holdFor(coating(T0 + 2 * DAY))).toBeUndefined();
  });

  it('holds nothing when the deviation came within hours (sudden: local damage under the gauge reads so)', () => {
    const { attribution, apply } = setup();
    const alert = apply(drift('largest', 'raised', T0 + DAY, 'sudden'))!;
    expect(holdOf(alert)).toBeNull();
    expect(attribution.holdFor(coating(T0 + 2 * DAY))).toBeUndefined();
    // The same alert with a gradual onset holds.
    expect(holdOf({ ...alert, details: { ...alert.details, onset: 'gradual' } })).not.toBeNull();
  });

  it("lets the device's findings through again once the drift clears", () => {
    const { attribution, apply } = setup();
    const alert = apply(drift('largest', 'raised', T0 + DAY))!;
    expect(attribution.holdFor(coating(T0 + 2 * DAY))).toBeDefined();
    const cleared = apply(drift('largest', 'cleared', T0 + 5 * DAY))!;
    expect(cleared).toMatchObject({ id: alert.id, status: 'cleared' });
    expect(attribution.holdFor(coating(T0 + 6 * DAY))).toBeUndefined();
  });

  it('lets through a finding of another metric of the same device, or of another device', () => {
    const { attribution, apply } = setup();
    apply(drift('largest', 'raised', T0 + DAY));
    const rate = coating(T0 + 2 * DAY, { kind: 'corrosion_onset', fault: 'corrosion', metric: 'corrosion_rate_mm_y' });
    expect(attribution.holdFor(rate)).toBeUndefined();
    expect(attribution.holdFor(coating(T0 + 2 * DAY, { deviceId: 'gauge-a' }))).toBeUndefined();
  });

  it("lets through the sensor's own health findings and cleared findings (they open nothing)", () => {
    const { attribution, apply } = setup();
    apply(drift('alone', 'raised', T0 + DAY));
    const stuck = coating(T0 + 2 * DAY, { kind: 'sensor_stuck', fault: 'sensor', lifecycle: 'condition' });
    expect(attribution.holdFor(stuck)).toBeUndefined();
    const clears = coating(T0 + 2 * DAY, { kind: 'dft_below_breakdown', phase: 'cleared', lifecycle: 'condition' });
    expect(attribution.holdFor(clears)).toBeUndefined();
  });

  it('ends the hold when a planner dismisses the drift alert or marks it false positive', () => {
    for (const action of ['dismiss', 'false_positive'] as const) {
      const { b, attribution, apply } = setup();
      const alert = apply(drift('largest', 'raised', T0 + DAY))!;
      const acknowledged = b.act(alert.id, 'acknowledge', 'planner', WALL);
      expect(attribution.observe(acknowledged.alert)).toBeNull();
      expect(attribution.holdFor(coating(T0 + 2 * DAY))).toBeDefined();
      const closed = b.act(alert.id, action, 'planner', WALL + 1, 'gauge checked, it reads right');
      expect(attribution.observe(closed.alert)).toMatchObject({ type: 'ended', hold: { alertId: alert.id } });
      expect(attribution.holdFor(coating(T0 + 2 * DAY))).toBeUndefined();
    }
  });

  it('ignores an older version of the drift alert read after a newer one (a load racing a change)', () => {
    const { attribution, apply } = setup();
    const open = apply(drift('largest', 'raised', T0 + DAY))!;
    apply(drift('largest', 'cleared', T0 + 5 * DAY));
    // The open version read back from the database before the clear committed.
    expect(attribution.observe(open)).toBeNull();
    expect(attribution.holdFor(coating(T0 + 6 * DAY))).toBeUndefined();
  });

  it('derives the hold from an open drift alert read back after a restart', () => {
    const { b } = setup();
    b.apply(drift('alone', 'raised', T0 + DAY));
    const restarted = new DriftAttribution();
    for (const a of b.openAlerts()) restarted.observe(a);
    expect(restarted.holdFor(coating(T0 + 2 * DAY))?.blame).toBe('alone');
  });

  it('resolves an open asset-fault alert of the drifting metric with the reason, and counts it on the drift', () => {
    const { b, apply } = setup();
    const damage = apply(coating(T0))!;
    const predicted = apply(
      coating(T0, { kind: 'predicted_coating_breakdown', fault: 'coating_degradation', metric: 'other_um' }),
    )!;
    const driftAlert = apply(drift('largest', 'raised', T0 + DAY))!;
    const hold = holdOf(driftAlert)!;
    expect(attributable(damage, hold)).toBe(true);
    expect(attributable(predicted, hold)).toBe(false);
    expect(attributable(driftAlert, hold)).toBe(false);
    expect(b.openAlerts()).toHaveLength(3);

    const resolved = resolveAttributed(damage, hold, T0 + DAY, WALL);
    expect(resolved).toMatchObject({
      status: 'cleared',
      clearReason: 'sensor_drift',
      clearedEventTime: T0 + DAY,
      clearedAt: WALL,
      version: damage.version + 1,
      note: `attributed to sensor drift of ${DFT} on this device, see alert ${driftAlert.id}`,
    });
    expect(attributionNote(hold)).toBe(resolved.note);
    expect(attributable(resolved, hold)).toBe(false);

    const once = recordAttributed(driftAlert, { type: 'alert', alert: resolved }, WALL);
    const twice = recordAttributed(once, { type: 'finding', finding: coating(T0 + 2 * DAY) }, WALL);
    const thrice = recordAttributed(
      twice,
      { type: 'finding', finding: coating(T0 + 3 * DAY, { kind: 'slope_change', fault: 'coating_degradation' }) },
      WALL,
    );
    expect(thrice.details).toMatchObject({
      blame: 'largest',
      heldFindings: 2,
      resolvedAlerts: 1,
      attributedKinds: 'coating_damage,slope_change',
    });
    expect(thrice.version).toBe(driftAlert.version + 3);
    expect(holdOf(thrice)).toEqual(hold);
  });
});
