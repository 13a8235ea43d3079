/**
 * Cost of the detector core: microseconds per reading-metric and bytes of serialised state per stream.
 * Prints figures only (never asserts a time). Targets of issue 5: <= 2 us per reading-metric, <= 2 KB per stream.
 *
 *   npx tsx --conditions=source bench/detector-cost.ts [--devices 200] [--days 60] [--interval-hours 1] [--paired 3] [--digest]
 *     [--metric coating_thickness_um] (one metric only, e.g. to profile it)
 *   (or after `npm run build`: node dist/bench/detector-cost.js)
 *
 * `--paired N` puts the devices on assets of N (default 1: each alone): the metrics an asset's sensors share then
 * also go through drift against paired sensors (`PairedDriftGroup`, as the pipeline feeds it), and a member's
 * state is counted with its stream's (the pipeline stores none for a sensor alone on its asset).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  type AssetProfile,
  DEFAULT_PAIRED_GROUP,
  PairedDriftGroup,
  type PairedMemberRef,
  StreamDetectorSet,
  type StreamSnapshot,
  buildStreamConfig,
  pairedDriftLimit,
} from '#detection';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
};
const DEVICES = opt('devices', 200);
const DAYS = opt('days', 60);
/** Sampling interval of the simulated devices, hours (1 = the device default; 24 = one reading a day). */
const INTERVAL_H = opt('interval-hours', 1);
/** Sensors per asset: the groups of drift against paired sensors. */
const PAIRED = Math.max(1, Math.floor(opt('paired', 1)));
/**
 * `--digest`: also hash every finding and every final snapshot (sha256, in the JSON line), so an optimisation
 * can be shown to change nothing but the time. The timings of a digest run include the hashing.
 */
const DIGEST = argv.includes('--digest');
const digest = createHash('sha256');
/** The findings alone: unchanged by a change of the state's format, which changes `digest`. */
const findingsDigest = createHash('sha256');
/** Streams whose state, restored, is written again differently (should be none). */
let restoreMismatches = 0;
const HOUR = 3_600_000;
const NONE: readonly unknown[] = [];
const T0 = Date.UTC(2026, 0, 1);
const PROFILE: AssetProfile = { nominalDftUm: 300, corrosivityCategory: 'C3', samplingIntervalS: 3600 };

/** Deterministic noise (mulberry32 + Box-Muller). */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(Math.max(uniform(), 1e-12))) * Math.cos(2 * Math.PI * uniform());
}

/** Healthy behaviour per metric, with a fault on one device in ten (step or accelerated trend). */
const METRICS: Record<string, (i: number, faulty: boolean) => number> = {
  coating_thickness_um: (i, f) => 340 - i / 24 / 73 - (f && i > 800 ? 40 + (i - 800) / 24 : 0),
  corrosion_rate_mm_y: (i, f) => 0.008 + 0.002 * Math.sin((2 * Math.PI * i) / 24) + (f && i > 900 ? 0.05 : 0),
  metal_loss_um: (i, f) => 12 + i / 24 / 18 + (f && i > 700 ? (i - 700) / 48 : 0),
  cp_potential_mv: (i, f) => -1000 + 25 * Math.sin((2 * Math.PI * i) / 24) + (f && i > 600 ? 220 : 0),
  temperature_c: (i) => 12 + 5 * Math.sin((2 * Math.PI * i) / 24),
  humidity_pct: (i) => 70 + 15 * Math.sin((2 * Math.PI * i) / 24),
  battery_v: (i, f) => 3.62 - i / 24 / 3650 - (f ? i / 24 / 200 : 0),
  vibration_mm_s: (i) => 4 + 0.5 * Math.sin((2 * Math.PI * i) / 168),
};
const NOISE: Record<string, number> = {
  coating_thickness_um: 3,
  corrosion_rate_mm_y: 0.001,
  metal_loss_um: 0.15,
  cp_potential_mv: 5,
  temperature_c: 0.4,
  humidity_pct: 2,
  battery_v: 0.005,
  vibration_mm_s: 0.1,
};

interface Result {
  metric: string;
  updates: number;
  usPerReading: number;
  /** CPU time of the process (user + system) per reading: less sensitive to other load on the machine. */
  cpuUsPerReading: number;
  findings: number;
  meanStateBytes: number;
  maxStateBytes: number;
}

