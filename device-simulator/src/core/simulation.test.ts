import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeTelemetry } from '#telemetry';
import { parseScenario, type ScenarioInput } from '../scenario/scenario-schema.js';
import { collect } from '../testing/series.js';
import { groundTruth } from './ground-truth.js';
import { Simulation } from './simulation.js';
import { DAY_MS } from './time.js';

const base: ScenarioInput = {
  name: 'sim',
  seed: 3,
  start: '2025-01-01',
  days: 30,
  fleet: { devices: 20, samplingIntervalS: [1800, 3600] },
  faults: { assetFaultRate: 0.3, sensorFaultRate: 0.3 },
};
const scenario = (over: Partial<ScenarioInput> = {}) => parseScenario({ ...base, ...over }, 'test');

/** A digest of the whole event stream: same digest, same run. */
function digest(sim: Simulation): string {
  const h = createHash('sha256');
  for (const e of sim.events()) h.update(JSON.stringify(e));
  return h.digest('hex');
}

describe('Simulation', () => {
  it('is deterministic: the same seed gives the same fleet, faults and series', () => {
    const a = new Simulation({ scenario: scenario(), idPrefix: 'x-' });
    const b = new Simulation({ scenario: scenario(), idPrefix: 'x-' });
    expect(b.fleet).toEqual(a.fleet);
    expect(b.plan).toEqual(a.plan);
    expect(digest(b)).toBe(digest(a));
    expect(b.outcomes).toEqual(a.outcomes);
  });

  it('changes with the seed', () => {
    const a = new Simulation({ scenario: scenario(), idPrefix: 'x-' });
    const b = new Simulation({ scenario: scenario({ seed: 4 }), idPrefix: 'x-' });
    expect(digest(b)).not.toBe(digest(a));
  });

  it('keeps every series when bad payloads are added or the id prefix changes', () => {
    const series = (bad: number, prefix: string) => {
      const run = collect(
        new Simulation({ scenario: scenario({ transport: { badPayloadRate: bad } }), idPrefix: prefix }),
      );
      return [...run.byDevice.values()].map((rs) => rs.map((r) => [r.ts, r.seq, r.metrics]));
    };
    const clean = series(0, 'x-');
    expect(series(0.2, 'x-')).toEqual(clean);
    expect(series(0, 'other-prefix-')).toEqual(clean);
  });

  it('sends the asked fraction of bad payloads, each one rejected by the gateway decoder for its reason', () => {
    const sim = new Simulation({ scenario: scenario({ transport: { badPayloadRate: 0.1 } }), idPrefix: 'x-' });
    const now = Date.UTC(2026, 0, 1);
    let bad = 0;
    let good = 0;
    const wrong: string[] = [];
    for (const e of sim.events()) {
      if (e.type !== 'message') continue;
      const result = decodeTelemetry(Buffer.from(e.payload), {
        deviceId: sim.fleet.devices[e.deviceIndex]!.id,
        receivedAt: now,
        now,
      });
      if (e.bad === null) {
        good++;
        if (result.rejections.length > 0 || result.readings.length !== e.values) wrong.push(e.payload);
      } else {
        bad++;
        const reasons = result.rejections.map((r) => r.reason);
        if (result.readings.length > 0 || reasons.length !== 1 || reasons[0] !== e.bad)
          wrong.push(`${e.bad}: ${e.payload}`);
      }
    }
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(bad).toBe(sim.counters.badPayloads);
    expect(bad / (bad + good)).toBeGreaterThan(0.08);
    expect(bad / (bad + good)).toBeLessThan(0.12);
  });

  it('stamps each device with strictly increasing timestamps inside the run, numbered without gaps', () => {
    const run = collect(new Simulation({ scenario: scenario(), idPrefix: 'x-' }));
    const { startMs, endMs } = run.sim;
    for (const readings of run.byDevice.values()) {
      const byTs = readings.slice().sort((a, b) => a.ts - b.ts);
      for (let i = 1; i < byTs.length; i++) {
        expect(byTs[i]!.ts).toBeGreaterThan(byTs[i - 1]!.ts);
        expect(byTs[i]!.seq).toBe(byTs[i - 1]!.seq + 1);
      }
      expect(byTs[0]!.ts).toBeGreaterThan(startMs - 5 * 60_000);
      expect(byTs[byTs.length - 1]!.ts).toBeLessThan(endMs + 5 * 60_000);
    }
  });

  it('emits events in event-time order, and each message at or after the readings it carries', () => {
    const run = collect(new Simulation({ scenario: scenario(), idPrefix: 'x-' }));
    for (let i = 1; i < run.events.length; i++) expect(run.events[i]!.at).toBeGreaterThanOrEqual(run.events[i - 1]!.at);
    for (const readings of run.byDevice.values()) {
      for (const r of readings) expect(r.sentAt).toBeGreaterThanOrEqual(r.ts - 5 * 60_000);
    }
  });

  it('keeps most devices healthy at the default rates, so false alarms can be counted', () => {
    const sim = new Simulation({
      scenario: parseScenario({ ...base, days: 90, fleet: { devices: 300 }, faults: {} }, 'test'),
      idPrefix: 'x-',
    });
    const touched = new Set<number>();
    for (const f of sim.plan.faults) {
      if (f.scope === 'asset') for (const d of sim.fleet.assets[f.assetIndex]!.deviceIndexes) touched.add(d);
      else touched.add(f.deviceIndex);
    }
    expect(sim.plan.faults.length).toBeGreaterThan(5);
    expect(touched.size / sim.fleet.devices.length).toBeLessThan(0.3);
  });

  it('schedules a customer report some hours to days after each failure, and emits those within the run', () => {
    const sim = new Simulation({ scenario: scenario(), idPrefix: 'x-' });
    const reports = [...sim.events()].filter((e) => e.type === 'customer_report');
    const failed = sim.outcomes.filter((o) => o.failureAt !== null);
    expect(failed.length).toBeGreaterThan(3);
    for (const o of failed) {
      const delay = o.customerReportAt! - o.failureAt!;
      expect(delay).toBeGreaterThanOrEqual(2 * 3600_000);
      expect(delay).toBeLessThanOrEqual(3 * DAY_MS);
    }
    expect(reports.map((r) => (r.type === 'customer_report' ? r.report.faultId : '')).sort()).toEqual(
      failed
        .filter((o) => o.customerReportAt! < sim.endMs)
        .map((o) => o.id)
        .sort(),
    );
  });
});

