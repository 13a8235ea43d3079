import { afterAll, describe, expect, it } from 'vitest';
import {
  closeClient,
  connectDevice,
  provisionDevice,
  publish,
  removeDataDir,
  startTestGateway,
  type TestGateway,
} from '../support/test-gateway.js';

describe('a restart of the gateway', () => {
  const toRemove: string[] = [];
  afterAll(async () => {
    for (const dir of toRemove) await removeDataDir(dir);
  });

  it('keeps the data and the device credentials', async () => {
    let gw: TestGateway = await startTestGateway();
    toRemove.push(gw.dataDir);
    const dev = await provisionDevice(gw, 'cp-logger-9');
    const c1 = await connectDevice(gw.mqttUrl, dev.deviceId, dev.token);
    await publish(
      c1,
      `devices/${dev.deviceId}/telemetry`,
      JSON.stringify({ ts: '2026-11-10T12:00:00Z', metrics: { cp_potential_mv: -910 } }),
    );
    await closeClient(c1);
    await gw.stop();

    gw = await startTestGateway({ dataDir: gw.dataDir, ...(gw.databaseUrl ? { databaseUrl: gw.databaseUrl } : {}) });
    try {
      const c2 = await connectDevice(gw.mqttUrl, dev.deviceId, dev.token);
      await closeClient(c2);
      const res = await gw.api<{ points: Array<{ ts: string; value: number }> }>(
        'GET',
        `/api/devices/${dev.deviceId}/readings?metric=cp_potential_mv&from=2026-11-10T00:00:00Z&to=2026-11-11T00:00:00Z`,
      );
      expect(res.status).toBe(200);
      expect(res.body.points).toEqual([{ ts: '2026-11-10T12:00:00.000Z', value: -910 }]);
      const device = await gw.api<{ id: string; online: boolean }>('GET', `/api/devices/${dev.deviceId}`);
      expect(device.body).toMatchObject({ id: dev.deviceId });
    } finally {
      await gw.stop();
    }
  });
});