function run(metric: string, devices: number, hours: number): Result {
  const value = METRICS[metric]!;
  const noise = NOISE[metric]!;
  const sets: StreamDetectorSet[] = [];
  const normals: (() => number)[] = [];
  const limit = pairedDriftLimit(metric, PROFILE);
  const groups: (PairedDriftGroup | null)[] = [];
  for (let d = 0; d < devices; d++) {
    sets.push(new StreamDetectorSet(`dev-${d}`, buildStreamConfig(metric, PROFILE)));
    normals.push(gaussian(d * 7919 + metric.length));
    const asset = Math.floor(d / PAIRED);
    if (limit === null) groups.push(null);
    else if (d % PAIRED === 0)
      groups.push(new PairedDriftGroup(`asset-${asset}`, metric, { ...DEFAULT_PAIRED_GROUP, limit }));
    else groups.push(groups[d - 1]!);
  }
  // Readings are generated up front so the timing is the detectors' alone.
  const values = new Float64Array(devices * hours);
  for (let h = 0; h < hours; h++) {
    for (let d = 0; d < devices; d++) {
      const hour = h * INTERVAL_H;
      values[h * devices + d] = Math.round((value(hour, d % 10 === 0) + noise * normals[d]!()) * 1000) / 1000;
    }
  }
  const members: (PairedMemberRef | undefined)[] = new Array(devices);
  let findings = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let h = 0; h < hours; h++) {
    const hourTs = T0 + h * HOUR * INTERVAL_H;
    for (let d = 0; d < devices; d++) {
      // The sensors of one asset a few minutes apart, as loggers are.
      const reading = {
        deviceId: sets[d]!.deviceId,
        metric,
        ts: hourTs + (d % PAIRED) * 300_000,
        value: values[h * devices + d]!,
      };
      const found = sets[d]!.update(reading);
      findings += found.length;
      if (DIGEST && found.length > 0) {
        const written = JSON.stringify(found);
        digest.update(written);
        findingsDigest.update(written);
      }
      const group = groups[d];
      if (group) {
        // As the pipeline feeds the group: the member held from the device's first reading (`PairedSensors`).
        const member = (members[d] ??= group.join(reading.deviceId));
        const drift = group.takes(member, reading.ts) ? group.updateMember(member, reading) : NONE;
        findings += drift.length;
        if (DIGEST && drift.length > 0) {
          const written = JSON.stringify(drift);
          digest.update(written);
          findingsDigest.update(written);
        }
      }
    }
  }
  const elapsed = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  let total = 0;
  let max = 0;
  for (const [d, set] of sets.entries()) {
    const group = groups[d];
    const member = group && group.size > 1 ? JSON.stringify(group.snapshot(set.deviceId)) : '';
    const snapshot = JSON.stringify(set.snapshot());
    if (DIGEST) {
      digest.update(snapshot).update(member);
      // The state written restores to a stream that writes it again identically.
      const restored = StreamDetectorSet.fromSnapshot(set.deviceId, set.config, JSON.parse(snapshot) as StreamSnapshot);
      if (JSON.stringify(restored.snapshot()) !== snapshot) restoreMismatches++;
    }
    const bytes = Buffer.byteLength(snapshot) + Buffer.byteLength(member);
    total += bytes;
    max = Math.max(max, bytes);
  }
  const updates = devices * hours;
  return {
    metric,
    updates,
    usPerReading: (elapsed * 1000) / updates,
    cpuUsPerReading: (cpu.user + cpu.system) / updates,
    findings,
    meanStateBytes: Math.round(total / devices),
    maxStateBytes: max,
  };
}

const metricArg = argv.indexOf('--metric');
const ONLY = metricArg >= 0 ? argv[metricArg + 1] : undefined;
if (ONLY !== undefined && !(ONLY in METRICS)) {
  console.error(`--metric: one of ${Object.keys(METRICS).join(', ')}`);
  process.exit(2);
}
const measured = ONLY === undefined ? Object.keys(METRICS) : [ONLY];
const hours = Math.floor((DAYS * 24) / INTERVAL_H);
// Warm-up so the figures are for optimised code, not the first JIT tier (not in the digest).
if (!DIGEST) for (const metric of measured) run(metric, 50, 24 * 40);

const results = measured.map((metric) => run(metric, DEVICES, hours));
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(
  `detector cost: ${DEVICES} streams per metric x ${hours} readings every ${INTERVAL_H} h (${DAYS} days), ${PAIRED} sensors per asset, Node ${process.version}`,
);
console.log(
  `${'metric'.padEnd(22)}${pad('wall us', 9)}${pad('cpu us', 9)}${pad('findings', 10)}${pad('state B mean', 14)}${pad('max', 7)}`,
);
for (const r of results) {
  console.log(
    `${r.metric.padEnd(22)}${pad(r.usPerReading.toFixed(3), 9)}${pad(r.cpuUsPerReading.toFixed(3), 9)}${pad(r.findings, 10)}${pad(r.meanStateBytes, 14)}${pad(r.maxStateBytes, 7)}`,
  );
}
const updates = results.reduce((s, r) => s + r.updates, 0);
const weighted = results.reduce((s, r) => s + r.usPerReading * r.updates, 0) / updates;
const weightedCpu = results.reduce((s, r) => s + r.cpuUsPerReading * r.updates, 0) / updates;
console.log(
  JSON.stringify({
    us_per_reading_metric: Number(weighted.toFixed(3)),
    cpu_us_per_reading_metric: Number(weightedCpu.toFixed(3)),
    max_us_per_reading_metric: Number(Math.max(...results.map((r) => r.usPerReading)).toFixed(3)),
    mean_state_bytes_per_stream: Math.round(results.reduce((s, r) => s + r.meanStateBytes, 0) / results.length),
    max_state_bytes_per_stream: Math.max(...results.map((r) => r.maxStateBytes)),
    updates,
    sensors_per_asset: PAIRED,
    ...(DIGEST
      ? {
          digest: digest.digest('hex'),
          findings_digest: findingsDigest.digest('hex'),
          restore_mismatches: restoreMismatches,
        }
      : {}),
  }),
);
