import { type Scenario, scenarioStartMs } from '../scenario/scenario-schema.js';
import { AssetPhysics, NATURAL_CAUSE, PHYSICS_STEP_MS } from './asset-physics.js';
import { badPayload, BAD_PAYLOAD_KINDS, type BadPayloadKind } from './bad-payloads.js';
import { DeviceModel, type WireReading } from './device-model.js';
import { EventQueue } from './event-queue.js';
import type { FaultKind } from './fault-kinds.js';
import { type FaultPlan, planFaults, type PlannedFault } from './fault-plan.js';
import { type Fleet, generateFleet } from './fleet.js';
import { Rng } from './random.js';
import { DAY_MS, HOUR_MS } from './time.js';

/** What the simulated customer tells the service desk (sent through the customer API once it exists). */
export interface CustomerFaultReport {
  readonly faultId: string;
  readonly kind: FaultKind | 'coating_end_of_life';
  readonly deviceId: string;
  readonly assetKey: string;
  /** Event time the failure became noticeable. */
  readonly failureAt: number;
  /** Event time of the report. */
  readonly reportAt: number;
  readonly description: string;
}

/** What the transport does, in event-time order. */
export type SimEvent =
  | {
      readonly type: 'message';
      readonly at: number;
      readonly deviceIndex: number;
      /** The MQTT payload, already encoded. */
      readonly payload: string;
      /** Readings (timestamped records) and metric values in it; 0 for a bad payload. */
      readonly readings: number;
      readonly values: number;
      readonly bad: BadPayloadKind | null;
    }
  | { readonly type: 'offline'; readonly at: number; readonly deviceIndex: number }
  | { readonly type: 'online'; readonly at: number; readonly deviceIndex: number }
  | { readonly type: 'customer_report'; readonly at: number; readonly report: CustomerFaultReport };

/** How each fault (injected, or an asset wearing out by itself) played out. */
export interface FaultOutcome {
  readonly id: string;
  readonly kind: FaultKind | 'coating_end_of_life';
  readonly injected: boolean;
  readonly assetIndex: number;
  readonly deviceIndex: number;
  readonly startAt: number;
  /** When the owner could notice it, if within the run. */
  failureAt: number | null;
  /**
   * No failure within the run: when it would have come had the run gone on (the hidden physics carried on without
   * readings, or the planned end of a sensor), after `projectFailures`; null if not within its horizon.
   */
  projectedFailureAt: number | null;
  /** When the simulated customer reports it (may fall after the end of the run). */
  customerReportAt: number | null;
}

export interface BadPayloadRecord {
  readonly deviceIndex: number;
  readonly at: number;
  readonly kind: BadPayloadKind;
}

export interface SimulationCounters {
  /** Good readings taken (records with a timestamp), including any still in an offline backlog. */
  readings: number;
  values: number;
  /** Messages handed to the transport, good and bad. */
  messages: number;
  goodMessages: number;
  badPayloads: number;
  /** Readings taken but still in a device's offline backlog at the end of the run. */
  backlogAtEnd: number;
  customerReports: number;
  /** Event time reached. */
  now: number;
}

export interface SimulationSetup {
  readonly scenario: Scenario;
  /** Prepended to every device id, so that several runs can share one gateway. */
  readonly idPrefix: string;
}

type Entry =
  | { readonly at: number; readonly type: 'tick' }
  | { readonly at: number; readonly type: 'sample'; readonly device: number }
  | { readonly at: number; readonly type: 'offline'; readonly device: number }
  | { readonly at: number; readonly type: 'online'; readonly device: number }
  | { readonly at: number; readonly type: 'report'; readonly outcome: FaultOutcome };

/**
 * The whole virtual fleet in event time: fleet, fault plan, physics, sensors, offline backlogs, bad
 * payloads and customer reports, as one deterministic stream of events. No I/O, no wall clock.
 */
export class Simulation {
  readonly startMs: number;
  readonly endMs: number;
  readonly fleet: Fleet;
  readonly plan: FaultPlan;
  readonly scenario: Scenario;
  readonly outcomes: FaultOutcome[] = [];
  readonly badPayloads: BadPayloadRecord[] = [];
  readonly counters: SimulationCounters = {
    readings: 0,
    values: 0,
    messages: 0,
    goodMessages: 0,
    badPayloads: 0,
    backlogAtEnd: 0,
    customerReports: 0,
    now: 0,
  };
  private readonly physics: AssetPhysics[];
  private readonly devices: DeviceModel[];
  private readonly payloadRngs: Rng[];
  private readonly queue = new EventQueue<Entry>();
  private readonly outcomeById = new Map<string, FaultOutcome>();
  private readonly naturalRng: Rng;
  private started = false;

