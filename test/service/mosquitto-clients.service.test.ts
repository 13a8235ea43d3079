import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  provisionDevice,
  removeDataDir,
  startTestGateway,
  type ProvisionedDevice,
  type TestGateway,
} from '../support/test-gateway.js';

const exec = promisify(execFile);

/** Interoperability with MQTT clients nobody here wrote: Debian's mosquitto-clients. */
describe('mosquitto_pub / mosquitto_sub against the gateway', () => {
  let gw: TestGateway;
  let dev: ProvisionedDevice;

  beforeAll(async () => {
    // Fails (does not skip) when the package is missing: CI installs it.
    await exec('mosquitto_pub', ['--help']).catch((error: { code?: unknown; stdout?: string }) => {
      if (error.code === 'ENOENT') throw new Error('mosquitto_pub not found: apt-get install mosquitto-clients');
    });
    gw = await startTestGateway();
    dev = await provisionDevice(gw, 'mosq-dev-1');
  });
  afterAll(async () => {
    await gw.stop();
    await removeDataDir(gw.dataDir);
  });

  const auth = () => [
    '-h',
    '127.0.0.1',
    '-p',
    String(gw.gateway.mqttPort),
    '-V',
    'mqttv311',
    '-u',
    dev.deviceId,
    '-P',
    dev.token,
  ];

  it('mosquitto_pub publishes readings at QoS1 that are stored', async () => {
    await exec('mosquitto_pub', [
      ...auth(),
      '-i',
      'mosq-pub-1',
      '-q',
      '1',
      '-t',
      `devices/${dev.deviceId}/telemetry`,
      '-m',
      JSON.stringify({
        ts: '2026-11-21T10:00:00Z',
        seq: 7,
        metrics: { coating_thickness_um: 248.5, temperature_c: 12 },
      }),
    ]);
    const res = await gw.api<{ points: unknown[] }>(
      'GET',
      `/api/devices/${dev.deviceId}/readings?metric=coating_thickness_um&from=2026-11-21T00:00:00Z&to=2026-11-22T00:00:00Z`,
    );
    expect(res.body.points).toEqual([{ ts: '2026-11-21T10:00:00.000Z', value: 248.5 }]);
  });

  it('mosquitto_sub receives the rejection of a bad payload on the errors topic', async () => {
    const sub = spawn('mosquitto_sub', [
      ...auth(),
      '-i',
      'mosq-sub-1',
      '-q',
      '1',
      '-C',
      '1',
      '-W',
      '15',
      '-t',
      `devices/${dev.deviceId}/errors`,
    ]);
    let out = '';
    sub.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const done = new Promise<number | null>((resolve) => sub.once('exit', resolve));
    // Give mosquitto_sub time to subscribe before publishing the bad payload.
    for (let i = 0; i < 100; i++) {
      const devices = await gw.api<{ online: boolean }>('GET', `/api/devices/${dev.deviceId}`);
      if (devices.body.online) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    await exec('mosquitto_pub', [
      ...auth(),
      '-i',
      'mosq-pub-2',
      '-q',
      '1',
      '-t',
      `devices/${dev.deviceId}/telemetry`,
      '-m',
      '{"ts": "yesterday", "metrics": {"temperature_c": 1}}',
    ]);
    expect(await done).toBe(0);
    expect(JSON.parse(out.trim())).toMatchObject({ error: 'invalid_timestamp', field: 'ts' });
  });

  it('refuses mosquitto_pub with a wrong token', async () => {
    const result = await exec('mosquitto_pub', [
      '-h',
      '127.0.0.1',
      '-p',
      String(gw.gateway.mqttPort),
      '-V',
      'mqttv311',
      '-u',
      dev.deviceId,
      '-P',
      'wrong',
      '-t',
      `devices/${dev.deviceId}/telemetry`,
      '-m',
      '{}',
    ]).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/not authori[sz]ed|bad user name or password|Connection Refused/i);
  });
});
