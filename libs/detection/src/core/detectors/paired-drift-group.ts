/**
 * Sensor health, drift against paired sensors: the sensors of one metric on one asset (two DFT gauges on one
 * film, the temperature of every logger on a site). They see the same film and the same site climate, so a
 * real change (coating loss, a weather front, the seasons) moves all of them, while a drifting sensor moves
 * alone. Each member's reading, less its learnt offset, is compared with the median of the other members'
 * readings closest in time (less theirs); an EWMA (time constant `tauMs`, each pair clipped at `clip` limits)
 * of that deviation beyond `limit` for `confirm` readings is drift on that member, cleared below half the limit.
 *
 * Offsets: the members' offsets are learnt against one reference so that corrected readings agree. The first
 * member to learn (the anchor: the lowest device id among the members present while none has learnt) learns
 * its offset against the others' raw readings; every other member learns against the members already learnt
 * (median of `warmup` differences). A member restored with another anchor than the group's (state lost on some
 * members) learns again, so offsets from two references are never mixed.
 *
 * Who is blamed:
 * - 3 or more members: the member whose deviation is the largest among those it was compared with, judged on
 *   where they read now (median of their last `confirm` pair differences, unclipped). With 3 members, the
 *   median of the 2 others moves by half a drift, so the healthy two see half the drifting one's deviation,
 *   never more.
 * - A deviation that came within hours rather than days is raised as `sudden` (`suddenRatio`): a sensor that
 *   jumped, or a change under it alone (the film damaged under one gauge), not a drift to recalibrate.
 * - 2 members: the difference alone cannot tell which one drifts. A member is blamed alone when its partner's
 *   level stayed near its level at learning (within half the limit, or a third of the deviation) and its own
 *   level change explains the deviation (same direction, at least three quarters of it). Otherwise a real
 *   change moved under the drift (seasons, weather, the CP potential) and both are raised, the explanation
 *   saying one of the two drifts: the healthy one then carries a false alert, rather than the drift none.
 * - A stuck member (`stuckRun` identical readings) is neither judged nor a reference: `sensor_stuck` speaks
 *   for it, and its healthy partner must not look like the one moving.
 *
 * Ordering: each member's readings are taken in its own event-time order (equal or earlier times of a member
 * are ignored); members arrive in any order (independent lanes, backlogs). Each member keeps its last `recent`
 * readings; a reading is judged against the others' readings closest to it in time within `maxSkewMs`, once
 * every other member has reported up to its time (or has been silent for `waitMs` before it), so a partner
 * whose lane is a batch behind is waited for instead of missed. A reading that finds no partner stays pending
 * until it leaves the member's ring, then it is dropped: what cannot be paired is ignored, never mis-paired.
 * Cost per reading is O(neighbours x log recent) once the group has learnt (`neighbours`, default 4: the whole
 * group up to 5 members), memory per member two small rings and a
 * few scalars.
 */
import { median } from 'simple-statistics';
import { ensureCapacity, medianInPlace } from '../order-stats.js';
import { ConfirmedCondition, type ConditionSnapshot } from '../condition.js';
import { clampSensitivity, scaledCount } from '../config.js';
import { RingBuffer, type RingSnapshot } from '../ring-buffer.js';
import { roundSig } from '../robust-stats.js';
import { excessScore } from '../scoring.js';
import { formatTime, formatValue } from '../stream-context.js';
import type { Finding, ObservedReading } from '../types.js';

/**
 * Drift limits of the metrics an asset's sensors share (instrument tolerances, project defaults): how far a
 * sensor may read from the others, beyond their usual offset, before it is drifting.
 */
export const DEFAULT_DRIFT_LIMITS: Readonly<Record<string, number>> = {
  coating_thickness_um: 15,
  cp_potential_mv: 50,
  temperature_c: 2,
  humidity_pct: 8,
  corrosion_rate_mm_y: 0.02,
};

