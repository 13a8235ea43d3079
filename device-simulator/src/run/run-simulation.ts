import { writeFile } from 'node:fs/promises';
import { MAX_FUTURE_SKEW_MS } from '#contracts';
import { SimulationError } from '../errors.js';
import { groundTruth, toJsonLines, type GatewayIds } from '../core/ground-truth.js';
import { Simulation } from '../core/simulation.js';
import { isoTime, YEAR_MS } from '../core/time.js';
import { loadScenario, type ScenarioOverrides, withOverrides } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/scenario-schema.js';
import type { CustomerReportOutcome } from '../core/customer-report.js';
import type { CustomerFaultReport } from '../core/simulation.js';
import { type CustomerReporter, GroundTruthOnlyReporter } from '../transport/customer-reporter.js';
import { HttpCustomerReporter } from '../transport/http-customer-reporter.js';
import { HttpFleetApi, type FleetApi } from '../transport/fleet-api-client.js';
import { DryRunTransport, type FleetTransport } from '../transport/fleet-transport.js';
import { MqttFleetTransport } from '../transport/mqtt-fleet-transport.js';
import { provisionFleet } from '../transport/provision.js';
import { Pacer, type Speed, systemClock, type WallClock } from './pacer.js';
import { type ProgressSink, silentProgress } from './progress.js';

export interface SimulationOptions {
  /** A shipped scenario name, a path to a scenario file, or a parsed scenario. */
  readonly scenario: string | Scenario;
  readonly overrides?: ScenarioOverrides;
  /** Gateway REST base URL, e.g. http://127.0.0.1:3000. */
  readonly apiUrl?: string;
  /** Admin token for provisioning. */
  readonly adminToken?: string;
  /** MQTT URL of the gateway, e.g. mqtt://127.0.0.1:1883. */
  readonly gatewayUrl?: string;
  readonly speed?: Speed;
  /** Ground truth as JSON Lines. */
  readonly truthFile?: string;
  /** Generate and encode everything, send nothing. */
  readonly dryRun?: boolean;
  /** Prefix of the device ids; default `sim-{scenario}-{seed}-`. */
  readonly idPrefix?: string;
  /** Unacked QoS 1 messages per device. */
  readonly maxInFlight?: number;
  readonly progress?: ProgressSink;
  readonly log?: (line: string) => void;
  /**
   * Send the simulated customers' reports to the service desk (`POST /api/reports`): true, false, or unset for
   * "when the gateway has that API". Off in a dry run. Ignored when `customerReporter` is given.
   */
  readonly customerReports?: boolean;
  /** Waited for before each customer report is sent (the eval lets detection catch up with event time). */
  readonly beforeCustomerReport?: (report: CustomerFaultReport) => Promise<void>;
  /** Where the reports go; by default decided by `customerReports`. */
  readonly customerReporter?: CustomerReporter;
  readonly signal?: AbortSignal;
  /** Injectable for tests. */
  readonly clock?: WallClock;
  readonly fleetApi?: FleetApi;
  /** Server time the future-timestamp check is made against (epoch ms); default Date.now(). */
  readonly now?: () => number;
  /** How long to wait for the error replies of bad payloads after the last ack. */
  readonly rejectionGraceMs?: number;
}

/** The end-of-run summary; the CLI prints it as its last line, as one JSON object. */
export interface SimulationSummary {
  readonly scenario: string;
  readonly seed: number;
  readonly dryRun: boolean;
  readonly aborted: boolean;
  readonly start: string;
  readonly end: string;
  /** Event time reached. */
  readonly reached: string;
  readonly customers: number;
  readonly assets: number;
  readonly devices: number;
  /** Injected faults, failures noticeable within the run (injected or natural), customer reports due in it. */
  readonly faults: number;
  readonly failures: number;
  readonly customerReports: number;
  /** Customer reports the service desk took, those it refused (or could not be reached for). */
  readonly customerReportsSent: number;
  readonly customerReportsFailed: number;
  /** Sent reports the service desk answered with a work order the sensors had opened first. */
  readonly platformFirst: number;
  /** Readings generated (timestamped records) and their metric values. */
  readonly readings: number;
  readonly values: number;
  readonly published: number;
  readonly acked: number;
  readonly ackedReadings: number;
  readonly ackedValues: number;
  readonly rejected: number;
  readonly rejectedReadings: number;
  readonly rejectionReasons: Readonly<Record<string, number>>;
  readonly badPayloads: number;
  readonly reconnects: number;
  readonly retransmits: number;
  readonly unacked: number;
  readonly backlogAtEnd: number;
  /** Whole run (provisioning and connecting included). */
  readonly wallSeconds: number;
  /** Playing the events, from the last device connected to the last ack: the rates are over this. */
  readonly playSeconds: number;
  readonly readingsPerSecond: number;
  readonly valuesPerSecond: number;
  readonly messagesPerSecond: number;
  readonly truthFile: string | null;
}

