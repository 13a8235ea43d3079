import { describe, expect, it } from 'vitest';
import type { AlertView, Reading } from '#contracts';
import { FrozenClock, MetricsRegistry } from '#platform';
import { DAY, HOUR, T0, coatingStepWithBattery, makeSeries } from './core/test-support/series.js';
import type { Finding } from './core/index.js';
import { restartableApps } from './testing/restartable-apps.js';
import { createFleet, WALL } from './testing/detection-test-app.js';

/** Hourly DFT (300 um nominal) and battery of one device; the coating loses a step on day 40. */
function history(deviceId: string, days: number, stepDay = 40): Reading[] {
  return coatingStepWithBattery({ deviceId, days, stepDay, seeds: [11, 12] });
}

const label = (f: Finding) => `${f.metric}:${f.kind}:${f.phase}@${new Date(f.detectedAt).toISOString()}`;

describe('detector state across restarts (same database, new app)', () => {
  const { app, close, database } = restartableApps();

  it('a restored pipeline finds exactly what one that never stopped finds', async () => {
    const readings = history('gauge-r', 60);
    const cut = readings.findIndex((r) => r.ts >= T0 + 33 * DAY + 5 * HOUR);

    const steadyDb = await database();
    const steady = await app(steadyDb);
    await createFleet(steady, 'Steady', { id: 'gauge-r' });
    await steady.ingest(readings, 500);
    const expected = steady.findings.map(label);
    const expectedAlerts = (await steady.request<AlertView[]>('GET', '/api/alerts?limit=1000')).body;

    const restartedDb = await database();
    const first = await app(restartedDb);
    await createFleet(first, 'Restarted', { id: 'gauge-r' });
    await first.ingest(readings.slice(0, cut), 500);
    const before = first.findings.map(label);
    await close(first);
    const second = await app(restartedDb);
    await second.ingest(readings.slice(cut), 500);
    const after = second.findings.map(label);

    expect(expected.length).toBeGreaterThan(0);
    expect(expected.some((l) => l.includes('dft_below_breakdown:raised'))).toBe(true);
    expect([...before, ...after]).toEqual(expected);
    const alerts = (await second.request<AlertView[]>('GET', '/api/alerts?limit=1000')).body;
    const summary = (list: AlertView[]) =>
      list.map((a) => `${a.metric}:${a.kind}:${a.status}:${a.eventTime}:${a.occurrences}`).sort();
    expect(summary(alerts)).toEqual(summary(expectedAlerts));
  });

  it('no alert storm after a restart and a 30-day backlog upload', async () => {
    const db = await database();
    const first = await app(db);
    await createFleet(first, 'Backlog', { id: 'gauge-b' });
    // 42 days: healthy, then the coating loses a step on day 40 and stays below the breakdown DFT.
    const all = history('gauge-b', 72);
    const split = T0 + 42 * DAY;
    await first.ingest(
      all.filter((r) => r.ts < split),
      1000,
    );
    const alertsBefore = (await first.request<AlertView[]>('GET', '/api/alerts?limit=1000')).body;
    const dft = alertsBefore.filter((a) => a.kind === 'dft_below_breakdown');
    expect(dft).toHaveLength(1);
    expect(dft[0]!.status).toBe('active');
    await close(first);

    // After the restart the device uploads its 30-day backlog in 1000-reading messages.
    const second = await app(db);
    await second.ingest(
      all.filter((r) => r.ts >= split),
      1000,
    );
    const alertsAfter = (await second.request<AlertView[]>('GET', '/api/alerts?limit=1000')).body;
    const opened = second.changes.filter((c) => c.type === 'raised' || c.type === 'reopened');
    expect(opened.map((c) => `${c.alert.metric}:${c.alert.kind}`)).toEqual([]);
    expect(alertsAfter.map((a) => a.id).sort()).toEqual(alertsBefore.map((a) => a.id).sort());
    const still = alertsAfter.find((a) => a.id === dft[0]!.id)!;
    expect(still).toMatchObject({ status: 'active', occurrences: 1, eventTime: dft[0]!.eventTime });
    // The condition is not repeated by the restart: at most one raise per alert key over both runs.
    expect(second.findings.filter((f) => f.kind === 'dft_below_breakdown' && f.phase === 'raised')).toEqual([]);
    expect(second.publisher.events.filter((e) => e.type === 'alert.raised')).toEqual([]);
  });

  it('warms a stream without a snapshot up from stored history, suppressing what the warm-up finds', async () => {
    const db = await database();
    const t = await app(db);
    await createFleet(t, 'Warm-up', { id: 'gauge-w' });
    // 20 days stored (say, before detection was deployed): a step on day 18, below the breakdown DFT since.
    const stored = history('gauge-w', 20, 18).filter((r) => r.metric === 'coating_thickness_um');
    await t.store.insert(stored);
    await t.ingest([{ deviceId: 'gauge-w', metric: 'coating_thickness_um', ts: T0 + 20 * DAY, value: 127 }]);
    const alerts = (await t.request<AlertView[]>('GET', '/api/alerts?deviceId=gauge-w')).body;
    // The standing condition is reported once; the step of day 18 (a past event) is not.
    expect(alerts.map((a) => a.kind).sort()).toContain('dft_below_breakdown');
    expect(alerts.map((a) => a.kind)).not.toContain('coating_damage');
    expect(alerts.filter((a) => a.kind === 'dft_below_breakdown')).toHaveLength(1);
    expect(t.pipeline.registry.stream('gauge-w', 'coating_thickness_um').readingCounts[0]).toBe(stored.length + 1);
    await t.pipeline.flush();
    await close(t);
    // The next start restores the snapshot instead of warming up again: nothing new.
    const again = await app(db);
    await again.ingest([{ deviceId: 'gauge-w', metric: 'coating_thickness_um', ts: T0 + 20 * DAY + HOUR, value: 128 }]);
    expect(again.changes.filter((c) => c.type === 'raised')).toEqual([]);
    expect(again.pipeline.registry.stream('gauge-w', 'coating_thickness_um').readingCounts[0]).toBe(stored.length + 2);
  });

  it('writes the snapshots in statements of flushBatchSize, each timed, and every one comes back', async () => {
    const db = await database();
    const t = await app(db, { options: { flushBatchSize: 2 } });
    const ids = ['gauge-1', 'gauge-2', 'gauge-3'];
    for (const id of ids) await createFleet(t, `Batch ${id}`, { id });
    // 3 devices x 2 metrics (DFT and battery): 6 snapshots, 3 statements.
    for (const id of ids) await t.ingest(history(id, 3));
    await t.pipeline.flush();
    const timed = await t.app.get(MetricsRegistry).registry.getSingleMetricAsString('detection_state_write_seconds');
    expect(Number(/^detection_state_write_seconds_count (\S+)$/m.exec(timed)?.[1])).toBe(3);
    const written = await t.app
      .get(MetricsRegistry)
      .registry.getSingleMetricAsString('detection_state_rows_written_total');
    expect(Number(/^detection_state_rows_written_total (\S+)$/m.exec(written)?.[1])).toBe(6);
    const counts = ids.map((id) => t.pipeline.registry.stream(id, 'coating_thickness_um').readingCounts[0]);
    await close(t);

    const again = await app(db);
    for (const id of ids) {
      await again.ingest([{ deviceId: id, metric: 'coating_thickness_um', ts: T0 + 3 * DAY, value: 300 }]);
    }
    // Restored, not warmed up: each stream goes on counting from its snapshot.
    expect(ids.map((id) => again.pipeline.registry.stream(id, 'coating_thickness_um').readingCounts[0])).toEqual(
      counts.map((n) => n + 1),
    );
  });

  it('checks live devices for offline on the wall-clock, also devices not heard from since a restart', async () => {
    const db = await database();
    const clock = new FrozenClock(WALL);
    const t = await app(db, { clock });
    await createFleet(t, 'Live', { id: 'gauge-l' });
    const live = makeSeries({
      deviceId: 'gauge-l',
      metric: 'coating_thickness_um',
      start: WALL - 30 * HOUR,
      count: 31,
      value: () => 305,
      noise: 1,
    });
    await t.ingest(live);
    clock.advance(4 * HOUR);
    await t.pipeline.offlineTick();
    await t.pipeline.idle();
    const [offline] = (await t.request<AlertView[]>('GET', '/api/alerts?kind=sensor_offline')).body;
    expect(offline).toMatchObject({ status: 'active', severity: 'low', deviceId: 'gauge-l' });
    await close(t);

    // A day later, after a restart, the device still has not sent: the offline alert escalates.
    const later = new FrozenClock(WALL + 25 * HOUR);
    const t2 = await app(db, { clock: later });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await t2.pipeline.offlineTick();
    await t2.pipeline.idle();
    const [escalated] = (await t2.request<AlertView[]>('GET', '/api/alerts?kind=sensor_offline')).body;
    expect(escalated).toMatchObject({ id: offline!.id, status: 'active', severity: 'medium' });
    // Its next reading clears it.
    await t2.ingest([{ deviceId: 'gauge-l', metric: 'coating_thickness_um', ts: WALL + 25 * HOUR, value: 304 }]);
    const [cleared] = (await t2.request<AlertView[]>('GET', '/api/alerts?kind=sensor_offline')).body;
    expect(cleared).toMatchObject({ id: offline!.id, status: 'cleared', clearReason: 'recovered' });
  });
});