export interface PairedGroupConfig {
  /** Deviation from the learnt offset that counts as drift, metric unit (`DEFAULT_DRIFT_LIMITS`). */
  readonly limit: number;
  /** Readings of two members pair up when at most this far apart in event time. Default 2 h. */
  readonly maxSkewMs: number;
  /** Pairs a member learns its offset from. Default 24. */
  readonly warmup: number;
  /**
   * Time constant of the EWMA of the deviation (and of each member's level), event time. Default 1 day: a
   * daily cycle seen a little apart in time by two sensors (temperature, humidity) averages out, while a
   * drift (days to weeks) shows with about a day's lag. In time rather than per reading, so sampling
   * intervals do not change it.
   */
  readonly tauMs: number;
  /** A pair's deviation counts at most this many limits: a spike of one sensor moves the average little. */
  readonly clip: number;
  /** Consecutive readings beyond the limit that raise, within half of it that clear. Default 6. */
  readonly confirm: number;
  readonly clearConfirm: number;
  /**
   * Own readings a member keeps for the others to pair with, and while waiting for them: how far (in readings)
   * the lanes of an asset's devices may drift apart without losing pairs. Default 48 (2 days of hourly readings;
   * of a longer backlog only the last `recent` readings pair). Before ring values were written as integer
   * differences (`RingSnapshot`), 96 made a member's state 1.25 KB; 48 about 0.9 KB (0.75 KB since). 32
   * (0.75 KB then) cost the evaluation's default seeds 2 more false drift alerts and 1 false work order:
   * readings forced out of a shorter ring are judged against partners that lag behind.
   */
  readonly recent: number;
  /** A member silent this long before a reading's time is not waited for. Default 1 day. */
  readonly waitMs: number;
  /**
   * A member whose last `stuckRun` readings are identical is stuck (`sensor_stuck` speaks for it): it is
   * neither judged nor anyone's reference, so its healthy partner is not blamed for moving. Default 12.
   */
  readonly stuckRun: number;
  /**
   * Members a reading is compared with (and waits for): its `neighbours` nearest in device-id order, half on
   * each side, around the circle of members. Default 4: up to 5 members every member is compared with all the
   * others; a larger asset (a pipeline with 200 loggers) costs O(neighbours) per reading, not O(members).
   */
  readonly neighbours: number;
  /**
   * A member's reading closer than this in event time to its previous one taken is not taken (nor kept for
   * the others). Default 15 min. Drift is a matter of days (`tauMs`): a device sampling faster, or a backlog
   * replayed second by second, adds nothing a reading every quarter of an hour does not show, and would pay
   * the pairing for each (the ingest benchmark's devices send one reading a second). Hourly sensors (the
   * default sampling) are not affected.
   */
  readonly minSpacingMs: number;
  /**
   * A deviation is raised as sudden when its last `confirm` pair differences are (median) more than this many
   * times its EWMA: the sensor moved within hours, not days (`details.onset`). A drift is a matter of days: at
   * its raise its latest differences lead the EWMA by about its rate x `tauMs`, under twice the limit for a
   * drift of up to a limit a day (the simulator's fastest: 90 um of DFT in 4 days, 200 mV of CP in 4 days, at
   * most 2.5 times). A step does not: a film damaged under one gauge of three (55 - 90 % of it gone, 140 um and
   * more) reads its whole step at once while the EWMA, each pair clipped at `clip` limits, has just reached the
   * limit. A sudden deviation is not a drift to be trusted: the alert says so, and the device's own asset-fault
   * alerts are not attributed to it (alerts/drift-attribution.ts). Default 3.
   */
  readonly suddenRatio: number;
}

export const DEFAULT_PAIRED_GROUP: Omit<PairedGroupConfig, 'limit'> = {
  maxSkewMs: 2 * 3_600_000,
  warmup: 24,
  tauMs: 86_400_000,
  clip: 2,
  confirm: 6,
  clearConfirm: 6,
  recent: 48,
  waitMs: 86_400_000,
  stuckRun: 12,
  neighbours: 4,
  minSpacingMs: 15 * 60_000,
  suddenRatio: 3,
};