  constructor(private readonly setup: SimulationSetup) {
    this.scenario = setup.scenario;
    const s = setup.scenario;
    this.startMs = scenarioStartMs(s);
    this.endMs = this.startMs + Math.round(s.days * DAY_MS);
    this.counters.now = this.startMs;
    this.fleet = generateFleet({
      seed: s.seed,
      idPrefix: setup.idPrefix,
      startMs: this.startMs,
      endMs: this.endMs,
      fleet: s.fleet,
      transport: s.transport,
    });
    this.plan = planFaults(this.fleet, {
      seed: s.seed,
      startMs: this.startMs,
      endMs: this.endMs,
      faults: s.faults,
      customers: s.customers,
    });
    const assetFault = new Map<number, PlannedFault>();
    const deviceFault = new Map<number, PlannedFault>();
    for (const f of this.plan.faults) {
      if (f.scope === 'asset') assetFault.set(f.assetIndex, f);
      else deviceFault.set(f.deviceIndex, f);
      const outcome: FaultOutcome = {
        id: f.id,
        kind: f.kind,
        injected: true,
        assetIndex: f.assetIndex,
        deviceIndex: f.deviceIndex,
        startAt: f.startAt,
        failureAt: null,
        projectedFailureAt: null,
        customerReportAt: null,
      };
      this.outcomes.push(outcome);
      this.outcomeById.set(f.id, outcome);
    }
    this.naturalRng = Rng.fork(s.seed, 'natural-reports');
    this.physics = this.fleet.assets.map(
      (a) =>
        new AssetPhysics(a, assetFault.get(a.index), s.seed, this.startMs, {
          naturalBreakdown: (at) => this.naturalBreakdown(a.index, at),
          failure: (cause, at) => this.failure(cause === NATURAL_CAUSE ? `n${a.key}` : cause, at),
        }),
    );
    this.devices = this.fleet.devices.map((d) => new DeviceModel(d, deviceFault.get(d.index), s.seed, this.startMs));
    this.payloadRngs = this.fleet.devices.map((d) => Rng.fork(s.seed, 'payload', d.index));
  }

  /** Planned faults by id. */
  fault(id: string): PlannedFault | undefined {
    return this.plan.faults.find((f) => f.id === id);
  }

  /** The event stream, in event-time order. Can be consumed once. */
  *events(): Generator<SimEvent, void, undefined> {
    if (this.started) throw new Error('a Simulation runs once; create a new one');
    this.started = true;
    const q = this.queue;
    const end = this.endMs;
    q.push({ at: this.startMs + PHYSICS_STEP_MS, type: 'tick' });
    for (const model of this.devices) {
      if (model.firstSampleAt < end) q.push({ at: model.firstSampleAt, type: 'sample', device: model.device.index });
    }
    for (const f of this.plan.faults) {
      if (f.params.kind === 'offline') {
        q.push({ at: f.startAt, type: 'offline', device: f.deviceIndex });
        const back = f.startAt + Math.round(f.params.durationDays * DAY_MS);
        if (back < end) q.push({ at: back, type: 'online', device: f.deviceIndex });
      }
      if (f.plannedFailureAt !== null && f.plannedFailureAt < end) this.failure(f.id, f.plannedFailureAt);
    }

    for (let entry = q.pop(); entry !== undefined; entry = q.pop()) {
      this.counters.now = entry.at;
      switch (entry.type) {
        case 'tick':
          for (const p of this.physics) p.advanceTo(entry.at);
          if (entry.at + PHYSICS_STEP_MS <= end) q.push({ at: entry.at + PHYSICS_STEP_MS, type: 'tick' });
          break;
        case 'sample': {
          const model = this.devices[entry.device]!;
          const physics = this.physics[model.device.assetIndex]!;
          physics.advanceTo(entry.at);
          const reading = model.sample(entry.at, physics.read(entry.at));
          const next = entry.at + model.intervalMs;
          if (!model.dead && next < end) q.push({ at: next, type: 'sample', device: entry.device });
          if (reading === null) break;
          this.counters.readings++;
          this.counters.values += Object.keys(reading.metrics).length;
          if (model.offline) model.backlog.push(reading);
          else yield* this.send(entry.device, entry.at, [reading]);
          break;
        }
        case 'offline':
          this.devices[entry.device]!.offline = true;
          yield { type: 'offline', at: entry.at, deviceIndex: entry.device };
          break;
        case 'online': {
          const model = this.devices[entry.device]!;
          model.offline = false;
          yield { type: 'online', at: entry.at, deviceIndex: entry.device };
          // Loggers upload their backlog oldest first, in messages of up to uploadBatchSize readings.
          const backlog = model.backlog.splice(0);
          const size = this.setup.scenario.transport.uploadBatchSize;
          for (let i = 0; i < backlog.length; i += size) {
            yield* this.send(entry.device, entry.at, backlog.slice(i, i + size));
          }
          break;
        }
        case 'report':
          this.counters.customerReports++;
          yield { type: 'customer_report', at: entry.at, report: this.report(entry.outcome, entry.at) };
          break;
      }
    }
    this.counters.now = end;
    this.counters.backlogAtEnd = this.devices.reduce((n, d) => n + d.backlog.length, 0);
  }

