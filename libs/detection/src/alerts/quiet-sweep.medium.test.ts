import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import type { Finding } from '../core/index.js';
import { createFleet, type DetectionTestApp, startDetectionApp } from '../testing/detection-test-app.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

function levelShift(deviceId: string, detectedAt: number): Finding {
  return {
    deviceId,
    metric: 'coating_thickness_um',
    kind: 'level_shift',
    fault: 'coating_degradation',
    detector: 'statistical',
    phase: 'raised',
    lifecycle: 'event',
    score: 0.7,
    severity: 'medium',
    explanation: 'level shift',
    eventTime: detectedAt - HOUR,
    detectedAt,
    evidence: { from: detectedAt - HOUR, to: detectedAt, points: [], series: 'readings' },
  };
}

// The pipeline asks `quietDue` before each batch's quiet sweep and skips the sweep (a promise and, the first
// time, a query) when it answers false: it must never say false while an event alert's quiet period is over.
describe('alert service: quiet periods of event alerts', () => {
  let db: TestDatabase;
  let t: DetectionTestApp;
  afterEach(async () => {
    await t.close();
    await db.dispose();
  });

  it('quietDue is true until the deadlines are loaded, then exactly when one is due; the sweep clears it', async () => {
    db = await createTestDatabase();
    t = await startDetectionApp({ connection: db.connection, options: { enabled: false } });
    const { asset, customerId } = await createFleet(t, 'Quiet', { id: 'gauge-q' });
    const owner = { assetId: asset.id, customerId };
    // Not loaded: the sweep has to look.
    expect(t.alerts.quietDue('gauge-q', T0)).toBe(true);
    expect(await t.alerts.sweepQuiet('gauge-q', T0)).toEqual([]);
    expect(t.alerts.quietDue('gauge-q', T0 + 100 * DAY)).toBe(false);

    const { change } = await t.alerts.applyFinding(levelShift('gauge-q', T0 + DAY), owner, []);
    expect(change?.type).toBe('raised');
    // Level shifts go quiet after 3 days of event time.
    expect(t.alerts.quietDue('gauge-q', T0 + 2 * DAY)).toBe(false);
    expect(t.alerts.quietDue('gauge-q', T0 + 5 * DAY)).toBe(true);
    const cleared = await t.alerts.sweepQuiet('gauge-q', T0 + 5 * DAY);
    expect(cleared.map((c) => c.type)).toEqual(['cleared']);
    expect(t.alerts.quietDue('gauge-q', T0 + 100 * DAY)).toBe(false);
  });
});