/** One member's state as persisted (plain JSON, about 0.75 KB with hourly readings). */
export interface PairedMemberSnapshot {
  /** Own recent readings, and the time of the last one judged (or dropped). */
  readonly r: RingSnapshot;
  readonly j: number | null;
  /** Learnt offset (null: still learning) and the anchor it was learnt against. */
  readonly o: number | null;
  readonly a: string | null;
  /** Recent differences to the group (warm-up, then evidence). */
  readonly w: RingSnapshot;
  /** [deviation EWMA, level EWMA, base level, warm-up level sum, warm-up count, time of the last EWMA update] */
  readonly s: [number, number, number, number, number, number];
  readonly c: ConditionSnapshot;
}

/**
 * A member as its feeder holds it (`join`): the pipeline keeps it per device and metric, so a reading reaches
 * its member without the group's lookup by device id, and an arrival already seen is told by `lastTs` alone.
 */
export interface PairedMemberRef {
  readonly deviceId: string;
  /** Event time of the member's latest reading taken. */
  readonly lastTs: number;
}

interface Member extends PairedMemberRef {
  readonly deviceId: string;
  /** Own recent readings, oldest first; those after `judgedTs` are pending. */
  readonly recent: RingBuffer;
  lastTs: number;
  judgedTs: number;
  /** Identical values at the end of `recent`. */
  sameRun: number;
  offset: number;
  anchor: string | null;
  readonly ring: RingBuffer;
  ewma: number;
  level: number;
  base: number;
  levelSum: number;
  levelCount: number;
  lastJudged: number;
  readonly condition: ConfirmedCondition;
  /** The device's sensitivity given with its latest reading (see `update`). */
  sensitivity: number;
  /** Position in device-id order, and the neighbourhood (null: to compute), kept up to date by `reorder`. */
  at: number;
  near: readonly Member[] | null;
  /** Still in the group (a removed member's ref, if still held, joins again at its next reading). */
  joined: boolean;
}

/** How a raised drift was attributed. */
type Blame = 'largest' | 'alone' | 'one_of_two';

/** How a raised deviation came: over days (a drift) or within hours (`PairedGroupConfig.suddenRatio`). */
type Onset = 'gradual' | 'sudden';

/** Members a reading is compared with, each with its reading closest in time. */
interface Reference {
  readonly value: number;
  readonly peers: readonly Member[];
  readonly anchoring: boolean;
}

const NONE: readonly Finding[] = Object.freeze([]);

export class PairedDriftGroup {
  private readonly members = new Map<string, Member>();
  /** The members in device-id order (neighbourhoods; each member's `at` is its index here). */
  private readonly order: Member[] = [];
  /** Scratch of `reference` (used synchronously, never kept): the hot path allocates nothing. */
  private readonly peers: Member[] = [];
  private readonly out: Finding[] = [];
  private values: Float64Array = new Float64Array(8);
  /** Scratch of `recentDeviation`. */
  private recentScratch: Float64Array = new Float64Array(8);
  private readonly ref: { value: number; peers: readonly Member[]; anchoring: boolean } = {
    value: 0,
    peers: this.peers,
    anchoring: false,
  };
  /**
   * Differences are kept to a thousandth of the limit at least (a power of ten: 0.01 um for DFT, 0.001 degC),
   * far below anything the limit tells apart, so the stored evidence is a few digits per reading rather than 8.
   */
  private readonly resolution: number;
  /** The last EWMA gap and its weight (`weightOf`). */
  private lastGap = Number.NaN;
  private lastWeight = 0;
  /** Anchor of the learnt offsets (see the file comment); null while no member has learnt. */
  private anchor: string | null = null;

  constructor(
    /** The asset (or whatever holds the sensors together), for explanations. */
    readonly groupId: string,
    readonly metric: string,
    readonly config: PairedGroupConfig,
    private readonly unit = '',
  ) {
    // The reciprocal of the step (an integer): x * 100 / 100 gives the double nearest the decimal, x / 0.01 not.
    const scale = 10 ** Math.ceil(Math.log10(1000 / config.limit));
    this.resolution = Number.isFinite(scale) && scale <= 1e12 ? Math.max(1, scale) : Number.NaN;
  }

