/**
 * `npm run bench:ingest`: the gateway (built, its own process, embedded PGlite unless --database-url)
 * against a bare aedes broker that only counts, driven by the same publisher process. Prints a table
 * and, last, one JSON line: gateway_msgs_per_s, bare_aedes_msgs_per_s, ratio, p50/p99_ack_ms, lost...
 *
 *   npm run bench:ingest -- [--devices 200] [--seconds 15] [--window 8] [--rate 1000] [--database-url URL]
 *                           [--profile DIR] [--detection on|off|both] [--runs N] [--alerting N] [--side-by-side]
 *
 * `--detection both` measures what the detection pipeline costs the ingest: gateway runs alternate with
 * detection on and off (DETECTION_ENABLED), `--runs` of each (default 3; the machine is shared and noisy, so
 * only figures interleaved in one run compare), and the JSON line carries both medians and
 * `detection_cost` = 1 - on / off; also `detection_cost_pairs` (each on run against the off run after it, and
 * their median: slow drift of the machine's speed cancels within a pair) and `detection_cpu_share` (what
 * detection adds to the gateway's CPU time per acknowledged message, from /proc), and `detection_busy_shares`:
 * detection's hot path as timed by the gateway itself (its /metrics) against the same run's CPU time, which
 * does not depend on the machine's speed; also rows per group commit and readings per lane batch.
 *
 * `--side-by-side` (with `--detection both`) runs each pair at the same time instead, a publisher each, so the
 * machine's changes of speed hit both gateways alike (see `runSideBySide`); the rates are then of two gateways
 * sharing the 2 cores, lower than one alone, and only their ratio (`detection_cost_pairs`) means anything.
 *
 * The fleet is healthy by default (a film in service, above its breakdown thickness): nothing raises an alert.
 * `--alerting N` makes the first N devices read a film below breakdown, so N alerts (and their work order)
 * are raised in the first seconds: the cost of an alert storm on the ingest.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const DEVICES = Number(opt('devices', '200'));
const SECONDS = opt('seconds', '15');
const WINDOW = opt('window', '8');
const RATE = opt('rate', '1000');
const DATABASE_URL = opt('database-url', '');
/** Writes a V8 CPU profile of the gateway process into this folder (open it in Chrome DevTools). */
const PROFILE_DIR = opt('profile', '');
const DETECTION = opt('detection', 'on');
if (DETECTION !== 'on' && DETECTION !== 'off' && DETECTION !== 'both') {
  throw new Error(`--detection must be on, off or both (got ${DETECTION})`);
}
const ALERTING = Number(opt('alerting', '0'));
if (!Number.isInteger(ALERTING) || ALERTING < 0) throw new Error(`--alerting must be a whole number (got ${ALERTING})`);
const RUNS = Number(opt('runs', DETECTION === 'both' ? '3' : '1'));
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs must be a positive integer (got ${RUNS})`);
/** `--side-by-side` (with `--detection both`): each on run at the same time as its off run (`runSideBySide`). */
const SIDE_BY_SIDE = argv.includes('--side-by-side');
if (SIDE_BY_SIDE && (DETECTION !== 'both' || DATABASE_URL)) {
  throw new Error('--side-by-side needs --detection both and the embedded database (one schema per gateway)');
}
const ADMIN = 'bench-admin-token-0123456789';

interface PublisherResult {
  devices: number;
  sent: number;
  acked: number;
  failed: number;
  saturate_msgs_per_s: number;
  p50_ack_ms: number;
  p99_ack_ms: number;
  /** Acks per second of the saturation phase. */
  saturate_timeline: number[];
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function firstJsonLine(child: ChildProcess): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      if (line.startsWith('{')) {
        rl.close();
        resolve(JSON.parse(line) as Record<string, unknown>);
      }
    });
    child.once('exit', (code) => reject(new Error(`process exited (${code}) before printing a result`)));
  });
}

async function runPublisher(url: string, credentials: string): Promise<PublisherResult> {
  const child = spawn(
    process.execPath,
    [
      path.join(here, 'publisher.js'),
      '--url',
      url,
      '--credentials',
      credentials,
      '--saturate-seconds',
      SECONDS,
      '--window',
      WINDOW,
      '--latency-rate',
      RATE,
      '--latency-seconds',
      '10',
      '--alerting',
      String(ALERTING),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return (await firstJsonLine(child)) as unknown as PublisherResult;
}

interface GatewayRun {
  readonly detection: boolean;
  readonly publisher: PublisherResult;
  /** Gateway CPU time (user + system) per acknowledged message while the publisher ran, microseconds. */
  readonly cpuUsPerMsg: number;
  /** Detection's hot path as a share of the gateway's CPU time in the same run (`detectionBusySeconds`). */
  readonly detectionBusyShare: number;
  readonly rssMb: number;
  readonly stored: number;
  /** From the gateway's /metrics at the end of the run (saturation and latency phases together). */
  readonly internals: GatewayInternals;
}

/** What the gateway's own counters say about a run: how its work was batched. */
interface GatewayInternals {
  /** Group commits of readings, and readings per commit. */
  readonly commits: number;
  readonly rowsPerCommit: number;
  /** Readings the reading stream dropped because detection fell too far behind (stored, never judged). */
  readonly streamDropped: number;
  /** Device batches detection judged, and readings per batch (0 when detection is off). */
  readonly laneBatches: number;
  readonly readingsPerLaneBatch: number;
  /**
   * Event-loop seconds of detection's hot path, timed by the gateway itself: readings handed to the lanes
   * (with drift against paired sensors at arrival) and lane batches judged.
   */
  readonly detectionBusySeconds: number;
  /** Statements that wrote detector snapshots (state flushes), and their wall-clock seconds in all. */
  readonly stateWrites: number;
  readonly stateWriteSeconds: number;
}

/** Sums a Prometheus sample over its label sets (text exposition format). */
function promSum(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith(`${name} `) || line.startsWith(`${name}{`))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

async function internalsOf(httpPort: number): Promise<GatewayInternals> {
  const text = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
  const commits = promSum(text, 'telemetry_batch_write_seconds_count');
  const accepted = promSum(text, 'telemetry_readings_accepted_total');
  const laneBatches = promSum(text, 'detection_latency_seconds_count');
  const judged = promSum(text, 'detection_readings_total');
  return {
    commits,
    rowsPerCommit: Number((accepted / Math.max(1, commits)).toFixed(1)),
    streamDropped: promSum(text, 'telemetry_stream_dropped_total'),
    laneBatches,
    readingsPerLaneBatch: Number((judged / Math.max(1, laneBatches)).toFixed(1)),
    detectionBusySeconds:
      promSum(text, 'telemetry_stream_delivery_seconds_total') + promSum(text, 'detection_judging_seconds_total'),
    stateWrites: promSum(text, 'detection_state_write_seconds_count'),
    stateWriteSeconds: promSum(text, 'detection_state_write_seconds_sum'),
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rate of the second half of the saturation phase: every device and stream is known by then. */
function steadyRate(p: PublisherResult): number {
  const tail = p.saturate_timeline.slice(Math.floor(p.saturate_timeline.length / 2));
  return tail.length === 0 ? p.saturate_msgs_per_s : median(tail);
}

/**
 * CPU time of a process so far (user + system), seconds: proc(5) /proc/<pid>/stat fields 14 and 15, in clock
 * ticks (100 per second on Linux): coarse, but a run takes tens of seconds.
 */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count from the closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function peakRssMb(pid: number): Promise<number> {
  return readFile(`/proc/${pid}/status`, 'utf8').then((s) => Number(/VmHWM:\s+(\d+)/.exec(s)?.[1] ?? 0) / 1024);
}

async function countStored(dataDir: string): Promise<number> {
  if (DATABASE_URL) {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    const r = await c.query<{ n: string }>('select count(*) as n from readings');
    await c.end();
    return Number(r.rows[0]!.n);
  }
  const db = await PGlite.create(path.join(dataDir, 'pgdata'));
  const r = await db.query<{ n: number }>('select count(*)::int as n from readings');
  await db.close();
  return r.rows[0]!.n;
}

/** A gateway process started and provisioned, not yet driven. */
interface StartedGateway {
  readonly detection: boolean;
  readonly label: string;
  readonly process: ChildProcess;
  readonly httpPort: number;
  readonly mqttPort: number;
  readonly dataDir: string;
  /** Its devices' tokens (a file per gateway: side by side, each has its own). */
  readonly credentials: string;
}

/** One gateway process on a fresh data directory (or a fresh schema), provisioned with the bench fleet. */
async function startGateway(work: string, detection: boolean, label: string): Promise<StartedGateway> {
  const dataDir = path.join(work, `data-${label}`);
  if (DATABASE_URL) {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query('drop schema if exists public cascade; create schema public');
    await c.query('drop schema if exists drizzle cascade');
    await c.end();
  }
  const httpPort = await freePort();
  const mqttPort = await freePort();
  const profileArgs = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(PROFILE_DIR, label)] : [];
  const gateway = spawn(process.execPath, [...profileArgs, path.join(root, 'dist/apps/gateway/src/main.js')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      HTTP_PORT: String(httpPort),
      MQTT_PORT: String(mqttPort),
      MQTT_WS_PORT: 'off',
      HOST: '127.0.0.1',
      ADMIN_TOKEN: ADMIN,
      LOG_LEVEL: 'warn',
      DATABASE_URL,
      DETECTION_ENABLED: String(detection),
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const api = async (method: string, route: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${httpPort}${route}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as Record<string, string>;
  };
  for (let i = 0; ; i++) {
    if (gateway.exitCode !== null) throw new Error('gateway exited during start');
    const ok = await fetch(`http://127.0.0.1:${httpPort}/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 600) throw new Error('gateway did not become ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  const customer = await api('POST', '/api/customers', { name: 'Bench customer' });
  const asset = await api('POST', '/api/assets', {
    customerId: customer['id'],
    name: 'Bench tank farm',
    kind: 'tank',
    // Installed before the readings start (2020): the film is in service, past its ISO 19840 acceptance.
    coating: { nominalDftUm: 300, corrosivityCategory: 'C5', durability: 'H', installedAt: '2019-01-01' },
  });
  const credentials: Array<{ deviceId: string; token: string }> = [];
  for (let i = 0; i < DEVICES; i++) {
    const d = await api('POST', '/api/devices', { assetId: asset['id'], id: `bench-${i}` });
    credentials.push({ deviceId: d['id']!, token: d['token']! });
  }
  const credentialsFile = path.join(work, `credentials-${label}.json`);
  await writeFile(credentialsFile, JSON.stringify(credentials));
  // The bare broker run at the end takes the devices of the last gateway (it checks no token).
  await writeFile(path.join(work, 'credentials.json'), JSON.stringify(credentials));
  process.stderr.write(
    `gateway ${label} (detection ${detection ? 'on' : 'off'}): ${DEVICES} devices, ${SECONDS}s saturation, ` +
      `window ${WINDOW}, then ${RATE} msg/s for latency\n`,
  );
  return { detection, label, process: gateway, httpPort, mqttPort, dataDir, credentials: credentialsFile };
}

