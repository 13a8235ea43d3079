import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeClient, connectDevice, publish } from '../support/test-gateway.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'dist/apps/gateway/src/main.js');

interface Proc {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function run(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [main], { cwd: root, env: { ...process.env, ...env }, stdio: 'pipe' });
  const proc: Proc = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout.on('data', (d: Buffer) => (proc.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (proc.stderr += d.toString()));
  return proc;
}

async function waitForOutput(proc: Proc, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 600; i++) {
    const m = pattern.exec(proc.stdout);
    if (m) return m;
    if (proc.child.exitCode !== null) throw new Error(`gateway exited: ${proc.stderr}${proc.stdout}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${String(pattern)} in output: ${proc.stdout}${proc.stderr}`);
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

describe('the built gateway process', () => {
  let dataDir: string;
  let ports: { http: number; mqtt: number; ws: number };
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'coatwatch-e2e-'));
    ports = { http: await freePort(), mqtt: await freePort(), ws: await freePort() };
    env = {
      DATA_DIR: dataDir,
      HTTP_PORT: String(ports.http),
      MQTT_PORT: String(ports.mqtt),
      MQTT_WS_PORT: String(ports.ws),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: '',
      ADMIN_TOKEN: '',
    };
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('prints a generated admin token once, serves MQTT and HTTP, logs JSON, and stops gracefully', async () => {
    const first = run(env);
    const token = (await waitForOutput(first, /ADMIN TOKEN \(shown once[^)]*\): (\S+)/))[1]!;
    await waitForOutput(first, /gateway ready/);
    const logLine = first.stdout.split('\n').find((l) => l.includes('gateway ready'))!;
    expect(JSON.parse(logLine)).toMatchObject({ level: 30, http: ports.http, mqtt: ports.mqtt });

    const api = async (method: string, route: string, body?: unknown) => {
      const res = await fetch(`http://127.0.0.1:${ports.http}${route}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    const customer = await api('POST', '/api/customers', { name: 'North Sea Offshore' });
    const asset = await api('POST', '/api/assets', {
      customerId: customer.body['id'],
      name: 'Jacket leg A2',
      kind: 'offshore_structure',
      coating: { nominalDftUm: 350, corrosivityCategory: 'CX', durability: 'VH', installedAt: '2023-03-01' },
    });
    const device = await api('POST', '/api/devices', { assetId: asset.body['id'], id: 'er-probe-1' });
    expect(device.status).toBe(201);
    const client = await connectDevice(`mqtt://127.0.0.1:${ports.mqtt}`, 'er-probe-1', String(device.body['token']));
    await publish(
      client,
      'devices/er-probe-1/telemetry',
      JSON.stringify({ ts: '2026-11-20T00:00:00Z', metrics: { metal_loss_um: 3.25 } }),
    );
    await closeClient(client);
    const ws = await connectDevice(`ws://127.0.0.1:${ports.ws}/mqtt`, 'er-probe-1', String(device.body['token']));
    await publish(
      ws,
      'devices/er-probe-1/telemetry',
      JSON.stringify({ ts: '2026-11-20T01:00:00Z', metrics: { metal_loss_um: 3.5 } }),
    );
    await closeClient(ws);
    const readings = await api(
      'GET',
      '/api/devices/er-probe-1/readings?metric=metal_loss_um&from=2026-11-19T00:00:00Z&to=2026-11-21T00:00:00Z',
    );
    expect(readings.body['points']).toEqual([
      { ts: '2026-11-20T00:00:00.000Z', value: 3.25 },
      { ts: '2026-11-20T01:00:00.000Z', value: 3.5 },
    ]);
    const health = await fetch(`http://127.0.0.1:${ports.http}/health`);
    expect(health.status).toBe(200);
    const openapi = await fetch(`http://127.0.0.1:${ports.http}/api/openapi.json`);
    expect(((await openapi.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/api/devices');

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stdout).toMatch(/"msg":"stopped"/);

    // Second start on the same DATA_DIR: the token still works and is not printed again.
    const second = run(env);
    await waitForOutput(second, /gateway ready/);
    expect(second.stdout).not.toMatch(/ADMIN TOKEN/);
    expect((await api('GET', '/api/devices/er-probe-1')).status).toBe(200);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('ends the start with one line naming the port in use and the variable to change', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(ports.mqtt, '127.0.0.1', () => resolve()));
    try {
      const proc = run(env);
      expect(await proc.exited).toBe(1);
      expect(proc.stderr.trim()).toBe(
        `gateway: MQTT_PORT ${ports.mqtt} is already in use: set MQTT_PORT to a free port`,
      );
    } finally {
      blocker.close();
    }
  });

  it('ends the start with one line naming a bad setting', async () => {
    const proc = run({ ...env, HTTP_PORT: 'eighty' });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr.trim()).toBe(
      'gateway: Invalid setting HTTP_PORT="eighty": HTTP_PORT must be a TCP port number 0-65535 (0 = any free port)',
    );
  });
});
