import { ConflictException, BadRequestException } from '@nestjs/common';
import { Subject } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert, AlertChange, AlertService } from '#detection';
import type { AlertWorkOrderRequest, AlertWorkOrderResult, AlertWorkOrders, WorkOrderView } from '#service-desk';
import { MetricsRegistry } from '#platform';
import { AlertWorkOrderAutomation } from './alert-work-order-automation.js';
import { resolveAutomationOptions } from './automation-options.js';
import { AutomationMetrics } from './automation-metrics.js';
import { alertFixture } from './testing/alert-fixture.js';

type Answer = AlertWorkOrderResult['outcome'] | Error;

/** The service desk's AlertWorkOrders, answering from a script and recording every request in order. */
class ScriptedWorkOrders {
  readonly requests: AlertWorkOrderRequest[] = [];
  active = 0;
  maxActive = 0;
  constructor(private readonly script: (request: AlertWorkOrderRequest, call: number) => Answer) {}

  async openWorkOrderFromAlert(request: AlertWorkOrderRequest): Promise<AlertWorkOrderResult> {
    this.requests.push(request);
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    await new Promise((r) => setTimeout(r, 2));
    this.active--;
    const answer = this.script(request, this.requests.length);
    if (answer instanceof Error) throw answer;
    return { outcome: answer, workOrder: {} as WorkOrderView };
  }
}

function setup(script: (request: AlertWorkOrderRequest, call: number) => Answer) {
  const changes = new Subject<AlertChange>();
  const desk = new ScriptedWorkOrders(script);
  const metrics = new AutomationMetrics(new MetricsRegistry());
  const automation = new AlertWorkOrderAutomation(
    { alerts$: changes.asObservable() } as unknown as AlertService,
    desk as unknown as AlertWorkOrders,
    metrics,
    resolveAutomationOptions({ retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 } }),
  );
  automation.onModuleInit();
  const emit = (type: AlertChange['type'], alert: Alert) =>
    changes.next({ type, alert, previous: null, finding: null, actor: 'system', note: null, sensitivity: null });
  return { automation, desk, metrics, emit };
}

const metricValue = async (metrics: AutomationMetrics, name: keyof AutomationMetrics, labels: string) =>
  (await (metrics[name] as { get(): Promise<{ values: Array<{ value: number; labels: object }> }> }).get()).values
    .filter((v) => JSON.stringify(v.labels).includes(labels))
    .reduce((n, v) => n + v.value, 0);

describe('AlertWorkOrderAutomation', () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it('opens a work order for a raised alert worth one, and for nothing else', async () => {
    const { automation, desk, emit } = setup(() => 'opened');
    stop = () => automation.onModuleDestroy();
    emit('raised', alertFixture());
    emit('repeated', alertFixture());
    emit('cleared', alertFixture());
    emit('raised', alertFixture({ id: 'spike-1', fault: 'anomaly', kind: 'spike', severity: 'low' }));
    emit('escalated', alertFixture({ id: 'spike-1', fault: 'anomaly', kind: 'spike', severity: 'medium' }));
    await automation.idle();
    expect(desk.requests.map((r) => [r.evidence.alertId, r.faultCategory])).toEqual([
      [alertFixture().id, 'coating_damage'],
      ['spike-1', 'sensor_fault'],
    ]);
  });

  it('retries a transient failure with backoff until it goes through', async () => {
    const { automation, desk, metrics, emit } = setup((_, call) =>
      call < 3 ? (call === 1 ? new Error('connection reset') : new ConflictException('stale version')) : 'opened',
    );
    stop = () => automation.onModuleDestroy();
    emit('raised', alertFixture());
    await automation.idle();
    expect(desk.requests).toHaveLength(3);
    expect(new Set(desk.requests.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(await metricValue(metrics, 'retries', '')).toBe(2);
    expect(await metricValue(metrics, 'workOrders', 'opened')).toBe(1);
  });

  it('does not retry a refusal, and gives up after the last attempt, leaving the alert to reconciliation', async () => {
    const refused = setup(() => new BadRequestException('evidence.deviceId: device gauge-7 does not exist'));
    expect(await refused.automation.submit(alertFixture())).toBeNull();
    expect(refused.desk.requests).toHaveLength(1);
    expect(await metricValue(refused.metrics, 'failures', 'permanent')).toBe(1);

    const down = setup(() => new Error('database is down'));
    expect(await down.automation.submit(alertFixture())).toBeNull();
    expect(down.desk.requests).toHaveLength(4);
    expect(await metricValue(down.metrics, 'failures', 'gave_up')).toBe(1);
  });

  it('serialises the requests of one asset, in commit order, and runs assets side by side', async () => {
    const { automation, desk, emit } = setup(() => 'linked');
    stop = () => automation.onModuleDestroy();
    const assetA = '0f0e0d0c-0b0a-4909-8807-0605040302aa';
    const assetB = '0f0e0d0c-0b0a-4909-8807-0605040302bb';
    for (let i = 0; i < 4; i++) {
      emit('raised', alertFixture({ id: `a-${i}`, assetId: assetA }));
      emit('raised', alertFixture({ id: `b-${i}`, assetId: assetB }));
    }
    await automation.idle();
    const ids = desk.requests.map((r) => r.evidence.alertId);
    expect(ids.filter((id) => id.startsWith('a-'))).toEqual(['a-0', 'a-1', 'a-2', 'a-3']);
    expect(ids.filter((id) => id.startsWith('b-'))).toEqual(['b-0', 'b-1', 'b-2', 'b-3']);
    expect(desk.maxActive).toBe(2);
  });
});
