import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runReplayCli } from './cli.js';
import { parseTimestamp, splitCsvLine } from './csv.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'replay-test-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function series(
  count: number,
  value: (i: number) => number,
  ts: (i: number) => string = (i) => new Date(T0 + i * HOUR).toISOString(),
) {
  const lines = ['timestamp,value'];
  for (let i = 0; i < count; i++) lines.push(`${ts(i)},${value(i).toFixed(2)}`);
  return `${lines.join('\n')}\n`;
}

/** Deterministic noise, so that the statistical detectors have a spread to work with. */
function noise(i: number): number {
  return Math.sin(i * 12.9898) * 0.8 + Math.sin(i * 4.1414) * 0.4;
}

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReplayCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

async function readCsv(file: string): Promise<string[][]> {
  const text = await readFile(file, 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => splitCsvLine(l)!);
}

describe('replay CSV parsing', () => {
  it('splits quoted fields and reads ISO 8601 and epoch ms / s timestamps', () => {
    expect(splitCsvLine('a,"b,c","d ""e"""')).toEqual(['a', 'b,c', 'd "e"']);
    expect(splitCsvLine('a,"open')).toBeUndefined();
    expect(parseTimestamp('2026-01-01T00:00:00Z')).toBe(T0);
    expect(parseTimestamp('2026-01-01T01:00:00+01:00')).toBe(T0);
    expect(parseTimestamp('2026-01-01 00:00:00')).toBe(T0);
    expect(parseTimestamp(String(T0))).toBe(T0);
    expect(parseTimestamp(String(T0 / 1000))).toBe(T0);
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });
});

