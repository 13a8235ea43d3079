import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { DeviceConnection, type DeviceRejection, type OutboundMessage } from './device-connection.js';

/**
 * DeviceConnection against a real aedes broker on an ephemeral port that loses connections on
 * purpose: before the PUBACK of some publishes, so the messages are in flight when the link goes.
 */
describe('DeviceConnection over a real broker', () => {
  let broker: Aedes;
  let server: Server;
  let url: string;
  /** Every payload the broker accepted (and acked), in arrival order. */
  let received: string[] = [];
  /** Cut the connection instead of acking every Nth publish (0: never). */
  let cutEvery = 0;
  let publishes = 0;
  let connects = 0;
  const open: DeviceConnection[] = [];

  beforeAll(async () => {
    broker = await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        const ok = username === 'dev-1' && password?.toString() === 'token-1';
        if (ok) connects++;
        done(null, ok);
      },
      authorizePublish: (client, packet, callback) => {
        if (!client || !packet.topic.endsWith('/telemetry')) return callback(null);
        publishes++;
        if (cutEvery > 0 && publishes % cutEvery === 0) {
          // The link drops before the PUBACK: the device must send it again.
          client.conn.destroy();
          return;
        }
        received.push(packet.payload.toString());
        callback(null);
      },
    });
    server = createServer((socket) => broker.handle(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `mqtt://127.0.0.1:${(server.address() as { port: number }).port}`;
  });

  afterEach(async () => {
    for (const c of open.splice(0)) await c.close();
    received = [];
    cutEvery = 0;
    publishes = 0;
    connects = 0;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function device(token = 'token-1') {
    const stats = {
      acked: [] as string[],
      rejected: [] as DeviceRejection[],
      reconnects: 0,
      retransmits: 0,
      fatal: [] as Error[],
    };
    const connection = new DeviceConnection({
      url,
      deviceId: 'dev-1',
      token,
      maxInFlight: 8,
      connectTimeoutMs: 2000,
      rejectionGraceMs: 200,
      backoff: new Backoff({ initialMs: 5, maxMs: 50, factor: 2 }, () => 0.5),
      events: {
        acked: (m) => stats.acked.push(m.payload),
        rejected: (r) => stats.rejected.push(r),
        connected: (reconnect) => {
          if (reconnect) stats.reconnects++;
        },
        retransmitted: (n) => (stats.retransmits += n),
        fatal: (e) => stats.fatal.push(e),
      },
    });
    open.push(connection);
    return { connection, stats };
  }
  const message = (i: number): OutboundMessage => ({
    payload: JSON.stringify({ ts: 1_700_000_000_000 + i * 1000, seq: i, metrics: { temperature_c: i % 40 } }),
    readings: 1,
    values: 1,
    bad: false,
  });

  it('never drops an unacked message: lost links mid-flight are resent after a reconnect with backoff', async () => {
    cutEvery = 37;
    const { connection, stats } = device();
    await connection.start();
    const sent = Array.from({ length: 600 }, (_, i) => message(i));
    for (const m of sent) connection.send(m);
    await connection.waitIdle();
    expect(connection.unacked).toBe(0);
    expect(new Set(stats.acked)).toEqual(new Set(sent.map((m) => m.payload)));
    expect(stats.acked).toHaveLength(600);
    // Everything reached the broker (at least once), and the drops really happened.
    expect(new Set(received).size).toBe(600);
    expect(stats.reconnects).toBeGreaterThanOrEqual(10);
    expect(stats.retransmits).toBeGreaterThanOrEqual(10);
    expect(stats.fatal).toEqual([]);
  });

  it('goes offline after delivering what it had, holds new messages, and sends them on reconnect', async () => {
    const { connection, stats } = device();
    await connection.start();
    for (let i = 0; i < 20; i++) connection.send(message(i));
    connection.goOffline();
    // Queued after the link went down (the backlog): not sent while offline.
    for (let i = 20; i < 50; i++) connection.send(message(i));
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(20);
    expect(connection.isConnected).toBe(false);
    connection.goOnline();
    await connection.waitIdle();
    expect(received).toHaveLength(50);
    expect(stats.acked).toHaveLength(50);
    expect(stats.reconnects).toBe(1);
    expect(connects).toBe(2);
  });

  it('counts the error replies the gateway publishes on its errors topic', async () => {
    const { connection, stats } = device();
    await connection.start();
    const reply = {
      error: 'out_of_range',
      field: 'metrics.humidity_pct',
      message: 'x',
      topic: 'devices/dev-1/telemetry',
      rejected: 1,
      accepted: 0,
      at: new Date().toISOString(),
    };
    await new Promise<void>((resolve, reject) =>
      broker.publish(
        {
          cmd: 'publish',
          topic: 'devices/dev-1/errors',
          payload: Buffer.from(JSON.stringify(reply)),
          qos: 1,
          retain: false,
          dup: false,
        },
        (e) => (e ? reject(e) : resolve()),
      ),
    );
    for (let i = 0; i < 100 && stats.rejected.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(stats.rejected).toEqual([{ reason: 'out_of_range', field: 'metrics.humidity_pct', rejected: 1 }]);
  });

  it('fails at once, naming the device, when the broker refuses its credentials', async () => {
    const { connection } = device('wrong-token');
    await expect(connection.start()).rejects.toThrow(/dev-1: the broker refused the device credentials/);
  });
});
