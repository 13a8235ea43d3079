/**
 * Drift against paired sensors (PairedDriftGroup): constructed series of several devices on one asset.
 */
import { describe, expect, it } from 'vitest';
import type { Finding, ObservedReading } from '../types.js';
import { DAY, HOUR, T0, makeSeries } from '../test-support/series.js';
import { DEFAULT_PAIRED_GROUP, PairedDriftGroup, type PairedGroupConfig } from './paired-drift-group.js';

const DFT = 'coating_thickness_um';
const TEMP = 'temperature_c';
const dftConfig: PairedGroupConfig = { ...DEFAULT_PAIRED_GROUP, limit: 15 };
const tempConfig: PairedGroupConfig = { ...DEFAULT_PAIRED_GROUP, limit: 2 };

interface Sensor {
  readonly deviceId: string;
  /** Calibration offset of the sensor. */
  readonly offset: number;
  /** Minutes after the hour it reports. */
  readonly minute: number;
  /** Its own drift per day from `driftFrom` (0: healthy). */
  readonly driftPerDay?: number;
  /** A step of its own from `driftFrom` (local damage under a gauge). */
  readonly step?: number;
}

/** Hourly readings of the sensors of one metric on one asset, merged in event-time order. */
function readings(
  metric: string,
  sensors: readonly Sensor[],
  days: number,
  common: (hour: number) => number,
  noise: number,
  driftFrom = 10 * DAY,
): ObservedReading[] {
  const all = sensors.flatMap((s, n) =>
    makeSeries({
      deviceId: s.deviceId,
      metric,
      count: days * 24,
      start: T0 + s.minute * 60_000,
      value: (i, t) =>
        common(i) +
        s.offset +
        (Math.max(0, t - T0 - driftFrom) / DAY) * (s.driftPerDay ?? 0) +
        (t - T0 >= driftFrom ? (s.step ?? 0) : 0),
      noise,
      seed: 100 + n,
    }),
  );
  return all.sort((a, b) => a.ts - b.ts);
}

function run(group: PairedDriftGroup, series: readonly ObservedReading[]): Finding[] {
  return series.flatMap((r) => group.update(r));
}

const label = (f: Finding) => `${f.deviceId}:${f.kind}:${f.phase}:${String(f.details?.blame)}`;
/** Slow coating wear common to every gauge of the film: -0.2 um a day. */
const film = (hour: number) => 305 - (0.2 * hour) / 24;
/** Site temperature: a daily cycle and a seasonal warming of 0.3 degC a day. */
const site = (hour: number) => 12 + 6 * Math.sin((2 * Math.PI * hour) / 24) + (0.3 * hour) / 24;