describe('replay CLI', () => {
  it('scores every row of a one-column series and lists the alerts it would raise', async () => {
    const input = path.join(dir, 'gauge.csv');
    // A flat series with a step down at row 200.
    await writeFile(
      input,
      series(400, (i) => (i < 200 ? 300 : 200) + noise(i)),
    );
    const output = path.join(dir, 'out', 'gauge.csv');
    const { code, out } = await run('--input', input, '--output', output);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/gauge\.csv: 400 rows, \d+ alerts/);
    const rows = await readCsv(output);
    expect(rows[0]).toEqual(['timestamp', 'value', 'anomaly_score']);
    expect(rows).toHaveLength(401);
    const scores = rows.slice(1).map((r) => Number(r[2]));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(Math.max(...scores.slice(200, 215))).toBeGreaterThanOrEqual(0.5);
    expect(Math.max(...scores.slice(30, 190))).toBeLessThan(0.5);
    // The input columns are kept as they were.
    expect(rows[5]!.slice(0, 2)).toEqual((await readFile(input, 'utf8')).split('\n')[5]!.split(','));
    const alerts = await readCsv(path.join(dir, 'out', 'gauge.alerts.csv'));
    expect(alerts[0]).toContain('event_time');
    expect(alerts.slice(1).map((a) => a[2])).toContain('step_change');
  });

  it('does not look ahead: the scores of the first k rows do not change when the rows after k change', async () => {
    const k = 150;
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    await writeFile(
      a,
      series(300, (i) => 300 + noise(i)),
    );
    await writeFile(
      b,
      series(300, (i) => (i < k ? 300 + noise(i) : 120 + 5 * noise(i * 3))),
    );
    expect((await run('--input', a, '--output', path.join(dir, 'oa.csv'))).code).toBe(0);
    expect((await run('--input', b, '--output', path.join(dir, 'ob.csv'))).code).toBe(0);
    const sa = (await readCsv(path.join(dir, 'oa.csv'))).slice(1).map((r) => r[2]);
    const sb = (await readCsv(path.join(dir, 'ob.csv'))).slice(1).map((r) => r[2]);
    expect(sb.slice(0, k)).toEqual(sa.slice(0, k));
    expect(sb.slice(k)).not.toEqual(sa.slice(k));
  });

  it('reads several metric columns, empty cells and epoch-second timestamps, with a profile', async () => {
    const lines = ['timestamp,thk,battery_v'];
    for (let i = 0; i < 200; i++) {
      const t = (T0 + i * HOUR) / 1000;
      const thk = i < 120 ? 300 + noise(i) : 150 + noise(i);
      lines.push(`${t},${thk.toFixed(1)},${i % 5 === 0 ? '' : (3.6 + noise(i) / 100).toFixed(3)}`);
    }
    const input = path.join(dir, 'multi.csv');
    await writeFile(input, `${lines.join('\n')}\n`);
    const profile = path.join(dir, 'profile.json');
    await writeFile(
      profile,
      JSON.stringify({
        columns: { thk: 'coating_thickness_um' },
        asset: { nominalDftUm: 300, coatingInstalledAt: new Date(T0).toISOString(), samplingIntervalS: 3600 },
      }),
    );
    const output = path.join(dir, 'multi.out.csv');
    expect((await run('--input', input, '--output', output, '--profile', profile)).code).toBe(0);
    const rows = await readCsv(output);
    expect(rows[0]).toEqual(['timestamp', 'thk', 'battery_v', 'anomaly_score']);
    expect(rows).toHaveLength(201);
    const alerts = await readCsv(path.join(dir, 'multi.out.alerts.csv'));
    const dft = alerts.find((a) => a[2] === 'dft_below_minimum');
    expect(dft?.[0]).toBe('thk');
    expect(dft?.[1]).toBe('coating_thickness_um');
    // Raised on the third reading below 240 um (confirmation), at that reading's event time.
    expect(dft?.[7]).toBe(new Date(T0 + 122 * HOUR).toISOString());
  });

  it('processes a directory recursively into the same relative paths', async () => {
    await mkdir(path.join(dir, 'in', 'site-a', 'tank-1'), { recursive: true });
    await writeFile(
      path.join(dir, 'in', 'top.csv'),
      series(50, (i) => 10 + noise(i)),
    );
    await writeFile(
      path.join(dir, 'in', 'site-a', 'tank-1', 'p.csv'),
      series(60, (i) => -900 + noise(i)),
    );
    await writeFile(path.join(dir, 'in', 'site-a', 'notes.txt'), 'not a csv');
    const { code, out } = await run('--input', path.join(dir, 'in'), '--output', path.join(dir, 'out'));
    expect(code).toBe(0);
    expect(out).toHaveLength(2);
    expect((await readdir(path.join(dir, 'out'))).sort()).toEqual(['site-a', 'top.alerts.csv', 'top.csv']);
    expect((await readdir(path.join(dir, 'out', 'site-a', 'tank-1'))).sort()).toEqual(['p.alerts.csv', 'p.csv']);
    expect(await readCsv(path.join(dir, 'out', 'site-a', 'tank-1', 'p.csv'))).toHaveLength(61);
  });

  it('names file, line and column of bad input, and keeps no partial output', async () => {
    const input = path.join(dir, 'bad.csv');
    await writeFile(input, 'timestamp,value\n2026-01-01T00:00:00Z,1\n2026-01-01T01:00:00Z,abc\n');
    const output = path.join(dir, 'bad.out.csv');
    const { code, err } = await run('--input', input, '--output', output);
    expect(code).toBe(1);
    expect(err[0]).toBe(`replay: ${input}:3: column 2 (value): not a number: "abc"`);
    await expect(readFile(output)).rejects.toThrow();

    await writeFile(input, 'timestamp,value\nnoon,1\n');
    expect((await run('--input', input, '--output', output)).err[0]).toMatch(
      /bad\.csv:2: column 1 \(timestamp\): not a timestamp/,
    );
    await writeFile(input, 'when,value\n');
    expect((await run('--input', input, '--output', output)).err[0]).toMatch(/bad\.csv:1: column 1 \(when\)/);
    await writeFile(input, 'timestamp,value\n2026-01-02T00:00:00Z,1\n2026-01-01T00:00:00Z,1\n');
    expect((await run('--input', input, '--output', output)).err[0]).toMatch(/bad\.csv:3: .*time goes back/);
    await writeFile(input, 'timestamp,value\n2026-01-02T00:00:00Z,1,2\n');
    expect((await run('--input', input, '--output', output)).err[0]).toMatch(
      /bad\.csv:2: 3 fields where the header has 2/,
    );
  });

  it('answers usage errors with exit code 2 and a bad profile with its field', async () => {
    expect((await run('--input', 'x')).code).toBe(2);
    expect((await run('--bogus')).code).toBe(2);
    const profile = path.join(dir, 'p.json');
    await writeFile(profile, JSON.stringify({ asset: { nominalDftUm: -3 } }));
    await writeFile(
      path.join(dir, 'x.csv'),
      series(3, () => 1),
    );
    const res = await run(
      '--input',
      path.join(dir, 'x.csv'),
      '--output',
      path.join(dir, 'y.csv'),
      '--profile',
      profile,
    );
    expect(res.code).toBe(1);
    expect(res.err[0]).toMatch(/p\.json: asset\.nominalDftUm:/);
  });
});
