import { afterEach, describe, expect, it } from 'vitest';
import type { AlertView } from '#contracts';
import { MetricsRegistry } from '#platform';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { HOUR, T0, makeSeries } from '../core/test-support/series.js';
import type { DeviceProfile, DeviceProfileSource } from '../profiles/device-profile.js';
import { createFleet, type DetectionTestApp, startDetectionApp } from '../testing/detection-test-app.js';

const dft = (deviceId: string, count: number, stepAt = Number.POSITIVE_INFINITY) =>
  makeSeries({
    deviceId,
    metric: 'coating_thickness_um',
    count,
    value: (i) => (i < stepAt ? 305 : 120),
    noise: 2,
    seed: 3,
  });

describe('detection pipeline: floods and failures', () => {
  let db: TestDatabase;
  let t: DetectionTestApp;
  afterEach(async () => {
    await t.close();
    await db.dispose();
  });

  it('a device flooding past its lane is judged in full from the store, in order', async () => {
    db = await createTestDatabase();
    t = await startDetectionApp({ connection: db.connection, options: { laneCapacity: 50, historyPageSize: 200 } });
    await createFleet(t, 'Flood', { id: 'gauge-f' });
    const readings = dft('gauge-f', 3000, 2500);
    // One delivery of 3000 readings into a lane of 50.
    await t.ingest(readings, 3000);
    const stream = t.pipeline.registry.stream('gauge-f', 'coating_thickness_um');
    expect(stream.readingCounts).toEqual([3000, 0, 0, 0]);
    expect(stream.lastEventTime).toBe(T0 + 2999 * HOUR);
    const metrics = await t.app.get(MetricsRegistry).registry.getSingleMetricAsString('detection_lane_overflow_total');
    expect(metrics).toMatch(/detection_lane_overflow_total \d{3,}/);
    const alerts = (await t.request<AlertView[]>('GET', '/api/alerts?deviceId=gauge-f&kind=dft_below_breakdown')).body;
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.eventTime).toBe(new Date(T0 + 2502 * HOUR).toISOString());
  });

  it('a failing device is logged and counted; the others and its own next batches carry on', async () => {
    db = await createTestDatabase();
    let failures = 1;
    const fleet: Record<string, DeviceProfile> = {};
    const profiles: DeviceProfileSource = {
      async profileOf(deviceId) {
        if (deviceId === 'gauge-x' && failures-- > 0) throw new Error('fleet lookup failed');
        return fleet[deviceId] ?? { deviceId, known: false, assetId: null, customerId: null, profile: {} };
      },
    };
    t = await startDetectionApp({ connection: db.connection, profiles });
    for (const id of ['gauge-x', 'gauge-y']) {
      const f = await createFleet(t, id, { id });
      fleet[id] = {
        deviceId: id,
        known: true,
        assetId: f.asset.id,
        customerId: f.customerId,
        profile: { nominalDftUm: 300, samplingIntervalS: 3600 },
      };
    }
    const x = dft('gauge-x', 200, 150);
    const y = dft('gauge-y', 200, 150);
    // The first batch of gauge-x fails (its profile lookup); gauge-y's batch goes through.
    await t.ingest([...x.slice(0, 20), ...y], 1000);
    await t.ingest(x.slice(20), 1000);
    const errors = await t.app.get(MetricsRegistry).registry.getSingleMetricAsString('detection_errors_total');
    expect(errors).toMatch(/detection_errors_total\{stage="batch"\} 1/);
    // The hot path's own time is counted (the ingest bench reads it against the gateway's CPU time).
    const judging = await t.app
      .get(MetricsRegistry)
      .registry.getSingleMetricAsString('detection_judging_seconds_total');
    expect(Number(/^detection_judging_seconds_total (\S+)$/m.exec(judging)?.[1])).toBeGreaterThan(0);
    const kinds = async (id: string) =>
      (await t.request<AlertView[]>('GET', `/api/alerts?deviceId=${id}&kind=dft_below_breakdown`)).body.length;
    expect(await kinds('gauge-y')).toBe(1);
    // gauge-x's next batch went through: its stream warmed up from the store (the 20 readings of the failed
    // batch included) and found the drop.
    expect(await kinds('gauge-x')).toBe(1);
    expect(t.pipeline.registry.stream('gauge-x', 'coating_thickness_um').readingCounts[0]).toBe(200);
  });
});
