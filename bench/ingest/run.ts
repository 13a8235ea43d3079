/**
 * `npm run bench:ingest`: the gateway (built, its own process, embedded PGlite unless --database-url)
 * against a bare aedes broker that only counts, driven by the same publisher process. Prints a table
 * and, last, one JSON line: gateway_msgs_per_s, bare_aedes_msgs_per_s, ratio, p50/p99_ack_ms, lost...
 *
 *   npm run bench:ingest -- [--devices 200] [--seconds 15] [--window 8] [--rate 1000] [--database-url URL] [--profile DIR]
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
const ADMIN = 'bench-admin-token-0123456789';

interface PublisherResult {
  devices: number;
  sent: number;
  acked: number;
  failed: number;
  saturate_msgs_per_s: number;
  p50_ack_ms: number;
  p99_ack_ms: number;
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
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return (await firstJsonLine(child)) as unknown as PublisherResult;
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

async function main(): Promise<void> {
  const work = await mkdtemp(path.join(tmpdir(), 'coatwatch-bench-'));
  const dataDir = path.join(work, 'data');
  if (DATABASE_URL) {
    const c = new pg.Client({ connectionString: DATABASE_URL });
    await c.connect();
    await c.query(
      'drop table if exists readings, dead_letters, devices, assets, api_tokens, technicians, customers, settings cascade',
    );
    await c.query('drop schema if exists drizzle cascade');
    await c.end();
  }
  const httpPort = await freePort();
  const mqttPort = await freePort();
  const profileArgs = PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(PROFILE_DIR)] : [];
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
    coating: { nominalDftUm: 300, corrosivityCategory: 'C5', durability: 'H', installedAt: '2022-01-01' },
  });
  const credentials: Array<{ deviceId: string; token: string }> = [];
  for (let i = 0; i < DEVICES; i++) {
    const d = await api('POST', '/api/devices', { assetId: asset['id'], id: `bench-${i}` });
    credentials.push({ deviceId: d['id']!, token: d['token']! });
  }
  const credentialsFile = path.join(work, 'credentials.json');
  await writeFile(credentialsFile, JSON.stringify(credentials));

  process.stderr.write(
    `gateway: ${DEVICES} devices, ${SECONDS}s saturation, window ${WINDOW}, then ${RATE} msg/s for latency\n`,
  );
  const gw = await runPublisher(`mqtt://127.0.0.1:${mqttPort}`, credentialsFile);
  const rssMb = await peakRssMb(gateway.pid!);
  gateway.kill('SIGTERM');
  await new Promise((r) => gateway.once('exit', r));
  const stored = await countStored(dataDir);

  process.stderr.write('bare aedes: same publisher\n');
  const bare = spawn(process.execPath, [path.join(here, 'bare-aedes.js')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { port } = (await firstJsonLine(bare)) as { port: number };
  const bareResult = await runPublisher(`mqtt://127.0.0.1:${port}`, credentialsFile);
  const bareRss = await peakRssMb(bare.pid!);
  bare.stdin.end();
  bare.kill('SIGTERM');
  await rm(work, { recursive: true, force: true });

  const ackedReadings = gw.acked * 3;
  const result = {
    devices: DEVICES,
    storage: DATABASE_URL ? 'postgres' : 'pglite',
    gateway_msgs_per_s: Math.round(gw.saturate_msgs_per_s),
    bare_aedes_msgs_per_s: Math.round(bareResult.saturate_msgs_per_s),
    ratio: Number((gw.saturate_msgs_per_s / bareResult.saturate_msgs_per_s).toFixed(3)),
    gateway_readings_per_s: Math.round(gw.saturate_msgs_per_s * 3),
    p50_ack_ms: Number(gw.p50_ack_ms.toFixed(2)),
    p99_ack_ms: Number(gw.p99_ack_ms.toFixed(2)),
    bare_p50_ack_ms: Number(bareResult.p50_ack_ms.toFixed(2)),
    bare_p99_ack_ms: Number(bareResult.p99_ack_ms.toFixed(2)),
    latency_rate_msgs_per_s: Number(RATE),
    peak_rss_mb: Math.round(rssMb),
    bare_peak_rss_mb: Math.round(bareRss),
    acked_messages: gw.acked,
    acked_readings: ackedReadings,
    stored_readings: stored,
    failed_publishes: gw.failed,
    lost: Math.max(0, ackedReadings - stored),
  };
  const rows: Array<[string, string, string]> = [
    ['sustained msgs/s (QoS1, 3 metrics)', String(result.gateway_msgs_per_s), String(result.bare_aedes_msgs_per_s)],
    [`p50 ack ms @ ${RATE} msg/s`, String(result.p50_ack_ms), String(result.bare_p50_ack_ms)],
    [`p99 ack ms @ ${RATE} msg/s`, String(result.p99_ack_ms), String(result.bare_p99_ack_ms)],
    ['peak RSS MB', String(result.peak_rss_mb), String(result.bare_peak_rss_mb)],
  ];
  process.stdout.write(`\n| figure | gateway (${result.storage}) | bare aedes |\n|---|---|---|\n`);
  for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`);
  process.stdout.write(
    `ratio ${result.ratio}; acked readings ${ackedReadings}, stored ${stored}, lost ${result.lost}\n`,
  );
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main();
