import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView, DeviceSensitivity } from '#contracts';
import { DetectionPipeline } from '#detection';
import type { WorkOrderDetail, WorkOrderView } from '#service-desk';
import {
  closeClient,
  connectDevice,
  provisionDevice,
  publish,
  removeDataDir,
  startTestGateway,
  type ProvisionedDevice,
  type TestGateway,
} from '../../../test/support/test-gateway.js';
import { AlertWorkOrderAutomation } from './alert-work-order-automation.js';
import { AutomationReconciler } from './automation-reconciler.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** provisionDevice's asset: 250 um nominal DFT, in service for years: the film breaks down below 125 um. */
const NOMINAL = 250;

/** Hourly DFT readings: healthy around 258 um, then about 112 um (below the breakdown DFT) from `dropAt` on. */
function dftSeries(start: number, count: number, dropAt: number, seed: number): Array<{ ts: number; value: number }> {
  let x = seed;
  const noise = () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (x / 2_147_483_648 - 0.5) * 4;
  };
  return Array.from({ length: count }, (_, i) => ({
    ts: start + i * HOUR,
    value: Math.round(((i < dropAt ? NOMINAL * 1.03 : NOMINAL * 0.45) + noise()) * 10) / 10,
  }));
}

/** Publishes a series over MQTT as the device itself, QoS 1, 24 readings a message. */
async function publishSeries(
  gw: TestGateway,
  device: { deviceId: string; token: string },
  points: ReadonlyArray<{ ts: number; value: number }>,
): Promise<void> {
  const client = await connectDevice(gw.mqttUrl, device.deviceId, device.token);
  try {
    for (let i = 0; i < points.length; i += 24) {
      const batch = points.slice(i, i + 24).map((p, k) => ({
        ts: p.ts,
        seq: i + k,
        metrics: { coating_thickness_um: p.value },
      }));
      await publish(client, `devices/${device.deviceId}/telemetry`, JSON.stringify(batch));
    }
  } finally {
    await closeClient(client);
  }
}

/** Waits for the readings to be judged and every alert's work order (or feedback) to be settled. */
async function settle(gw: TestGateway): Promise<void> {
  await gw.gateway.app.get(DetectionPipeline).idle();
  await gw.gateway.app.get(AutomationReconciler).idle();
}

