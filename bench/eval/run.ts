/**
 * `npm run eval`: the detection and automation of issue 5 measured against the simulator's ground truth.
 * Runs simulator scenarios (fault-zoo, year-of-fleet with several seeds) through the real gateway, in-process
 * (startGateway: MQTT, ingestion, detection, automation, service desk, exactly as main.ts wires them) at
 * --speed max, lets detection and automation settle, then matches the injected faults to the alerts and work
 * orders and prints, per fault kind, recall, lead time before the customer-visible failure (median and 10th
 * percentile) and the proactive rate (work order opened before the simulated customer's report, by event
 * time), then the false alarms per 100 device-months. Last line: one JSON object.
 *
 * At --speed max a day of event time passes in milliseconds, so before each customer report the eval waits for
 * detection and automation to catch up with the readings already acknowledged: the platform gets the time the
 * event-time gap would give it live, no more (it never sees a reading after the report).
 *
 *   npm run eval -- [--scenario fault-zoo|year-of-fleet|all] [--seeds 101,202] [--days N] [--devices N]
 *                   [--database-url URL] [--keep DIR]
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { AutomationReconciler } from '#automation';
import { DetectionPipeline } from '#detection';
import { loadConfig, startGateway, type RunningGateway } from '#gateway';
import { runSimulation, type SimulationSummary } from '#simulator';
import { parseEvalArgs, USAGE, type EvalPlan } from './args.js';
import { collectAlerts, collectWorkOrders, GatewayApi } from './collect.js';
import { evaluateRun, figuresByKind, figuresOf, type RunResult, totals } from './match.js';
import { alarmTable, falseAlarmLines, kindTable } from './report.js';
import { readTruth } from './truth.js';

const ADMIN_TOKEN = 'eval-admin-token-0123456789abcdef';
const log = (line: string) => process.stderr.write(`eval: ${line}\n`);

interface RunRecord {
  readonly scenario: string;
  readonly seed: number;
  readonly devices: number;
  readonly days: number;
  readonly readings: number;
  readonly seconds: number;
  readonly result: RunResult;
  readonly summary: SimulationSummary;
}

async function main(): Promise<void> {
  let plan: EvalPlan | 'help';
  try {
    plan = parseEvalArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`eval: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  if (plan === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const started = Date.now();
  const records: RunRecord[] = [];
  for (const run of plan.runs) records.push(await evaluate(run, plan));

  const results = records.map((r) => r.result);
  const faults = results.flatMap((r) => r.faults);
  const byKind = figuresByKind(faults);
  const t = totals(results);
  const out: string[] = [];
  out.push(
    `runs: ${records
      .map(
        (r) =>
          `${r.scenario} seed ${r.seed} (${r.devices} devices x ${r.days} days, ${r.readings} readings, ${r.seconds.toFixed(0)} s)`,
      )
      .join('; ')}`,
    '',
    kindTable(byKind, figuresOf('all', faults)),
    '',
    alarmTable(t),
    '',
    ...falseAlarmLines(t),
    '',
    `recall: a fault is caught by an alert on one of its devices, from its start, of a matching fault class;`,
    `detector WO: such an alert opened or joined a detector work order; lead = customer-visible failure - event time`,
    `of the first such alert; proactive = that before the customer's report (event time). An alert that came after`,
    `the report joined the customer's work order instead. ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
  const round = (x: number | null, d = 3) => (x === null ? null : Number(x.toFixed(d)));
  process.stdout.write(
    `${JSON.stringify({
      recall: round(t.recall),
      precision: round(t.precision),
      false_alerts_per_100_device_months: round(t.false_alerts_per_100_device_months, 2),
      false_work_orders_per_100_device_months: round(t.false_work_orders_per_100_device_months, 2),
      work_order_precision: round(t.work_order_precision),
      median_lead_days: round(t.median_lead_days, 2),
      p10_lead_days: round(t.p10_lead_days, 2),
      gradual_median_lead_days: round(t.gradual_median_lead_days, 2),
      proactive_rate: round(t.proactive_rate),
      faults: t.faults,
      alerts: t.alerts,
      work_orders: t.work_orders,
      false_alert_kinds: t.false_alert_kinds,
      false_work_order_kinds: t.false_work_order_kinds,
      device_months: round(t.device_months, 1),
      by_kind: Object.fromEntries(
        byKind.map((k) => [
          k.kind,
          {
            faults: k.faults,
            recall: round(k.recall),
            proactive_rate: round(k.proactiveRate),
            median_lead_days: round(k.medianLeadDays, 2),
            p10_lead_days: round(k.p10LeadDays, 2),
          },
        ]),
      ),
      runs: records.map((r) => ({
        scenario: r.scenario,
        seed: r.seed,
        devices: r.devices,
        days: r.days,
        readings: r.readings,
        seconds: Math.round(r.seconds),
        platform_first_reports: r.summary.platformFirst,
        reports_sent: r.summary.customerReportsSent,
      })),
      seconds: Math.round((Date.now() - started) / 1000),
    })}\n`,
  );
}

async function evaluate(run: EvalPlan['runs'][number], plan: EvalPlan): Promise<RunRecord> {
  const label = `${run.scenario} seed ${run.seed}`;
  const dataDir = await mkdtemp(path.join(tmpdir(), 'coatwatch-eval-'));
  const databaseUrl = plan.databaseUrl ? await freshDatabase(plan.databaseUrl) : undefined;
  const gateway = await startGateway(
    loadConfig({
      HOST: '127.0.0.1',
      HTTP_PORT: '0',
      MQTT_PORT: '0',
      MQTT_WS_PORT: '0',
      DATA_DIR: dataDir,
      ADMIN_TOKEN,
      LOG_LEVEL: 'error',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    }),
  );
  const started = Date.now();
  try {
    const settle = settler(gateway);
    const truthFile = path.join(dataDir, 'truth.jsonl');
    const baseUrl = `http://127.0.0.1:${gateway.httpPort}`;
    log(`${label}: playing at --speed max through the gateway`);
    const summary = await runSimulation({
      scenario: run.scenario,
      overrides: {
        seed: run.seed,
        ...(run.days !== undefined ? { days: run.days } : {}),
        ...(run.devices !== undefined ? { devices: run.devices } : {}),
      },
      apiUrl: baseUrl,
      adminToken: ADMIN_TOKEN,
      gatewayUrl: `mqtt://127.0.0.1:${gateway.mqttPort}`,
      speed: 'max',
      truthFile,
      customerReports: true,
      beforeCustomerReport: settle,
      log: (line) => log(`${label}: ${line}`),
    });
    if (summary.unacked > 0 || summary.aborted) throw new Error(`${label}: ${summary.unacked} messages unacknowledged`);
    await settle();
    const api = new GatewayApi(baseUrl, ADMIN_TOKEN);
    const [truth, alerts, workOrders] = await Promise.all([
      readTruth(truthFile),
      collectAlerts(api),
      collectWorkOrders(api),
    ]);
    const result = evaluateRun({
      faults: truth.faults,
      alerts,
      workOrders,
      devices: truth.devices,
      days: (truth.reached - truth.start) / 86_400_000,
      runStart: truth.start,
      runEnd: truth.reached,
    });
    const seconds = (Date.now() - started) / 1000;
    log(
      `${label}: ${summary.devices} devices, ${summary.ackedReadings} readings in ${seconds.toFixed(0)} s; ` +
        `${result.faults.length} faults, ${alerts.length} alerts, ${workOrders.length} detector work orders, ` +
        `${summary.customerReportsSent} customer reports (platform first for ${summary.platformFirst})`,
    );
    if (plan.keep) {
      const dir = path.join(plan.keep, `${run.scenario}-${run.seed}`);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'result.json'), JSON.stringify({ result, alerts, workOrders }, null, 1));
      await copyFile(truthFile, path.join(dir, 'truth.jsonl'));
    }
    return {
      scenario: run.scenario,
      seed: run.seed,
      devices: summary.devices,
      days: Math.round((truth.reached - truth.start) / 86_400_000),
      readings: summary.ackedReadings,
      seconds,
      result,
      summary,
    };
  } finally {
    await gateway.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Waits until every acknowledged reading is judged and every alert's work order is settled. */
function settler(gateway: RunningGateway): () => Promise<void> {
  const pipeline = gateway.app.get(DetectionPipeline);
  const automation = gateway.app.get(AutomationReconciler);
  return async () => {
    await pipeline.idle(30 * 60_000);
    await automation.idle();
  };
}

let databases = 0;
async function freshDatabase(serverUrl: string): Promise<string> {
  const name = `eval_${process.pid}_${Date.now().toString(36)}_${databases++}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`eval: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
