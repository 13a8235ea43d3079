import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView } from '#contracts';
import { AlertService, type Finding } from '#detection';
import type { WorkOrderDetail, WorkOrderView } from '#service-desk';
import {
  provisionDevice,
  removeDataDir,
  startTestGateway,
  type ProvisionedDevice,
  type TestGateway,
} from '../../../test/support/test-gateway.js';
import { AlertWorkOrderAutomation } from './alert-work-order-automation.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DFT = 'coating_thickness_um';

/**
 * Detection attributes a coating alert to its device's drifting gauge (the alert cleared with reason
 * sensor_drift): the automation records that on the alert's open work order, once, and moves nothing.
 */
describe('automation: an alert attributed to sensor drift is noted on its work order (whole gateway)', () => {
  let gw: TestGateway;
  let device: ProvisionedDevice;
  const t0 = Date.now() - 20 * DAY;

  const finding = (over: Partial<Finding> & Pick<Finding, 'kind' | 'detectedAt'>): Finding => ({
    deviceId: device.deviceId,
    metric: DFT,
    fault: 'coating_damage',
    detector: 'change_point',
    phase: 'raised',
    lifecycle: 'event',
    score: 0.8,
    severity: 'high',
    explanation: `${over.kind} on the film`,
    eventTime: over.detectedAt - HOUR,
    evidence: { from: over.detectedAt - HOUR, to: over.detectedAt, points: [], series: 'readings' },
    ...over,
  });

  beforeAll(async () => {
    gw = await startTestGateway();
    device = await provisionDevice(gw, 'gauge-d');
  });

  afterAll(async () => {
    await gw?.stop();
    if (gw) await removeDataDir(gw.dataDir);
  });

  it('records an alert_attributed entry on the open work order, leaves it open, and only once', async () => {
    const alerts = gw.gateway.app.get(AlertService);
    const automation = gw.gateway.app.get(AlertWorkOrderAutomation);
    const owner = { assetId: device.assetId, customerId: device.customerId };
    /** Applies a finding that opens an alert (no debounce pending) and answers that alert. */
    const raise = async (over: Parameters<typeof finding>[0]) =>
      (await alerts.applyFinding(finding(over), owner, [])).change!.alert;
    const damage = await raise({ kind: 'coating_damage', detectedAt: t0 });
    await automation.idle();
    const [wo] = (await gw.api<WorkOrderView[]>('GET', `/api/work-orders?source=detector&assetId=${device.assetId}`))
      .body;
    expect(wo?.evidence?.alertId).toBe(damage.id);

    // The gauge's drift against its partners, confidently its own: its open coating alert is resolved.
    const drift = await raise({
      kind: 'sensor_drift',
      fault: 'sensor',
      detector: 'sensor_health',
      lifecycle: 'condition',
      severity: 'low',
      detectedAt: t0 + DAY,
      details: { blame: 'largest' },
    });
    await automation.idle();
    const cleared = (await gw.api<AlertView>('GET', `/api/alerts/${damage.id}`)).body;
    expect(cleared).toMatchObject({ status: 'cleared', clearReason: 'sensor_drift' });

    const detail = (await gw.api<WorkOrderDetail>('GET', `/api/work-orders/${wo!.id}`)).body;
    const notes = detail.log.filter((l) => l.kind === 'alert_attributed');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.data).toMatchObject({ alertId: damage.id, reason: 'sensor_drift' });
    expect(notes[0]!.note).toContain(drift.id);
    // Not cancelled: that would feed back a false alarm for what was the sensor; the planner decides.
    expect(detail.status).toBe(wo!.status);

    // A re-delivery records nothing more; an alert without a work order has nothing to note.
    expect(await automation.submitAttribution(damage)).toBe('already_recorded');
    const lone = await raise({
      kind: 'level_shift',
      fault: 'anomaly',
      metric: 'temperature_c',
      severity: 'low',
      detectedAt: t0 + DAY,
    });
    expect(await automation.submitAttribution(lone)).toBe('no_open_work_order');
    const again = (await gw.api<WorkOrderDetail>('GET', `/api/work-orders/${wo!.id}`)).body;
    expect(again.log.filter((l) => l.kind === 'alert_attributed')).toHaveLength(1);
  });
});