  private *send(deviceIndex: number, at: number, readings: WireReading[]): Generator<SimEvent, void, undefined> {
    const rate = this.setup.scenario.transport.badPayloadRate;
    if (rate > 0) {
      // A geometric number of bad messages before each good one: bad / all messages = rate on average.
      const rng = this.payloadRngs[deviceIndex]!;
      while (rng.chance(rate)) {
        const kind = rng.pick(BAD_PAYLOAD_KINDS);
        this.counters.messages++;
        this.counters.badPayloads++;
        this.badPayloads.push({ deviceIndex, at, kind });
        yield {
          type: 'message',
          at,
          deviceIndex,
          payload: badPayload(kind, readings[0]!.ts, rng),
          readings: 0,
          values: 0,
          bad: kind,
        };
      }
    }
    let values = 0;
    for (const r of readings) values += Object.keys(r.metrics).length;
    this.counters.messages++;
    this.counters.goodMessages++;
    yield {
      type: 'message',
      at,
      deviceIndex,
      payload: JSON.stringify(readings.length === 1 ? readings[0] : readings),
      readings: readings.length,
      values,
      bad: null,
    };
  }

  /**
   * After the run: carries the hidden physics of every faulty asset on (no readings, no reports) until the fault
   * would have become noticeable, at most `horizonMs` past the end, so that the lead time of a slow fault that
   * fails after the run can still be measured. Sensor faults with a planned failure take that instant.
   */
  projectFailures(horizonMs: number): void {
    const limit = this.endMs + horizonMs;
    for (const f of this.plan.faults) {
      const outcome = this.outcomeById.get(f.id);
      if (outcome === undefined || outcome.failureAt !== null || outcome.projectedFailureAt !== null) continue;
      if (f.scope === 'sensor') {
        if (f.plannedFailureAt !== null && f.plannedFailureAt < limit) outcome.projectedFailureAt = f.plannedFailureAt;
        continue;
      }
      const physics = this.physics[f.assetIndex]!;
      while (outcome.projectedFailureAt === null && physics.time < limit) {
        physics.advanceTo(Math.min(limit, physics.time + DAY_MS));
      }
    }
  }

  private naturalBreakdown(assetIndex: number, at: number): void {
    // A coating wearing out after the run (while failures are projected) is not part of this run.
    if (at >= this.endMs) return;
    const asset = this.fleet.assets[assetIndex]!;
    const observer = asset.deviceIndexes[0]!;
    const outcome: FaultOutcome = {
      id: `n${asset.key}`,
      kind: 'coating_end_of_life',
      injected: false,
      assetIndex,
      deviceIndex: observer,
      startAt: at,
      failureAt: null,
      projectedFailureAt: null,
      customerReportAt: null,
    };
    this.outcomes.push(outcome);
    this.outcomeById.set(outcome.id, outcome);
  }

  /** A failure became noticeable: the customer will report it some hours or days later. */
  private failure(id: string, at: number): void {
    const outcome = this.outcomeById.get(id);
    if (outcome === undefined || outcome.failureAt !== null) return;
    if (at >= this.endMs) {
      outcome.projectedFailureAt ??= at;
      return;
    }
    outcome.failureAt = at;
    const delay =
      this.fault(id)?.reportDelayMs ??
      Math.round(this.naturalRng.between(this.setup.scenario.customers.reportDelayHours) * HOUR_MS);
    outcome.customerReportAt = Math.max(at + delay, this.counters.now);
    if (outcome.customerReportAt < this.endMs)
      this.queue.push({ at: outcome.customerReportAt, type: 'report', outcome });
  }

  private report(outcome: FaultOutcome, at: number): CustomerFaultReport {
    const device = this.fleet.devices[outcome.deviceIndex]!;
    const asset = this.fleet.assets[outcome.assetIndex]!;
    return {
      faultId: outcome.id,
      kind: outcome.kind,
      deviceId: device.id,
      assetKey: asset.key,
      failureAt: outcome.failureAt!,
      reportAt: at,
      description: `${asset.name}: ${CUSTOMER_WORDS[outcome.kind]}`,
    };
  }
}

/** How a customer describes what they see. */
const CUSTOMER_WORDS: Readonly<Record<FaultKind | 'coating_end_of_life', string>> = {
  coating_damage: 'coating damaged, bare steel and rust visible',
  accelerated_degradation: 'coating chalking and flaking far too early, rust spots',
  corrosion_onset: 'rust bleeding from under the coating',
  cp_failure: 'cathodic protection reads unprotected in our survey',
  stuck_value: 'the sensor shows the same value for days',
  spikes: 'the sensor shows impossible jumps',
  drift: 'the sensor readings look wrong compared with our hand gauge',
  dropout: 'no data from the sensor since yesterday',
  offline: 'the logger is not reporting',
  battery_depletion: 'the logger is dead',
  coating_end_of_life: 'coating worn out, rust appearing',
};
