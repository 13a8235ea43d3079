/**
 * Test fixtures for assets with several gauges (drift against paired sensors, drift attribution): one asset
 * per call through the fleet API, and the backlog delivery those medium tests judge.
 */
import type { Reading } from '#contracts';
import { type DetectionTestApp, createFleet } from './detection-test-app.js';

/** One asset holding these devices (hourly, kind `multi`), created through the fleet API. */
export async function assetWithDevices(t: DetectionTestApp, name: string, deviceIds: readonly string[]): Promise<void> {
  const { asset } = await createFleet(t, name, { id: deviceIds[0]! });
  for (const id of deviceIds.slice(1)) {
    const res = await t.request('POST', '/api/devices', {
      body: { id, assetId: asset.id, kind: 'multi', samplingIntervalS: 3600 },
    });
    if (res.status !== 201) throw new Error(`device ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/**
 * Ingests the first day on its own (the devices are loaded once detection has judged it), then the rest in
 * deliveries of 48 readings: each lane then judges a long backlog in one batch, one device after the other,
 * while the pairs are judged at arrival, in event-time order across the devices.
 */
export async function ingestBacklog(t: DetectionTestApp, all: readonly Reading[]): Promise<void> {
  const firstDay = all.findIndex((r) => r.ts >= all[0]!.ts + 86_400_000);
  await t.ingest(all.slice(0, firstDay));
  await t.ingest(all.slice(firstDay), 48);
}