  get size(): number {
    return this.members.size;
  }

  has(deviceId: string): boolean {
    return this.members.has(deviceId);
  }

  /**
   * Feeds a reading of a member (joining the group at its first reading). Findings are about that member only,
   * for its pending readings that could be judged now. `sensitivity` is the member's device's (false-positive
   * feedback, core/config.ts): the member raises at limit / s and wants round(confirm / s) readings; it is the
   * device's current setting, not part of the member's state.
   */
  update(reading: ObservedReading, sensitivity = 1): readonly Finding[] {
    if (reading.metric !== this.metric) return NONE;
    return this.updateMember(this.member(reading.deviceId), reading, sensitivity);
  }

  /** The member of a device (joining the group now if it is not one), for `updateMember`. */
  join(deviceId: string): PairedMemberRef {
    return this.member(deviceId);
  }

  /** Whether a reading of the member at `ts` would be taken (later than its last, by `minSpacingMs` at least). */
  takes(ref: PairedMemberRef, ts: number): boolean {
    const gap = ts - ref.lastTs;
    return gap > 0 && gap >= this.config.minSpacingMs;
  }

  /**
   * `update` for a member already held (`join`): the reading must be of the group's metric and of that
   * member's device. A ref whose member has left the group joins again.
   */
  updateMember(ref: PairedMemberRef, reading: ObservedReading, sensitivity = 1): readonly Finding[] {
    const held = ref as Member;
    const m = held.joined ? held : this.member(ref.deviceId);
    if (!Number.isFinite(reading.value) || !this.takes(m, reading.ts)) return NONE;
    m.sensitivity = sensitivity === 1 ? 1 : clampSensitivity(sensitivity);
    const out = this.out;
    out.length = 0;
    // The oldest pending reading is about to be overwritten: judged with whoever pairs now, or dropped.
    if (m.recent.full && m.recent.timeAt(0) > m.judgedTs) this.judgeAt(m, 0, true, out);
    m.sameRun = m.recent.size > 0 && m.recent.lastValue() === reading.value ? m.sameRun + 1 : 1;
    m.recent.push(reading.ts, reading.value);
    m.lastTs = reading.ts;
    // Alone on its asset (the usual case): nobody to pair with; its readings wait for a partner that may join.
    if (this.members.size === 1) return out.length === 0 ? NONE : out.splice(0);
    for (let i = this.firstPending(m); i < m.recent.size; i++) {
      if (!this.judgeAt(m, i, false, out)) break;
    }
    return out.length === 0 ? NONE : out.splice(0);
  }

  /** Restores a member (its device's state); a member learnt against another anchor learns again. */
  restore(deviceId: string, s: PairedMemberSnapshot): void {
    const m = this.member(deviceId);
    m.recent.restore(s.r);
    m.sameRun = 0;
    for (let i = m.recent.size - 1; i >= 0 && m.recent.valueAt(i) === m.recent.lastValue(); i--) m.sameRun++;
    m.lastTs = m.recent.size > 0 ? m.recent.lastTime() : Number.NEGATIVE_INFINITY;
    m.judgedTs = s.j ?? Number.NEGATIVE_INFINITY;
    m.ring.restore(s.w);
    [m.ewma, m.level, m.base, m.levelSum, m.levelCount, m.lastJudged] = s.s;
    m.condition.restore(s.c);
    m.offset = s.o ?? Number.NaN;
    m.anchor = s.a;
    if (s.o === null) return;
    if (this.anchor === null || !this.anyLearnt(m)) this.anchor = s.a;
    else if (s.a !== this.anchor) this.relearn(m);
  }

  snapshot(deviceId: string): PairedMemberSnapshot | null {
    const m = this.members.get(deviceId);
    if (!m) return null;
    return {
      r: m.recent.snapshot(),
      j: Number.isFinite(m.judgedTs) ? m.judgedTs : null,
      o: Number.isFinite(m.offset) ? m.offset : null,
      a: m.anchor,
      w: m.ring.snapshot(),
      s: [m.ewma, m.level, m.base, m.levelSum, m.levelCount, m.lastJudged],
      c: m.condition.snapshot(),
    };
  }