/** Drives a started gateway with the publisher; answers the publisher's result and the gateway's CPU seconds. */
async function drive(g: StartedGateway): Promise<{ publisher: PublisherResult; cpuDuring: number }> {
  const cpuBefore = await cpuSeconds(g.process.pid!);
  const publisher = await runPublisher(`mqtt://127.0.0.1:${g.mqttPort}`, g.credentials);
  return { publisher, cpuDuring: (await cpuSeconds(g.process.pid!)) - cpuBefore };
}

/** Reads a driven gateway's counters, stops it, counts what it stored. */
async function finishGateway(
  g: StartedGateway,
  { publisher, cpuDuring }: { publisher: PublisherResult; cpuDuring: number },
): Promise<GatewayRun> {
  const { detection, dataDir, process: gateway } = g;
  const cpuUsPerMsg = (cpuDuring * 1e6) / Math.max(1, publisher.acked);
  const rssMb = await peakRssMb(gateway.pid!);
  const internals = await internalsOf(g.httpPort);
  const detectionBusyShare = internals.detectionBusySeconds / Math.max(1e-9, cpuDuring);
  gateway.kill('SIGTERM');
  await new Promise((r) => gateway.once('exit', r));
  const stored = await countStored(dataDir);
  await rm(dataDir, { recursive: true, force: true });
  process.stderr.write(
    `  ${g.label}: ${Math.round(publisher.saturate_msgs_per_s)} msg/s (steady ${Math.round(steadyRate(publisher))}); ` +
      `per second: ${publisher.saturate_timeline.join(' ')}; gateway CPU ${cpuUsPerMsg.toFixed(1)} us/msg\n` +
      `  ${internals.commits} commits of ${internals.rowsPerCommit} readings; ` +
      (detection
        ? `${internals.laneBatches} lane batches of ${internals.readingsPerLaneBatch} readings; detection's hot ` +
          `path ${internals.detectionBusySeconds.toFixed(2)} s, ${(100 * detectionBusyShare).toFixed(1)} % of the CPU; ` +
          `${internals.stateWrites} state writes, ${internals.stateWriteSeconds.toFixed(2)} s; `
        : '') +
      `${internals.streamDropped} readings dropped by the reading stream\n`,
  );
  return { detection, publisher, cpuUsPerMsg, detectionBusyShare, rssMb, stored, internals };
}