describe('Simulation over the life of a coating', () => {
  it('records assets that wear out by themselves as not injected, with their failure and report', () => {
    const sim = new Simulation({
      scenario: parseScenario(
        {
          name: 'ageing',
          seed: 8,
          start: '2020-01-01',
          days: 6 * 365,
          fleet: {
            devices: 8,
            samplingIntervalS: 86_400,
            durability: { L: 1 },
            corrosivity: { C4: 1 },
            cathodicProtection: 'none',
          },
          faults: { assetFaultRate: 0, sensorFaultRate: 0 },
        },
        'test',
      ),
      idPrefix: 'age-',
    });
    for (const _ of sim.events()) {
      // run to the end
    }
    const worn = sim.outcomes.filter((o) => o.kind === 'coating_end_of_life');
    expect(worn.length).toBeGreaterThan(0);
    for (const o of worn) expect(o.injected).toBe(false);
    // Breakdown first, visible rust later (if still within the run), then the customer's call.
    const rusted = worn.filter((o) => o.failureAt !== null);
    expect(rusted.length).toBeGreaterThan(0);
    for (const o of rusted) {
      expect(o.failureAt!).toBeGreaterThan(o.startAt);
      expect(o.customerReportAt!).toBeGreaterThan(o.failureAt!);
    }
    const truth = groundTruth(sim, undefined, new Map());
    const line = truth.find((r) => r.type === 'fault' && r.kind === 'coating_end_of_life');
    expect(line).toMatchObject({ injected: false, scope: 'asset', customerReport: 'recorded' });
    const asset = sim.fleet.assets[worn[0]!.assetIndex]!;
    for (const i of asset.deviceIndexes) {
      expect(truth.find((r) => r.type === 'device' && r.deviceId === sim.fleet.devices[i]!.id)).toMatchObject({
        healthy: false,
      });
    }
  });
});