describe('PairedDriftGroup', () => {
  it('three gauges: a step under one gauge is raised as sudden (not a drift), a drift as gradual', () => {
    const onsetOf = (own: Partial<Sensor>) => {
      const group = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
      const series = readings(
        DFT,
        [
          { deviceId: 'gauge-a', offset: 0, minute: 0 },
          { deviceId: 'gauge-b', offset: 4, minute: 5 },
          { deviceId: 'gauge-c', offset: -3, minute: 10, ...own },
        ],
        30,
        film,
        2,
      );
      const raised = run(group, series).filter((f) => f.phase === 'raised');
      expect(raised.map(label)).toEqual(['gauge-c:sensor_drift:raised:largest']);
      return raised[0]!;
    };
    // The film under gauge-c loses 150 um at once (local damage): the whole step is in its latest differences.
    const step = onsetOf({ step: -150 });
    expect(step.details).toMatchObject({ onset: 'sudden' });
    expect(Number(step.details?.['recentDeviation'])).toBeGreaterThan(140);
    expect(step.explanation).toMatch(/within hours/);
    expect(step.explanation).toMatch(/damaged under a gauge/);
    // A drift, slow or as fast as the simulator's fastest (90 um in 4 days): gradual, as before.
    for (const driftPerDay of [-3, -22]) {
      const drift = onsetOf({ driftPerDay });
      expect(drift.details).toMatchObject({ onset: 'gradual' });
      expect(drift.explanation).toMatch(/recalibrate or replace it/);
    }
  });

  it('two gauges: blames the one whose own level walked away, not its partner', () => {
    const group = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    const series = readings(
      DFT,
      [
        { deviceId: 'gauge-a', offset: 0, minute: 0 },
        { deviceId: 'gauge-b', offset: 6, minute: 7, driftPerDay: -1.5 },
      ],
      40,
      film,
      2,
    );
    const findings = run(group, series);
    expect(findings.map(label)).toEqual(['gauge-b:sensor_drift:raised:alone']);
    const [raised] = findings;
    // 15 um beyond the usual offset after 10 days of -1.5 um/day, plus the EWMA's lag and the confirmations.
    expect(raised!.detectedAt).toBeGreaterThan(T0 + 19 * DAY);
    expect(raised!.detectedAt).toBeLessThan(T0 + 24 * DAY);
    expect(raised!.evidence.series).toBe('paired_differences');
    expect(raised!.fault).toBe('sensor');
    expect(raised!.explanation).toMatch(/gauge-a/);
  });

  it('three sensors: only the one departing from the others is blamed', () => {
    const group = new PairedDriftGroup('asset-1', TEMP, tempConfig, 'degC');
    const series = readings(
      TEMP,
      [
        { deviceId: 'logger-1', offset: 0.4, minute: 0 },
        { deviceId: 'logger-2', offset: -0.3, minute: 5, driftPerDay: 0.25 },
        { deviceId: 'logger-3', offset: 0, minute: 11 },
      ],
      40,
      site,
      0.2,
    );
    const findings = run(group, series);
    expect(findings.map(label)).toEqual(['logger-2:sensor_drift:raised:largest']);
    expect(findings[0]!.details?.members).toBe(3);
  });

  it('a large asset: each sensor is compared with its neighbours only, and the drifting one is still found', () => {
    const group = new PairedDriftGroup('pipeline-1', TEMP, tempConfig, 'degC');
    const sensors = Array.from({ length: 30 }, (_, i) => ({
      deviceId: `logger-${String(i).padStart(2, '0')}`,
      offset: ((i % 5) - 2) / 10,
      minute: (i * 7) % 60,
      ...(i === 17 ? { driftPerDay: 0.25 } : {}),
    }));
    const findings = run(group, readings(TEMP, sensors, 40, site, 0.2));
    expect(findings.map(label)).toEqual(['logger-17:sensor_drift:raised:largest']);
    // Compared with its 4 neighbours in device-id order, not with the other 29.
    expect(findings[0]!.details).toMatchObject({ members: 5, partners: 'logger-15, logger-16, logger-18, logger-19' });
  });

  it('a real change of all sensors (coating loss, seasons) is no drift', () => {
    const lossDay = 15;
    const loss = (hour: number) => film(hour) - (hour >= lossDay * 24 ? 120 : 0) - Math.max(0, hour - 20 * 24) / 12;
    const gauges = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    const dft = readings(
      DFT,
      [
        { deviceId: 'gauge-a', offset: 0, minute: 0 },
        { deviceId: 'gauge-b', offset: 4, minute: 20 },
        { deviceId: 'gauge-c', offset: -3, minute: 40 },
      ],
      40,
      loss,
      2,
    );
    expect(run(gauges, dft)).toEqual([]);
    const pair = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    expect(
      run(
        pair,
        dft.filter((r) => r.deviceId !== 'gauge-c'),
      ),
    ).toEqual([]);
    const loggers = new PairedDriftGroup('asset-1', TEMP, tempConfig, 'degC');
    const temp = readings(
      TEMP,
      [
        { deviceId: 'logger-1', offset: 0.4, minute: 0 },
        { deviceId: 'logger-2', offset: -0.3, minute: 5 },
      ],
      60,
      site,
      0.2,
    );
    expect(run(loggers, temp)).toEqual([]);
  });

  it('two sensors whose levels both moved: both raised, saying one of the two drifts', () => {
    const group = new PairedDriftGroup('asset-1', TEMP, tempConfig, 'degC');
    const series = readings(
      TEMP,
      [
        { deviceId: 'logger-1', offset: 0, minute: 0, driftPerDay: 0.25 },
        { deviceId: 'logger-2', offset: 0.5, minute: 5 },
      ],
      40,
      site,
      0.2,
    );
    const findings = run(group, series);
    expect(findings.map(label).sort()).toEqual([
      'logger-1:sensor_drift:raised:one_of_two',
      'logger-2:sensor_drift:raised:one_of_two',
    ]);
    expect(findings[0]!.explanation).toMatch(/one of the two drifts/);
  });

  it('pairs only readings close in time: a partner too far apart, silent or ahead in a backlog is ignored', () => {
    const sensors = [
      { deviceId: 'gauge-a', offset: 0, minute: 0 },
      { deviceId: 'gauge-b', offset: 0, minute: 0, driftPerDay: -3 },
    ];
    // Both read every 6 hours, gauge-b 3 hours after gauge-a (beyond the 2 h skew): nothing pairs.
    const skewed = readings(DFT, sensors, 40, film, 2)
      .filter((r) => (r.ts - T0) % (6 * HOUR) === 0)
      .map((r) => (r.deviceId === 'gauge-b' ? { ...r, ts: r.ts + 3 * HOUR } : r));
    const apart = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    expect(
      run(
        apart,
        skewed.sort((a, b) => a.ts - b.ts),
      ),
    ).toEqual([]);
    expect(apart.snapshot('gauge-a')?.o).toBeNull();
    expect(apart.snapshot('gauge-b')?.o).toBeNull();

    // Lanes a batch apart: each device's readings come a day at a time, gauge-b's day before gauge-a's. Each
    // reading waits for the partner to report up to its time: the same finding as in event-time order.
    const series = readings(DFT, sensors, 40, film, 2);
    const expected = run(new PairedDriftGroup('asset-1', DFT, dftConfig, 'um'), series);
    expect(expected.map(label)).toEqual(['gauge-b:sensor_drift:raised:alone']);
    const byDay = (id: string, day: number) =>
      series.filter((r) => r.deviceId === id && r.ts >= T0 + day * DAY && r.ts < T0 + (day + 1) * DAY);
    const batches = Array.from({ length: 40 }, (_, day) => [...byDay('gauge-b', day), ...byDay('gauge-a', day)]);
    const batched = run(new PairedDriftGroup('asset-1', DFT, dftConfig, 'um'), batches.flat());
    expect(batched.map(label)).toEqual(['gauge-b:sensor_drift:raised:alone']);
    // Found at gauge-b's next batch (its readings waited for gauge-a's day).
    expect(batched[0]!.detectedAt).toBeGreaterThanOrEqual(expected[0]!.detectedAt - DAY);
    expect(batched[0]!.detectedAt).toBeLessThanOrEqual(expected[0]!.detectedAt + DAY);

    // Backlog: gauge-b's 40 days are judged before gauge-a's: only gauge-b's last `recent` readings are still
    // in its ring, so gauge-a's older readings pair with nothing (never with a reading days away).
    const backlog = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    const ahead = [
      ...series.filter((r) => r.deviceId === 'gauge-b'),
      ...series.filter((r) => r.deviceId === 'gauge-a'),
    ];
    expect(run(backlog, ahead)).toEqual([]);
    const paired = backlog.snapshot('gauge-a')!.w;
    expect(paired.v.length).toBeGreaterThan(0);
    expect(paired.t[0]).toBeGreaterThanOrEqual(T0 + 40 * DAY - (dftConfig.recent + 2) * HOUR);

    // A partner silent for days: its last reading is not used; pairing resumes when it reports again.
    const gap = series.filter((r) => r.deviceId === 'gauge-a' || r.ts < T0 + 12 * DAY || r.ts > T0 + 30 * DAY);
    const silent = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    const found = run(silent, gap);
    expect(found.map(label)).toEqual(['gauge-b:sensor_drift:raised:alone']);
    expect(found[0]!.detectedAt).toBeGreaterThan(T0 + 30 * DAY);
  });

  it('spikes of one sensor are no drift (each pair counts at most 2 limits)', () => {
    const group = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    const series = readings(
      DFT,
      [
        { deviceId: 'gauge-a', offset: 0, minute: 0 },
        { deviceId: 'gauge-b', offset: 5, minute: 10 },
      ],
      40,
      film,
      2,
    ).map((r, i) =>
      r.deviceId === 'gauge-b' && r.ts > T0 + 10 * DAY && i % 10 === 1 ? { ...r, value: r.value * 3 } : r,
    );
    expect(run(group, series)).toEqual([]);
  });

  it('a stuck sensor is neither judged nor a reference for its partner (sensor_stuck speaks for it)', () => {
    const group = new PairedDriftGroup('asset-1', TEMP, tempConfig, 'degC');
    const series = readings(
      TEMP,
      [
        { deviceId: 'logger-1', offset: 0, minute: 0 },
        { deviceId: 'logger-2', offset: 0.5, minute: 5 },
      ],
      40,
      site,
      0.2,
    ).map((r) => (r.deviceId === 'logger-2' && r.ts > T0 + 10 * DAY ? { ...r, value: 14.2 } : r));
    expect(run(group, series)).toEqual([]);
  });

  it('takes a reading per quarter of an hour at most: a fast-sampling sensor costs no more, its drift is still found', () => {
    const group = new PairedDriftGroup('asset-1', TEMP, tempConfig, 'degC');
    // One hour of a logger reading every minute: the group keeps those at 0, 15, 30 and 45 min.
    for (let i = 0; i < 60; i++)
      group.update({ deviceId: 'logger-1', metric: TEMP, ts: T0 + i * 60_000, value: 12 + i });
    expect(group.snapshot('logger-1')?.r.v).toEqual([12, 27, 42, 57]);

    const fast = new PairedDriftGroup('asset-2', TEMP, tempConfig, 'degC');
    const sensors = [
      { deviceId: 'logger-1', offset: 0.4, seed: 1 },
      { deviceId: 'logger-2', offset: -0.3, seed: 2, driftPerDay: 0.25 },
      { deviceId: 'logger-3', offset: 0, seed: 3 },
    ];
    const series = sensors
      .flatMap((x, n) =>
        makeSeries({
          deviceId: x.deviceId,
          metric: TEMP,
          start: T0 + n * 20_000,
          intervalMs: 60_000,
          count: 40 * 24 * 60,
          value: (_i, t) =>
            site((t - T0) / HOUR) + x.offset + (Math.max(0, t - T0 - 10 * DAY) / DAY) * (x.driftPerDay ?? 0),
          noise: 0.2,
          seed: 200 + x.seed,
        }),
      )
      .sort((a, b) => a.ts - b.ts);
    expect(run(fast, series).map(label)).toEqual(['logger-2:sensor_drift:raised:largest']);
  });

  it('readings of a member at or before its last one are ignored', () => {
    const group = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    const a = { deviceId: 'gauge-a', metric: DFT, ts: T0 + HOUR, value: 300 };
    group.update(a);
    group.update({ ...a, ts: T0, value: 10 });
    expect(group.snapshot('gauge-a')?.r.v).toEqual([300]);
  });

  it('snapshot / restore (members in any order) continues exactly as without a restart', () => {
    const sensors = [
      { deviceId: 'logger-1', offset: 0.4, minute: 0 },
      { deviceId: 'logger-2', offset: -0.3, minute: 5, driftPerDay: 0.25 },
      { deviceId: 'logger-3', offset: 0, minute: 11 },
    ];
    const series = readings(TEMP, sensors, 40, site, 0.2);
    const expected = run(new PairedDriftGroup('asset-1', TEMP, tempConfig, 'degC'), series);
    expect(expected.length).toBeGreaterThan(0);
    for (const cutDay of [0.5, 1.5, 3, 19]) {
      const cut = series.findIndex((r) => r.ts >= T0 + cutDay * DAY);
      const first = new PairedDriftGroup('asset-1', TEMP, tempConfig, 'degC');
      const before = run(first, series.slice(0, cut));
      const second = new PairedDriftGroup('asset-1', TEMP, tempConfig, 'degC');
      for (const id of ['logger-3', 'logger-1', 'logger-2']) {
        const snapshot = first.snapshot(id);
        if (snapshot) second.restore(id, JSON.parse(JSON.stringify(snapshot)));
      }
      const after = run(second, series.slice(cut));
      expect([...before, ...after]).toEqual(expected);
    }
  });

  it("judges a member with its device's sensitivity: a lowered one wants a larger, longer deviation", () => {
    const sensors = [
      { deviceId: 'gauge-a', offset: 0, minute: 0 },
      { deviceId: 'gauge-b', offset: 6, minute: 7, driftPerDay: -1.5 },
      { deviceId: 'gauge-c', offset: -4, minute: 12 },
    ];
    const series = readings(DFT, sensors, 40, film, 2);
    const raisedAt = (sensitivity: number) => {
      const group = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
      const found = series.flatMap((r) => group.update(r, r.deviceId === 'gauge-b' ? sensitivity : 1));
      return found.filter((f) => f.phase === 'raised');
    };
    const normal = raisedAt(1);
    expect(normal.map(label)).toEqual(['gauge-b:sensor_drift:raised:largest']);
    expect(normal[0]!.details).toMatchObject({ limit: 15, sensitivity: 1 });
    // After false positives (0.5): limit 30 um, 12 confirmations: 10 more days of -1.5 um/day.
    const lowered = raisedAt(0.5);
    expect(lowered.map(label)).toEqual(['gauge-b:sensor_drift:raised:largest']);
    expect(lowered[0]!.details).toMatchObject({ limit: 30, sensitivity: 0.5 });
    expect(lowered[0]!.detectedAt - normal[0]!.detectedAt).toBeGreaterThan(9 * DAY);
    expect(lowered[0]!.explanation).toMatch(/limit 30/);
    // Out of the clamp's range: as its other detectors, at most 4x and at least 0.25x.
    expect(raisedAt(0.01)).toEqual([]);
  });

  it('keeps differences to a thousandth of the limit, so a member state stays short', () => {
    const sensors = [
      { deviceId: 'gauge-a', offset: 0, minute: 0 },
      { deviceId: 'gauge-b', offset: 6, minute: 7 },
      { deviceId: 'gauge-c', offset: -4, minute: 12 },
    ];
    const group = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    run(group, readings(DFT, sensors, 5, film, 2.345678));
    for (const { deviceId } of sensors) {
      const snapshot = group.snapshot(deviceId)!;
      expect(snapshot.w.v.length).toBe(dftConfig.warmup);
      // Limit 15 um: a step of 0.01 um (a power of ten at most limit / 1000).
      for (const d of snapshot.w.v) expect(Math.abs(Math.round(d * 100) - d * 100)).toBeLessThan(1e-6);
      for (const d of snapshot.w.v) expect(String(d)).toMatch(/^-?\d+(\.\d{1,2})?$/);
      // The warm-up sums are not needed once the offset is learnt.
      expect(snapshot.s[3]).toBe(0);
      // 48 readings of its own (about 7 characters each), 24 differences of at most 6, a few scalars.
      expect(JSON.stringify(snapshot).length).toBeLessThan(1000);
    }
  });

  it('a member restored with offsets of another generation learns again instead of mixing them', () => {
    const sensors = [
      { deviceId: 'gauge-a', offset: 0, minute: 0 },
      { deviceId: 'gauge-b', offset: 30, minute: 7 },
    ];
    const series = readings(DFT, sensors, 20, film, 2);
    const old = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    run(old, series.slice(0, 10 * 24 * 2));
    const stale = old.snapshot('gauge-b')!;
    expect(stale.o).not.toBeNull();
    // gauge-a lost its state; a new gauge-c joins: a and c learn a new generation, then b's old state comes.
    const group = new PairedDriftGroup('asset-1', DFT, dftConfig, 'um');
    const fresh = readings(DFT, [sensors[0]!, { deviceId: 'gauge-c', offset: -40, minute: 30 }], 20, film, 2);
    run(group, fresh.slice(0, 5 * 24 * 2));
    expect(group.snapshot('gauge-c')?.o).not.toBeNull();
    group.restore('gauge-b', stale);
    expect(group.snapshot('gauge-b')?.o).toBeNull();
  });
});