/** One gateway, driven alone. */
async function runGateway(work: string, detection: boolean, label: string): Promise<GatewayRun> {
  const g = await startGateway(work, detection, label);
  return finishGateway(g, await drive(g));
}

/**
 * A gateway with detection on and one with it off, driven at the same time by a publisher each: whatever
 * the shared machine does during the run hits both alike, and when both are CPU-bound the scheduler gives
 * them the same CPU, so the ratio of their rates is the ratio of their CPU costs per message.
 */
async function runSideBySide(work: string, pair: number): Promise<[GatewayRun, GatewayRun]> {
  const on = await startGateway(work, true, `on-${pair}`);
  const off = await startGateway(work, false, `off-${pair}`);
  const [onDriven, offDriven] = await Promise.all([drive(on), drive(off)]);
  return [await finishGateway(on, onDriven), await finishGateway(off, offDriven)];
}

/** 1 - on / off of each interleaved pair of runs (an on run, then the off run after it), in run order. */
function pairCosts(runs: readonly GatewayRun[]): number[] {
  const costs: number[] = [];
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const [on, off] = [runs[i]!, runs[i + 1]!];
    if (!on.detection || off.detection) continue;
    costs.push(Number((1 - on.publisher.saturate_msgs_per_s / off.publisher.saturate_msgs_per_s).toFixed(3)));
  }
  return costs;
}

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'coatwatch-bench-'));
  // Interleaved (on, off, on, off...): drift of the shared machine's load hits both sides alike.
  const plan: boolean[] = [];
  for (let i = 0; i < RUNS; i++) {
    if (DETECTION !== 'off') plan.push(true);
    if (DETECTION !== 'on') plan.push(false);
  }
  const runs: GatewayRun[] = [];
  if (SIDE_BY_SIDE) {
    for (let pair = 1; pair <= RUNS; pair++) runs.push(...(await runSideBySide(work, pair)));
  }
  for (const [i, detection] of SIDE_BY_SIDE ? [] : plan.entries()) {
    runs.push(
      await runGateway(
        work,
        detection,
        `${detection ? 'on' : 'off'}-${Math.floor(i / (DETECTION === 'both' ? 2 : 1)) + 1}`,
      ),
    );
  }

  process.stderr.write('bare aedes: same publisher\n');
  const bare = spawn(process.execPath, [path.join(here, 'bare-aedes.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { port } = (await firstJsonLine(bare)) as { port: number };
  const bareResult = await runPublisher(`mqtt://127.0.0.1:${port}`, path.join(work, 'credentials.json'));
  const bareRss = await peakRssMb(bare.pid!);
  bare.stdin.end();
  bare.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });

  // The headline figures are those of the configuration the product ships (detection on) when it ran.
  const on = runs.filter((r) => r.detection);
  const off = runs.filter((r) => !r.detection);
  const main = on.length > 0 ? on : off;
  const rate = (rs: readonly GatewayRun[]) => median(rs.map((r) => r.publisher.saturate_msgs_per_s));
  const steady = (rs: readonly GatewayRun[]) => median(rs.map((r) => steadyRate(r.publisher)));
  const gwRate = rate(main);
  const acked = main.reduce((n, r) => n + r.publisher.acked, 0);
  const ackedReadings = acked * 3;
  const stored = main.reduce((n, r) => n + r.stored, 0);
  const lost = runs.reduce((n, r) => n + Math.max(0, r.publisher.acked * 3 - r.stored), 0);
  const result = {
    devices: DEVICES,
    storage: DATABASE_URL ? 'postgres' : 'pglite',
    detection: DETECTION,
    side_by_side: SIDE_BY_SIDE,
    runs: RUNS,
    alerting_devices: ALERTING,
    gateway_msgs_per_s: Math.round(gwRate),
    gateway_runs_msgs_per_s: main.map((r) => Math.round(r.publisher.saturate_msgs_per_s)),
    ...(DETECTION === 'both'
      ? {
          gateway_detection_off_msgs_per_s: Math.round(rate(off)),
          gateway_detection_off_runs_msgs_per_s: off.map((r) => Math.round(r.publisher.saturate_msgs_per_s)),
          detection_cost: Number((1 - rate(on) / rate(off)).toFixed(3)),
          // The same over the second half of the saturation phase only, after the streams' first loads.
          gateway_steady_msgs_per_s: Math.round(steady(on)),
          gateway_detection_off_steady_msgs_per_s: Math.round(steady(off)),
          detection_cost_steady: Number((1 - steady(on) / steady(off)).toFixed(3)),
          // Each on run against the off run right after it: slow drift of the machine's speed, which the
          // medians of the two sides do not cancel, hits both runs of a pair alike.
          detection_cost_pairs: pairCosts(runs),
          detection_cost_pairs_median: Number(median(pairCosts(runs)).toFixed(3)),
          // What detection adds to the gateway's CPU time per message (1 - off / on): does not depend on how
          // much of the 2 cores the publisher and the other runs leave the gateway.
          gateway_cpu_us_per_msg: Number(median(on.map((r) => r.cpuUsPerMsg)).toFixed(1)),
          gateway_detection_off_cpu_us_per_msg: Number(median(off.map((r) => r.cpuUsPerMsg)).toFixed(1)),
          rows_per_commit: median(on.map((r) => r.internals.rowsPerCommit)),
          detection_off_rows_per_commit: median(off.map((r) => r.internals.rowsPerCommit)),
          readings_per_lane_batch: median(on.map((r) => r.internals.readingsPerLaneBatch)),
          stream_dropped: on.reduce((n, r) => n + r.internals.streamDropped, 0),
          // State flushes: statements and their seconds per on run (on PGlite, time the ingest thread is held).
          state_writes: on.map((r) => r.internals.stateWrites),
          state_write_seconds: on.map((r) => Number(r.internals.stateWriteSeconds.toFixed(3))),
          // Detection's hot path timed inside each on run, against that run's CPU: machine drift cancels.
          detection_busy_shares: on.map((r) => Number(r.detectionBusyShare.toFixed(3))),
          detection_busy_share_median: Number(median(on.map((r) => r.detectionBusyShare)).toFixed(3)),
          detection_cpu_share: Number(
            (1 - median(off.map((r) => r.cpuUsPerMsg)) / median(on.map((r) => r.cpuUsPerMsg))).toFixed(3),
          ),
        }
      : {}),
    bare_aedes_msgs_per_s: Math.round(bareResult.saturate_msgs_per_s),
    ratio: Number((gwRate / bareResult.saturate_msgs_per_s).toFixed(3)),
    gateway_readings_per_s: Math.round(gwRate * 3),
    p50_ack_ms: Number(median(main.map((r) => r.publisher.p50_ack_ms)).toFixed(2)),
    p99_ack_ms: Number(median(main.map((r) => r.publisher.p99_ack_ms)).toFixed(2)),
    bare_p50_ack_ms: Number(bareResult.p50_ack_ms.toFixed(2)),
    bare_p99_ack_ms: Number(bareResult.p99_ack_ms.toFixed(2)),
    latency_rate_msgs_per_s: Number(RATE),
    peak_rss_mb: Math.round(Math.max(...main.map((r) => r.rssMb))),
    bare_peak_rss_mb: Math.round(bareRss),
    acked_messages: acked,
    acked_readings: ackedReadings,
    stored_readings: stored,
    failed_publishes: runs.reduce((n, r) => n + r.publisher.failed, 0),
    // Over every gateway run, detection on and off.
    lost,
  };
  const label = main === on ? (DETECTION === 'both' ? 'detection on' : 'gateway') : 'detection off';
  const rows: Array<[string, ...string[]]> = [
    ['sustained msgs/s (QoS1, 3 metrics), median', String(result.gateway_msgs_per_s)],
    [`p50 ack ms @ ${RATE} msg/s`, String(result.p50_ack_ms)],
    [`p99 ack ms @ ${RATE} msg/s`, String(result.p99_ack_ms)],
    ['peak RSS MB', String(result.peak_rss_mb)],
  ];
  const offCols =
    DETECTION === 'both'
      ? [
          String(Math.round(rate(off))),
          median(off.map((r) => r.publisher.p50_ack_ms)).toFixed(2),
          median(off.map((r) => r.publisher.p99_ack_ms)).toFixed(2),
          String(Math.round(Math.max(...off.map((r) => r.rssMb)))),
        ]
      : null;
  const bareCols = [
    String(result.bare_aedes_msgs_per_s),
    String(result.bare_p50_ack_ms),
    String(result.bare_p99_ack_ms),
    String(result.bare_peak_rss_mb),
  ];
  const header = [
    `${label} (${result.storage})`,
    ...(offCols ? [`detection off (${result.storage})`] : []),
    'bare aedes',
  ];
  process.stdout.write(`\n| figure | ${header.join(' | ')} |\n|---|${header.map(() => '---|').join('')}\n`);
  for (const [i, r] of rows.entries()) {
    process.stdout.write(`| ${[...r, ...(offCols ? [offCols[i]!] : []), bareCols[i]!].join(' | ')} |\n`);
  }
  process.stdout.write(
    `runs (msg/s): ${runs.map((r) => `${r.detection ? 'on' : 'off'} ${Math.round(r.publisher.saturate_msgs_per_s)}`).join(', ')}\n`,
  );
  if (DETECTION === 'both') {
    process.stdout.write(
      `detection cost (1 - on / off, medians): ${result.detection_cost}; ` +
        `steady state (second half): ${result.detection_cost_steady}\n`,
    );
  }
  process.stdout.write(
    `ratio ${result.ratio}; acked readings ${ackedReadings}, stored ${stored}, lost ${result.lost}\n`,
  );
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