const DEFAULT_API = 'http://127.0.0.1:3000';
/** How far past the end of a run the ground truth projects the failures of faults still developing. */
const PROJECTION_HORIZON_MS = 2 * YEAR_MS;
const DEFAULT_GATEWAY = 'mqtt://127.0.0.1:1883';

/**
 * Runs a scenario: builds the simulation, provisions the fleet through the REST API, connects every
 * device over MQTT, plays the events in event-time order at the requested speed, waits for every ack,
 * writes the ground truth and answers the summary.
 */
export async function runSimulation(options: SimulationOptions): Promise<SimulationSummary> {
  const clock = options.clock ?? systemClock;
  const wallStart = clock.now();
  const log = options.log ?? (() => undefined);
  const progress = options.progress ?? silentProgress;
  const speed = options.speed ?? 'max';
  const dryRun = options.dryRun ?? false;
  const scenario =
    typeof options.scenario === 'string'
      ? await loadScenario(options.scenario, options.overrides)
      : withOverrides(options.scenario, options.overrides ?? {});
  const idPrefix = options.idPrefix ?? `sim-${scenario.name}-${scenario.seed}-`;
  const sim = new Simulation({ scenario, idPrefix });
  const reports = new Map<string, CustomerReportOutcome>();
  let reporter: CustomerReporter = options.customerReporter ?? new GroundTruthOnlyReporter();

  if (!dryRun) checkWindowNotInFuture(sim, speed, (options.now ?? Date.now)());

  let ids: GatewayIds | undefined;
  let transport: FleetTransport;
  if (dryRun) {
    transport = new DryRunTransport();
  } else {
    const api =
      options.fleetApi ??
      new HttpFleetApi(options.apiUrl ?? DEFAULT_API, options.adminToken ?? missing('--token (the admin token)'));
    const provisioned = await provisionFleet(sim.fleet, api, { log });
    ids = provisioned;
    if (options.customerReporter === undefined) {
      const http = await customerReporterFor(options, log);
      if (http !== null) reporter = http;
    }
    await reporter.attach?.({
      assetIds: provisioned.assets,
      customerOfAsset: new Map(
        sim.fleet.assets.map((a) => [a.key, provisioned.customers.get(sim.fleet.customers[a.customerIndex]!.key)!]),
      ),
    });
    transport = new MqttFleetTransport({
      url: options.gatewayUrl ?? DEFAULT_GATEWAY,
      fleet: sim.fleet,
      tokens: provisioned.tokens,
      seed: scenario.seed,
      maxInFlight: options.maxInFlight ?? 16,
      log,
    });
  }

  let aborted = false;
  let playStart: number;
  try {
    await transport.open();
    playStart = clock.now();
    const pacer = new Pacer(speed, sim.startMs, clock);
    progress.start({ startMs: sim.startMs, endMs: sim.endMs, devices: sim.fleet.devices.length });
    let n = 0;
    for (const event of sim.events()) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      const wait = pacer.wait(event.at);
      if (wait) await wait;
      switch (event.type) {
        case 'message': {
          transport.send(event.deviceIndex, {
            payload: event.payload,
            readings: event.readings,
            values: event.values,
            bad: event.bad !== null,
          });
          const full = transport.backpressure();
          if (full) await full;
          break;
        }
        case 'offline':
          transport.offline(event.deviceIndex);
          break;
        case 'online':
          transport.online(event.deviceIndex);
          break;
        case 'customer_report': {
          // In event-time order: after the readings of the asset's devices up to now are stored (--speed max
          // included, where "now" is only as far as the acks have got).
          const asset = sim.fleet.assets.find((a) => a.key === event.report.assetKey);
          await transport.settled(asset?.deviceIndexes ?? []);
          const outcome = await reporter.report(event.report);
          reports.set(event.report.faultId, outcome);
          if (outcome.status === 'failed') log(`customer report of fault ${event.report.faultId}: ${outcome.error}`);
          break;
        }
      }
      if (++n % 2048 === 0) {
        progress.update({
          eventMs: event.at,
          published: transport.stats.published,
          acked: transport.stats.acked,
          rejected: transport.stats.rejected,
          unacked: transport.unacked,
        });
        // Let sockets, timers and signals run in a long dry or paced run.
        if (n % 16384 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    // Stopped early: still collect the acks of what is in flight, for a true summary, but not forever.
    await transport.finish({
      expectedRejections: dryRun ? 0 : sim.counters.badPayloads,
      rejectionGraceMs: aborted ? 1000 : (options.rejectionGraceMs ?? 5000),
      ...(aborted ? { idleTimeoutMs: 10_000 } : {}),
    });
  } finally {
    progress.stop();
    await transport.close();
  }

  const end = clock.now();
  const wallSeconds = Math.max(1e-6, (end - wallStart) / 1000);
  const playSeconds = Math.max(1e-6, (end - playStart) / 1000);
  const s = transport.stats;
  const c = sim.counters;
  const summary: SimulationSummary = {
    scenario: scenario.name,
    seed: scenario.seed,
    dryRun,
    aborted,
    start: isoTime(sim.startMs),
    end: isoTime(sim.endMs),
    reached: isoTime(c.now),
    customers: sim.fleet.customers.length,
    assets: sim.fleet.assets.length,
    devices: sim.fleet.devices.length,
    faults: sim.plan.faults.length,
    failures: sim.outcomes.filter((o) => o.failureAt !== null && o.failureAt <= c.now).length,
    customerReports: c.customerReports,
    customerReportsSent: count(reports, (r) => r.status === 'sent'),
    customerReportsFailed: count(reports, (r) => r.status === 'failed'),
    platformFirst: count(reports, (r) => r.status === 'sent' && r.answer.platformWasFirst),
    readings: c.readings,
    values: c.values,
    published: s.published,
    acked: s.acked,
    ackedReadings: s.ackedReadings,
    ackedValues: s.ackedValues,
    rejected: s.rejected,
    rejectedReadings: s.rejectedReadings,
    rejectionReasons: s.rejectionReasons,
    badPayloads: c.badPayloads,
    reconnects: s.reconnects,
    retransmits: s.retransmits,
    unacked: transport.unacked,
    backlogAtEnd: c.backlogAtEnd,
    wallSeconds: round(wallSeconds, 3),
    playSeconds: round(playSeconds, 3),
    readingsPerSecond: Math.round(s.ackedReadings / playSeconds),
    valuesPerSecond: Math.round(s.ackedValues / playSeconds),
    messagesPerSecond: Math.round(s.acked / playSeconds),
    truthFile: options.truthFile ?? null,
  };
  if (options.truthFile) {
    // Only a run that reached its end can say what would have happened after it.
    if (!summary.aborted) sim.projectFailures(PROJECTION_HORIZON_MS);
    const records = groundTruth(sim, ids, reports);
    await writeFile(options.truthFile, toJsonLines([...records, { type: 'summary', ...summary }]));
  }
  return summary;
}

/**
 * The gateway rejects readings stamped more than MAX_FUTURE_SKEW_MS ahead of its clock. At speed N the
 * last reading goes out (end - start) / N after the start; it must not be in the future by then.
 */
function checkWindowNotInFuture(sim: Simulation, speed: Speed, now: number): void {
  const playMs = speed === 'max' ? 0 : (sim.endMs - sim.startMs) / speed;
  if (sim.endMs > now + playMs + MAX_FUTURE_SKEW_MS) {
    throw new SimulationError(
      `the run ends at ${isoTime(sim.endMs)}, ahead of the gateway's clock when its last reading goes out, ` +
        `and the gateway rejects future timestamps: use an earlier --start or fewer --days` +
        (speed === 'max' ? '' : `, or a lower --speed`),
    );
  }
}

/**
 * The HTTP reporter when reports are to be sent: asked for (`customerReports: true`, an error if the gateway
 * lacks the API), or by default when the gateway has it. Null: reports are recorded in the truth only.
 */
async function customerReporterFor(
  options: SimulationOptions,
  log: (line: string) => void,
): Promise<HttpCustomerReporter | null> {
  if (options.customerReports === false) return null;
  const apiUrl = options.apiUrl ?? DEFAULT_API;
  const adminToken = options.adminToken;
  if (adminToken === undefined) return null;
  const supported = await HttpCustomerReporter.supported(apiUrl, adminToken).catch(() => false);
  if (!supported) {
    if (options.customerReports === true) {
      throw new SimulationError(
        `--customer-reports: the gateway at ${apiUrl} has no customer report API (GET /api/reports failed)`,
      );
    }
    log('the gateway has no customer report API: customer reports are recorded in the ground truth only');
    return null;
  }
  return new HttpCustomerReporter({
    apiUrl,
    adminToken,
    ...(options.beforeCustomerReport ? { beforeReport: options.beforeCustomerReport } : {}),
  });
}

function count<T>(map: ReadonlyMap<string, T>, test: (value: T) => boolean): number {
  let n = 0;
  for (const v of map.values()) if (test(v)) n++;
  return n;
}

function missing(what: string): never {
  throw new SimulationError(`${what} is required unless --dry-run`);
}

function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(x * f) / f;
}