  /** A device left (deleted, moved to another asset). */
  remove(deviceId: string): void {
    const m = this.members.get(deviceId);
    if (!m) return;
    this.members.delete(deviceId);
    m.joined = false;
    this.order.splice(this.order.indexOf(m), 1);
    this.reorder();
  }

  private member(deviceId: string): Member {
    let m = this.members.get(deviceId);
    if (!m) {
      m = {
        deviceId,
        recent: new RingBuffer(this.config.recent),
        lastTs: Number.NEGATIVE_INFINITY,
        judgedTs: Number.NEGATIVE_INFINITY,
        sameRun: 0,
        offset: Number.NaN,
        anchor: null,
        ring: new RingBuffer(this.config.warmup),
        ewma: 0,
        level: 0,
        base: 0,
        levelSum: 0,
        levelCount: 0,
        lastJudged: 0,
        condition: new ConfirmedCondition(),
        sensitivity: 1,
        at: 0,
        near: null,
        joined: true,
      };
      this.members.set(deviceId, m);
      let at = 0;
      while (at < this.order.length && this.order[at]!.deviceId < deviceId) at++;
      this.order.splice(at, 0, m);
      this.reorder();
    }
    return m;
  }

  private stuck(m: Member): boolean {
    return m.sameRun >= this.config.stuckRun;
  }

