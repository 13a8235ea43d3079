import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseConnection } from '#database';
import { type AlertOwner, AlertService, type Finding } from '#detection';
import { testDatabaseUrl } from '../../../test/support/test-database.js';
import {
  provisionDevice,
  removeDataDir,
  startTestGateway,
  type ProvisionedDevice,
  type TestGateway,
} from '../../../test/support/test-gateway.js';
import { AlertWorkOrderAutomation } from './alert-work-order-automation.js';
import { StatementCounter, type StatementTrace } from './testing/statement-counter.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

/**
 * Statements per alert under an alert storm (hundreds of devices raising at once, each a transaction on the
 * ingest's embedded database). Upper bounds, a regression guard: a change that adds a statement to these paths
 * has to say so here. Counted on the embedded PGlite the bench and a single gateway run on.
 */
const MAX_STATEMENTS = {
  /** BEGIN, key's alert, alert, action, event, pg_notify, COMMIT (webhook targets cached). */
  raised: 7,
  /** BEGIN, key's alert, update, action, COMMIT (a repeat publishes no public event). */
  repeated: 5,
  /**
   * BEGIN, alert's link, device, asset, asset lock, open work orders, number, work order, log, event, pg_notify,
   * link, COMMIT.
   */
  opened: 13,
  /** BEGIN, alert's link, device, asset, asset lock, open work orders, link, version, log, event, pg_notify, COMMIT. */
  linked: 12,
};

function finding(deviceId: string, kind: 'dft_below_breakdown' | 'dft_below_minimum', detectedAt: number): Finding {
  return {
    deviceId,
    metric: 'coating_thickness_um',
    kind,
    fault: 'coating_degradation',
    detector: 'domain_rule',
    phase: 'raised',
    lifecycle: 'condition',
    score: 0.9,
    severity: 'high',
    explanation: 'Dry film thickness below the breakdown thickness for 3 readings.',
    standard: 'ISO 19840',
    eventTime: detectedAt - 2 * HOUR,
    detectedAt,
    evidence: {
      from: detectedAt - 2 * HOUR,
      to: detectedAt,
      series: 'readings',
      points: [
        { ts: detectedAt - 2 * HOUR, value: 110 },
        { ts: detectedAt - HOUR, value: 111 },
        { ts: detectedAt, value: 109 },
      ],
    },
  };
}

/** The trace is what a failing bound is read against. */
function expectAtMost(trace: StatementTrace, bound: number, label: string): void {
  expect(trace.count, `${label}:\n  ${trace.statements.join('\n  ')}`).toBeLessThanOrEqual(bound);
}

// The counter wraps PGlite: the services tier (which re-runs the medium suites on PostgreSQL) leaves this file out
// by its `.pglite.` name (vitest.config.ts), so it is never skipped where it is collected.
describe('statements per alert and per work-order link (PGlite)', () => {
  let gw: TestGateway;
  let device: ProvisionedDevice;
  let owner: AlertOwner;
  let counter: StatementCounter;
  let alerts: AlertService;
  let automation: AlertWorkOrderAutomation;

  beforeAll(async () => {
    if (testDatabaseUrl() !== undefined) {
      throw new Error('this suite counts PGlite statements: run it without TEST_DATABASE_URL');
    }
    gw = await startTestGateway();
    device = await provisionDevice(gw, 'gauge-count');
    owner = { assetId: device.assetId, customerId: device.customerId };
    alerts = gw.gateway.app.get(AlertService);
    automation = gw.gateway.app.get(AlertWorkOrderAutomation);
    // Work orders are measured on their own: the automation does not hear the alerts committed here.
    automation.onModuleDestroy();
    // As the pipeline does before a device's first batch: its quiet deadlines are loaded already.
    await alerts.preloadQuiet([device.deviceId]);
    counter = new StatementCounter(gw.gateway.app.get(DatabaseConnection));
  });

  afterAll(async () => {
    counter?.dispose();
    await gw?.stop();
    if (gw) await removeDataDir(gw.dataDir);
  });

  it('raises, repeats, opens a work order and joins it within the bounds', async () => {
    // The first public event of the process may read what it needs once (the webhook targets).
    const first = await counter.measure(() =>
      alerts.applyFinding(finding(device.deviceId, 'dft_below_breakdown', T0), owner, []),
    );
    expect(first.result.change?.type).toBe('raised');

    const raised = await counter.measure(() =>
      alerts.applyFinding(finding(device.deviceId, 'dft_below_minimum', T0), owner, []),
    );
    expect(raised.result.change?.type).toBe('raised');

    const repeated = await counter.measure(() =>
      alerts.applyFinding(finding(device.deviceId, 'dft_below_breakdown', T0 + HOUR), owner, []),
    );
    expect(repeated.result.change?.type).toBe('repeated');

    const opened = await counter.measure(() => automation.submit(first.result.change!.alert));
    expect(opened.result).toBe('opened');

    const linked = await counter.measure(() => automation.submit(raised.result.change!.alert));
    expect(linked.result).toBe('linked');

    expectAtMost(raised.trace, MAX_STATEMENTS.raised, 'raised');
    expectAtMost(repeated.trace, MAX_STATEMENTS.repeated, 'repeated');
    expectAtMost(opened.trace, MAX_STATEMENTS.opened, 'work order opened');
    expectAtMost(linked.trace, MAX_STATEMENTS.linked, 'work order joined');
  });
});