async function detectorWorkOrders(gw: TestGateway, assetId: string): Promise<WorkOrderView[]> {
  const res = await gw.api<WorkOrderView[]>('GET', `/api/work-orders?source=detector&assetId=${assetId}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The automation in the whole gateway (real aedes, real database, real HTTP): a DFT series over MQTT opens one
 * work order with its evidence, a second alert of the same fault on the asset joins it, a restart (with an alert
 * committed while the automation was not listening) duplicates nothing, and a cancellation as false alarm lowers
 * the device's sensitivity.
 */
describe('automation: alerts -> work orders -> false-alarm feedback (whole gateway)', () => {
  let gw: TestGateway;
  let a: ProvisionedDevice;
  let b: { deviceId: string; token: string };
  const start = Date.now() - 40 * DAY;

  beforeAll(async () => {
    gw = await startTestGateway();
    a = await provisionDevice(gw, 'gauge-a');
    const second = await gw.api<{ id: string; token: string }>('POST', '/api/devices', {
      assetId: a.assetId,
      id: 'gauge-b',
      kind: 'dft_gauge',
    });
    expect(second.status).toBe(201);
    b = { deviceId: second.body.id, token: second.body.token };
    await publishSeries(gw, a, dftSeries(start, 130, 100, 11));
    await settle(gw);
  });

  afterAll(async () => {
    await gw?.stop();
    if (gw) await removeDataDir(gw.dataDir);
  });

  it('opens exactly one work order, with the evidence of the alert', async () => {
    const alerts = (await gw.api<AlertView[]>('GET', `/api/alerts?deviceId=${a.deviceId}&kind=dft_below_breakdown`))
      .body;
    expect(alerts).toHaveLength(1);
    const alert = alerts[0]!;
    const orders = await detectorWorkOrders(gw, a.assetId);
    expect(orders).toHaveLength(1);
    const wo = orders[0]!;
    expect(wo).toMatchObject({
      source: 'detector',
      status: 'new',
      faultCategory: 'coating_damage',
      deviceId: a.deviceId,
      customerId: a.customerId,
    });
    expect(wo.title).toMatch(/^Coating repair: /);
    expect(wo.description).toContain(alert.explanation);
    // Whichever coating alert came first opened it; every other coating alert of the asset joined it.
    const detail = (await gw.api<WorkOrderDetail>('GET', `/api/work-orders/${wo.id}`)).body;
    const linked = new Set([
      wo.evidence!.alertId,
      ...detail.log.filter((l) => l.kind === 'alert_linked').map((l) => l.data['alertId']),
    ]);
    expect(linked.has(alert.id)).toBe(true);
    const opener = (await gw.api<AlertView>('GET', `/api/alerts/${wo.evidence!.alertId}`)).body;
    expect(wo.evidence).toMatchObject({
      alertId: opener.id,
      deviceId: a.deviceId,
      metric: 'coating_thickness_um',
      eventTime: opener.eventTime,
      window: { from: opener.evidence.from, to: opener.evidence.to },
      finding: opener.explanation,
    });
    expect(wo.evidence!.readings.length).toBeGreaterThan(0);
    expect(wo.detectedAt).toBe(opener.eventTime);
    // The DFT alert's triggering reading is the third one below 125 um (confirmation over 3 readings).
    expect(Date.parse(alert.eventTime)).toBe(start + 102 * HOUR);
  });

  it('opens a planned work order, to be done before the predicted date, for a predicted crossing', async () => {
    const c = await provisionDevice(gw, 'gauge-c');
    // 225 um thinning 2.5 um a day: the 125 um breakdown DFT is 40 days out; the forecast sees it coming at 30.
    const days = 16;
    const points = Array.from({ length: days * 24 }, (_, i) => ({
      ts: start + i * HOUR,
      value: Math.round((225 - (2.5 * i) / 24 + Math.sin(i) * 1.5) * 10) / 10,
    }));
    await publishSeries(gw, c, points);
    await settle(gw);
    const predicted = (
      await gw.api<AlertView[]>('GET', `/api/alerts?deviceId=${c.deviceId}&kind=predicted_coating_breakdown`)
    ).body;
    expect(predicted).toHaveLength(1);
    const alert = predicted[0]!;
    const orders = await detectorWorkOrders(gw, c.assetId);
    expect(orders).toHaveLength(1);
    const wo = orders[0]!;
    expect(wo.evidence!.alertId).toBe(alert.id);
    expect(wo.title).toMatch(/^Planned coating repair: /);
    expect(wo.evidence!.forecast).toMatchObject({
      thresholdCrossingAt: expect.any(String),
      confidence: alert.prediction!.confidence,
    });
    const detail = (await gw.api<WorkOrderDetail>('GET', `/api/work-orders/${wo.id}`)).body;
    const planned = detail.log.find((l) => l.kind === 'visit_planned');
    expect(planned?.data).toEqual({ plannedBy: alert.prediction!.earliest, alertId: alert.id });
    // Before the predicted crossing, and not before the reading that raised the alert.
    expect(Date.parse(String(planned!.data['plannedBy']))).toBeLessThanOrEqual(
      Date.parse(alert.prediction!.crossingTime),
    );
    expect(Date.parse(String(planned!.data['plannedBy']))).toBeGreaterThanOrEqual(Date.parse(alert.eventTime));
  });

  it('links a second alert of the same fault on the same asset, and a restart in between duplicates nothing', async () => {
    const [wo] = await detectorWorkOrders(gw, a.assetId);
    // The process "stops" between the commit of gauge-b's alert and its work order: nobody is listening.
    gw.gateway.app.get(AlertWorkOrderAutomation).onModuleDestroy();
    await publishSeries(gw, b, dftSeries(start + 5 * DAY, 130, 90, 29));
    await settle(gw);
    const bAlert = (await gw.api<AlertView[]>('GET', `/api/alerts?deviceId=${b.deviceId}&kind=dft_below_breakdown`))
      .body[0]!;
    expect(bAlert.status).toBe('active');
    const before = (await gw.api<WorkOrderDetail>('GET', `/api/work-orders/${wo!.id}`)).body;
    expect(before.log.some((l) => l.data['alertId'] === bAlert.id)).toBe(false);

    const { dataDir, databaseUrl } = gw;
    await gw.stop();
    gw = await startTestGateway({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
    await settle(gw);

    const orders = await detectorWorkOrders(gw, a.assetId);
    expect(orders.map((o) => o.id)).toEqual([wo!.id]);
    const after = (await gw.api<WorkOrderDetail>('GET', `/api/work-orders/${wo!.id}`)).body;
    const links = after.log.filter((l) => l.kind === 'alert_linked').map((l) => l.data['alertId']);
    expect(links.filter((id) => id === bAlert.id)).toHaveLength(1);
    // Every alert before the restart is linked once, not again.
    const beforeLinks = before.log.filter((l) => l.kind === 'alert_linked').map((l) => l.data['alertId']);
    expect(links).toEqual([...beforeLinks, ...links.slice(beforeLinks.length)]);
    expect(new Set(links).size).toBe(links.length);

    // A second start with nothing missing changes nothing.
    const report = await gw.gateway.app.get(AutomationReconciler).reconcile();
    expect(report).toEqual({ workOrders: 0, falseAlarms: 0 });
    expect((await gw.api<WorkOrderDetail>('GET', `/api/work-orders/${wo!.id}`)).body.version).toBe(after.version);
  });

  it('cancelling the work order as false alarm marks its alert false positive and lowers the sensitivity', async () => {
    const [wo] = await detectorWorkOrders(gw, a.assetId);
    const alertId = wo!.evidence!.alertId;
    const device = wo!.evidence!.deviceId;
    const before = (await gw.api<DeviceSensitivity>('GET', `/api/devices/${device}/sensitivity`)).body;
    expect(before.sensitivity).toBe(1);
    const cancelled = await gw.api<WorkOrderView>('POST', `/api/work-orders/${wo!.id}/transitions`, {
      to: 'cancelled',
      reason: 'false_alarm',
      version: wo!.version,
      note: 'gauge lifted off the surface',
    });
    expect(cancelled.status).toBe(200);

    const after = await eventually(
      async () => (await gw.api<DeviceSensitivity>('GET', `/api/devices/${device}/sensitivity`)).body,
      (s) => s.history.length > 0,
    );
    expect(after.sensitivity).toBeCloseTo(0.8);
    expect(after.history).toHaveLength(1);
    await settle(gw);
    const alert = (await gw.api<AlertView>('GET', `/api/alerts/${alertId}`)).body;
    expect(alert).toMatchObject({ status: 'false_positive', closedBy: 'automation' });
    expect(alert.note).toContain(wo!.number);
    expect(alert.note).toContain('gauge lifted off the surface');
    // Fed back once: a reconciliation finds nothing left to do.
    expect(await gw.gateway.app.get(AutomationReconciler).reconcile()).toEqual({ workOrders: 0, falseAlarms: 0 });
    expect((await gw.api<DeviceSensitivity>('GET', `/api/devices/${device}/sensitivity`)).body.history).toHaveLength(1);
  });
});