  /**
   * Index of the first reading after `judgedTs` (binary search: the ring is in time order). A member ahead of
   * its neighbours (live while one uploads a backlog) holds up to `recent` pending readings; a walk over them
   * for each new reading made it O(recent) per reading.
   */
  private firstPending(m: Member): number {
    let lo = 0;
    let hi = m.recent.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (m.recent.timeAt(mid) > m.judgedTs) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /**
   * Judges the pending reading at `index` of `m` when every other member has reported up to its time (or is
   * silent), or when `forced`. Answers whether it was judged (or dropped): the next one may follow.
   */
  private judgeAt(m: Member, index: number, forced: boolean, out: Finding[]): boolean {
    const ts = m.recent.timeAt(index);
    if (!forced) {
      for (const k of this.neighboursOf(m)) {
        if (k.lastTs < ts && k.lastTs >= ts - this.config.waitMs) return false;
      }
    }
    // The reading goes on by its index (a small integer): its time and value are doubles, and each double
    // handed to a call that is not inlined is boxed on the heap, for every reading.
    const reference = this.stuck(m) ? null : this.reference(m, index);
    if (reference === null && !forced && !this.stuck(m)) return false;
    m.judgedTs = ts;
    if (reference === null) return true;
    if (!Number.isFinite(m.offset)) this.learn(m, index, reference);
    else {
      const finding = this.judge(m, index, reference);
      if (finding !== null) out.push(finding);
    }
    return true;
  }

  /** What `m`'s reading at `index` is compared with (see the file comment), or null when nothing pairs. */
  private reference(m: Member, index: number): Reference | null {
    const peers = this.peers;
    // Emptied by pops: `length = 0` drops the backing store, and each push then allocates a new one.
    while (peers.length > 0) peers.pop();
    this.values = ensureCapacity(this.values, this.order.length);
    const values = this.values;
    // The nearest members in device-id order that have learnt and pair now: the neighbours once the group has
    // learnt (O(neighbours)); further out while it is still learning, so offsets spread from the anchor at once.
    const n = this.order.length;
    const at = m.at;
    for (let step = 1; step < n && peers.length < this.config.neighbours; step++) {
      const k = this.order[(at + (step % 2 === 1 ? (step + 1) / 2 : n - step / 2)) % n]!;
      if (!Number.isFinite(k.offset) || this.stuck(k)) continue;
      const closest = closestIndex(k.recent, m.recent, index, this.config.maxSkewMs);
      if (closest < 0) continue;
      values[peers.length] = k.recent.valueAt(closest) - k.offset;
      peers.push(k);
    }
    if (peers.length > 0) return this.referenceOf(false);
    if (Number.isFinite(m.offset) || this.anyLearnt(m)) return null;
    // Nobody has learnt: the lowest device id present learns against the others' raw readings.
    for (const k of this.members.values()) {
      if (k === m || this.stuck(k)) continue;
      const closest = closestIndex(k.recent, m.recent, index, this.config.maxSkewMs);
      if (closest < 0) continue;
      if (k.deviceId < m.deviceId) return null;
      values[peers.length] = k.recent.valueAt(closest);
      peers.push(k);
    }
    return peers.length > 0 ? this.referenceOf(true) : null;
  }

  private referenceOf(anchoring: boolean): Reference {
    this.ref.value = medianInPlace(this.values, this.peers.length);
    this.ref.anchoring = anchoring;
    return this.ref;
  }

  /** The members `m` is compared with (see `PairedGroupConfig.neighbours`), cached until the members change. */
  private neighboursOf(m: Member): readonly Member[] {
    if (m.near !== null) return m.near;
    const n = this.order.length;
    const wanted = Math.min(this.config.neighbours, n - 1);
    const at = m.at;
    const found: Member[] = [];
    // Alternately after and before, so the neighbourhood is centred on `m` (and whole when the group is small).
    for (let step = 1; found.length < wanted; step++) {
      found.push(this.order[(at + step) % n]!);
      if (found.length < wanted) found.push(this.order[(at - step + n) % n]!);
    }
    m.near = found;
    return found;
  }

  /** The members changed: positions again, neighbourhoods computed afresh when next asked. */
  private reorder(): void {
    this.order.forEach((k, i) => {
      k.at = i;
      k.near = null;
    });
  }

  private anyLearnt(except?: Member): boolean {
    for (const k of this.members.values()) if (k !== except && Number.isFinite(k.offset)) return true;
    return false;
  }

  /** A warm-up pair of a member still learning its offset. */
  private learn(m: Member, index: number, reference: Reference): void {
    const ts = m.recent.timeAt(index);
    const value = m.recent.valueAt(index);
    m.ring.push(ts, this.quantize(value - reference.value));
    m.levelSum += value;
    m.levelCount += 1;
    if (!m.ring.full) return;
    m.offset = roundSig(median(m.ring.unorderedValues()));
    m.base = roundSig(m.levelSum / m.levelCount);
    // Only the warm-up needs the sum; zeros keep the stored state short.
    m.levelSum = 0;
    m.levelCount = 0;
    m.level = m.base;
    m.ewma = 0;
    m.lastJudged = ts;
    // The anchor names a generation of offsets (device, time, offset): offsets of two generations never mix.
    if (reference.anchoring) this.anchor = `${m.deviceId}@${ts}:${m.offset}`;
    m.anchor = this.anchor;
  }

  private relearn(m: Member): void {
    m.offset = Number.NaN;
    m.anchor = null;
    m.ring.clear();
    m.levelSum = 0;
    m.levelCount = 0;
    m.ewma = 0;
  }

  /** Judges a learnt member's reading at `index`: the finding when its condition raises or clears. */
  private judge(m: Member, index: number, reference: Reference): Finding | null {
    const ts = m.recent.timeAt(index);
    const value = m.recent.valueAt(index);
    const c = this.config;
    const peers = reference.peers;
    const difference = this.quantize(value - reference.value);
    m.ring.push(ts, difference);
    const weight = this.weightOf(ts - m.lastJudged);
    m.lastJudged = ts;
    // The member's own limit, its device's sensitivity applied (see `update`); the clip follows it, or a
    // lowered sensitivity (a limit beyond clip x the group's) could never raise.
    const limit = c.limit / m.sensitivity;
    const cap = c.clip * limit;
    m.ewma = roundSig(m.ewma + weight * (clamp(difference - m.offset, cap) - m.ewma));
    m.level = roundSig(m.level + weight * clamp(value - m.level, cap));
    const deviation = Math.abs(m.ewma);
    // Who is to blame matters only beyond the limit (and for a finding's wording): most readings skip it.
    const beyond = deviation > limit;
    const blame = beyond ? this.blame(m, peers) : null;
    const transition = m.condition.observe(
      beyond && blame !== null,
      deviation < limit / 2,
      'low',
      ts,
      scaledCount(c.confirm, m.sensitivity),
      scaledCount(c.clearConfirm, m.sensitivity),
    );
    if (transition === null || transition === 'escalated') return null;
    return this.finding(m, peers, transition, (beyond ? blame : this.blame(m, peers)) ?? 'largest', ts);
  }

  /**
   * Median absolute deviation from the offset of the member's last `confirm` pair differences: where the
   * member reads now, unclipped (a single spike does not move it). Only beyond the limit (`blame`, a raise).
   */
  private recentDeviation(m: Member): number {
    const n = Math.min(this.config.confirm, m.ring.size);
    if (n === 0) return 0;
    this.recentScratch = ensureCapacity(this.recentScratch, n);
    for (let i = 0; i < n; i++) this.recentScratch[i] = Math.abs(m.ring.valueAt(m.ring.size - n + i) - m.offset);
    return medianInPlace(this.recentScratch, n);
  }

  private quantize(x: number): number {
    return quantizeTo(x, this.resolution);
  }

  /**
   * EWMA weight of a reading `gap` ms after the member's previous one (gaps beyond 3 time constants count as 3).
   * Sensors report at a fixed interval, so the last gap's weight is kept: one Math.exp per interval change.
   */
  private weightOf(gap: number): number {
    const g = Math.min(Math.max(0, gap), 3 * this.config.tauMs);
    if (g !== this.lastGap) {
      this.lastGap = g;
      this.lastWeight = 1 - Math.exp(-g / this.config.tauMs);
    }
    return this.lastWeight;
  }

  /** Whether `m` is to blame for its deviation (null: another member is), and on what ground. */
  private blame(m: Member, peers: readonly Member[]): Blame | null {
    if (peers.length >= 2) {
      // On where the sensors read now, not on their EWMAs: each pair is clipped at `clip` limits, so a step of
      // more than 2 x clip limits under one sensor of three (the two others see half of it) would leave all
      // three EWMAs at the clip, and the largest by a hair (noise) would be blamed.
      const own = this.recentDeviation(m);
      for (const k of peers) if (this.recentDeviation(k) >= own) return null;
      return 'largest';
    }
    const partner = peers[0]!;
    // A level counts as still when it moved by at most half the limit or a third of the deviation. A member
    // is to blame alone when its partner's level is still and its own move explains the deviation (same
    // direction, at least three quarters of it): a real change under the drift shows as a partner moving, or
    // as a move that does not add up, and then either may drift.
    const still = Math.max(this.config.limit / 2, Math.abs(m.ewma) / 3);
    const own = m.level - m.base;
    const partnerOwn = partner.level - partner.base;
    if (Math.abs(partnerOwn) <= still && explains(own, m.ewma)) return 'alone';
    if (Math.abs(own) <= still && explains(partnerOwn, partner.ewma)) return null;
    return 'one_of_two';
  }

  private finding(
    m: Member,
    peers: readonly Member[],
    transition: 'raised' | 'cleared',
    blame: Blame,
    ts: number,
  ): Finding {
    const limit = this.config.limit / m.sensitivity;
    const deviation = Math.abs(m.ewma);
    const others = peers
      .map((k) => k.deviceId)
      .sort()
      .join(', ');
    const points = [];
    for (let i = 0; i < m.ring.size; i++) points.push({ ts: m.ring.timeAt(i), value: m.ring.valueAt(i) });
    const recent = transition === 'raised' ? this.recentDeviation(m) : Number.NaN;
    const onset: Onset = recent > this.config.suddenRatio * deviation ? 'sudden' : 'gradual';
    const drifted = `Since about ${formatTime(m.condition.onset)} this sensor reads ${formatValue(m.ewma, this.unit)} away from`;
    const usual = `(usual offset ${formatValue(m.offset, this.unit)}, limit ${formatValue(limit, this.unit)})`;
    const against =
      blame === 'one_of_two' ? `its partner ${others}` : `the other sensors of ${this.metric} (${others})`;
    const sudden =
      `${drifted} ${against} on asset ${this.groupId} ${usual}, and it moved within hours (its latest readings ` +
      `${formatValue(recent, this.unit)} away): not a drift. Either the sensor itself jumped (moved, knocked, ` +
      're-mounted) or something changed under it alone (the film damaged under a gauge); check it on site.';
    const raised =
      onset === 'sudden'
        ? sudden
        : blame === 'one_of_two'
          ? `${drifted} its partner ${others} on asset ${this.groupId} ${usual}, and both levels moved: one of the two drifts, check both.`
          : `${drifted} the other sensors of ${this.metric} on asset ${this.groupId} (${others}) ${usual}, which agree with each other: recalibrate or replace it.`;
    return {
      deviceId: m.deviceId,
      metric: this.metric,
      kind: 'sensor_drift',
      fault: 'sensor',
      detector: 'sensor_health',
      phase: transition,
      lifecycle: 'condition',
      score: transition === 'raised' ? excessScore((deviation - limit) / limit) : 0,
      severity: 'low',
      explanation:
        transition === 'raised'
          ? raised
          : `This sensor agrees with the other sensors of ${this.metric} on asset ${this.groupId} again (deviation ${formatValue(m.ewma, this.unit)}).`,
      eventTime: transition === 'raised' ? m.condition.onset : ts,
      detectedAt: ts,
      evidence: { from: points[0]?.ts ?? ts, to: ts, points, series: 'paired_differences' },
      details: {
        offset: m.offset,
        deviation: m.ewma,
        limit: roundSig(limit),
        sensitivity: m.sensitivity,
        partners: others,
        members: peers.length + 1,
        blame,
        levelChange: roundSig(m.level - m.base),
        ...(transition === 'raised' ? { onset, recentDeviation: roundSig(recent) } : {}),
      },
    };
  }
}

/**
 * Index of the reading of `ring` closest in time to the reading at `index` of `own`, at most `maxSkewMs` away;
 * -1 when none. Indexes (small integers) rather than times and values: a double handed to or returned from a
 * call that is not inlined is boxed on the heap, and this runs for each neighbour of each reading.
 */
function closestIndex(ring: RingBuffer, own: RingBuffer, index: number, maxSkewMs: number): number {
  const ts = own.timeAt(index);
  const size = ring.size;
  if (size === 0) return -1;
  // Live sensors report in step: the partner's latest reading is usually the closest (no search).
  const last = ring.lastTime();
  if (ts >= last) return ts - last <= maxSkewMs ? size - 1 : -1;
  let lo = 0;
  let hi = size;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ring.timeAt(mid) < ts) lo = mid + 1;
    else hi = mid;
  }
  // The readings either side of `ts` (lo is the first at or after it); the later one wins a tie.
  const before = lo > 0 ? ts - ring.timeAt(lo - 1) : Number.POSITIVE_INFINITY;
  const after = lo < size ? ring.timeAt(lo) - ts : Number.POSITIVE_INFINITY;
  if (after <= before) return after <= maxSkewMs ? lo : -1;
  return before <= maxSkewMs ? lo - 1 : -1;
}

/** `x` to the nearest multiple of 1 / `scale` (see `resolution`); 8 significant digits when there is none. */
function quantizeTo(x: number, scale: number): number {
  return Number.isNaN(scale) ? roundSig(x) : Math.round(x * scale) / scale;
}

/** Whether a member's own level change accounts for (most of) a deviation. */
function explains(move: number, deviation: number): boolean {
  return Math.sign(move) === Math.sign(deviation) && Math.abs(move) >= 0.75 * Math.abs(deviation);
}

function clamp(x: number, cap: number): number {
  return Math.max(-cap, Math.min(cap, x));
}
