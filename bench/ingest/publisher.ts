/**
 * Benchmark publisher (its own process): many devices, each an MQTT 3.1.1 connection publishing QoS1
 * messages with three metrics. Two phases: saturation (a window of unacked messages per device, as fast
 * as the broker acks) and latency at a fixed moderate rate. Prints one JSON result line on stdout.
 */
import { readFile } from 'node:fs/promises';
import mqtt, { type MqttClient } from 'mqtt';

interface Credentials {
  readonly deviceId: string;
  readonly token: string;
}
interface Args {
  readonly url: string;
  readonly credentialsFile: string;
  readonly saturateSeconds: number;
  readonly window: number;
  readonly latencyRate: number;
  readonly latencySeconds: number;
  /** The first `alerting` devices read a coating worn below its breakdown thickness: each raises an alert. */
  readonly alerting: number;
}

function parseArgs(argv: string[]): Args {
  const get = (name: string, fallback?: string) => {
    const i = argv.indexOf(`--${name}`);
    const v = i >= 0 ? argv[i + 1] : fallback;
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  return {
    url: get('url'),
    credentialsFile: get('credentials'),
    saturateSeconds: Number(get('saturate-seconds', '15')),
    window: Number(get('window', '8')),
    latencyRate: Number(get('latency-rate', '1000')),
    latencySeconds: Number(get('latency-seconds', '10')),
    alerting: Number(get('alerting', '0')),
  };
}

const args = parseArgs(process.argv.slice(2));
const devices = JSON.parse(await readFile(args.credentialsFile, 'utf8')) as Credentials[];
const baseTs = Date.parse('2020-01-01T00:00:00Z');
let acked = 0;
let sent = 0;
let failed = 0;

function connect(c: Credentials): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(args.url, {
      protocolVersion: 4,
      clientId: c.deviceId,
      username: c.deviceId,
      password: c.token,
      reconnectPeriod: 0,
      connectTimeout: 30_000,
      keepalive: 120,
    });
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

const clients: MqttClient[] = [];
for (let i = 0; i < devices.length; i += 50) {
  clients.push(...(await Promise.all(devices.slice(i, i + 50).map(connect))));
}
const seq = new Array<number>(clients.length).fill(0);

function message(i: number): string {
  const n = seq[i]!++;
  // Unique event time per device and message: every reading is a new row (no dedupe shortcut).
  return JSON.stringify({
    ts: baseTs + n * 1000,
    seq: n,
    metrics: {
      // 240-256 um on the 300 um nominal: a film in service, above its breakdown (150 um); 120-136 um: below.
      coating_thickness_um: (i < args.alerting ? 120 : 240) + (n % 17),
      temperature_c: 10 + (n % 7),
      humidity_pct: 60 + (n % 11),
    },
  });
}

function publishOne(i: number): Promise<number> {
  const started = performance.now();
  sent++;
  return new Promise((resolve) => {
    clients[i]!.publish(`devices/${devices[i]!.deviceId}/telemetry`, message(i), { qos: 1 }, (error) => {
      if (error) failed++;
      else acked++;
      resolve(performance.now() - started);
    });
  });
}

// Phase 1: saturation. Each device keeps `window` messages in flight.
const saturateUntil = performance.now() + args.saturateSeconds * 1000;
const ackedBefore = acked;
const t0 = performance.now();
// Acks per second of the saturation phase: tells the first seconds (every device and stream new to the
// gateway) from the steady state.
const timeline: number[] = [];
let ackedAtTick = acked;
const ticker = setInterval(() => {
  timeline.push(acked - ackedAtTick);
  ackedAtTick = acked;
}, 1000);
await Promise.all(
  clients.map(async (_c, i) => {
    const lanes = Array.from({ length: args.window }, async () => {
      while (performance.now() < saturateUntil) await publishOne(i);
    });
    await Promise.all(lanes);
  }),
);
clearInterval(ticker);
const saturateElapsed = (performance.now() - t0) / 1000;
const saturateAcked = acked - ackedBefore;

// Phase 2: latency at a fixed moderate rate, spread over the devices.
const latencies: number[] = [];
const interval = 1000 / args.latencyRate;
const pending: Promise<void>[] = [];
const latencyStart = performance.now();
let k = 0;
while (performance.now() - latencyStart < args.latencySeconds * 1000) {
  const due = latencyStart + k * interval;
  const wait = due - performance.now();
  if (wait > 1) await new Promise((r) => setTimeout(r, wait));
  pending.push(publishOne(k % clients.length).then((ms) => void latencies.push(ms)));
  k++;
}
await Promise.all(pending);
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;

await Promise.all(clients.map((c) => c.endAsync()));
process.stdout.write(
  JSON.stringify({
    devices: clients.length,
    sent,
    acked,
    failed,
    saturate_msgs_per_s: saturateAcked / saturateElapsed,
    saturate_timeline: timeline,
    latency_rate: args.latencyRate,
    latency_samples: latencies.length,
    p50_ack_ms: q(0.5),
    p99_ack_ms: q(0.99),
  }) + '\n',
);
