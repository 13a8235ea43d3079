/**
 * Sensor health, drift against paired sensors: the sensors of one metric on one asset (two DFT gauges on one
 * film, the temperature of every logger on a site). They see the same film and the same site climate, so a
 * real change (coating loss, a weather front, the seasons) moves all of them, while a drifting sensor moves
 * alone. Each member's reading, less its learnt offset, is compared with the median of the other members'
 * latest readings (less theirs); an EWMA of that deviation beyond `limit` for `confirm` readings is drift on
 * that member, cleared below half the limit.
 *
 * Offsets: the members' offsets are learnt against one reference so that corrected readings agree. The first
 * member to learn (the anchor: the lowest device id among the members present while none has learnt) learns
 * its offset against the others' raw readings; every other member learns against the members already learnt
 * (median of `warmup` differences). A member restored with another anchor than the group's (state lost on some
 * members) learns again, so offsets from two references are never mixed.
 *
 * Who is blamed:
 * - 3 or more members: the member whose deviation is the largest of the group. With 3 members, the median of
 *   the 2 others moves by half a drift, so the healthy two see half the drifting one's deviation, never more.
 * - 2 members: the difference alone cannot tell which one drifts. A member is blamed alone when its own level
 *   moved away from its level when its offset was learnt while its partner's stayed within half the limit
 *   (or a third of the deviation, for a drift far beyond the limit); when both levels moved (a real change on top of the drift, e.g. seasons for temperature) both are raised,
 *   and the explanation says one of the two drifts. A drift against a real change that cancels it in one level
 *   blames the wrong one: the explanation names the partner so the technician checks both.
 *
 * Ordering: each member's readings are taken in its own event-time order (later or equal times of a member are
 * ignored); members arrive in any order. A reading pairs only with the others' latest readings within
 * `maxSkewMs` of it: what cannot be paired (a partner silent, behind or ahead in a backlog) is ignored, never
 * mis-paired. Cost per reading is O(members) (the group's latest readings, no pairs), memory per member is a
 * ring of `warmup` differences plus a few scalars.
 */
import { median } from 'simple-statistics';
import { ConfirmedCondition, type ConditionSnapshot } from '../condition.js';
import { RingBuffer, type RingSnapshot } from '../ring-buffer.js';
import { roundSig } from '../robust-stats.js';
import { excessScore } from '../scoring.js';
import { formatTime, formatValue } from '../stream-context.js';
import type { Finding, ObservedReading } from '../types.js';
import type { PairedDriftConfig } from './paired-drift-detector.js';

/** One member's state as persisted (plain JSON, about 0.5 KB). */
export interface PairedMemberSnapshot {
  /** Latest reading [ts, value], or null. */
  readonly l: [number, number] | null;
  /** Learnt offset (null: still learning) and the anchor it was learnt against. */
  readonly o: number | null;
  readonly a: string | null;
  /** Recent differences to the group (warm-up, then evidence). */
  readonly w: RingSnapshot;
  /** [deviation EWMA, level EWMA, base level, warm-up level sum, warm-up count] */
  readonly s: [number, number, number, number, number];
  readonly c: ConditionSnapshot;
}

interface Member {
  readonly deviceId: string;
  lastTs: number;
  lastValue: number;
  offset: number;
  anchor: string | null;
  readonly ring: RingBuffer;
  ewma: number;
  level: number;
  base: number;
  levelSum: number;
  levelCount: number;
  readonly condition: ConfirmedCondition;
}

/** How a raised drift was attributed. */
type Blame = 'largest' | 'alone' | 'one_of_two';

export class PairedDriftGroup {
  private readonly members = new Map<string, Member>();
  /** Anchor of the learnt offsets (see the file comment); null while no member has learnt. */
  private anchor: string | null = null;

  constructor(
    /** The asset (or whatever holds the sensors together), for explanations. */
    readonly groupId: string,
    readonly metric: string,
    readonly config: PairedDriftConfig,
    private readonly unit = '',
  ) {}

  get size(): number {
    return this.members.size;
  }

  has(deviceId: string): boolean {
    return this.members.has(deviceId);
  }

  /** Feeds a reading of a member (joining the group at its first reading). Findings are about that member. */
  update(reading: ObservedReading): readonly Finding[] {
    if (reading.metric !== this.metric || !Number.isFinite(reading.value)) return [];
    const m = this.member(reading.deviceId);
    if (reading.ts <= m.lastTs) return [];
    m.lastTs = reading.ts;
    m.lastValue = reading.value;
    const peers = this.peersOf(m, reading.ts);
    if (Number.isFinite(m.offset)) return peers.length === 0 ? [] : this.judge(m, peers, reading.ts);
    if (peers.length > 0) {
      this.learn(m, reading.ts, median(peers.map(corrected)));
    } else if (!this.anyLearnt(m)) {
      const raw = this.rawPeersOf(m, reading.ts);
      // Nobody has learnt: the lowest device id present learns against the others' raw readings.
      if (raw.length > 0 && raw.every((k) => k.deviceId > m.deviceId)) {
        this.learn(m, reading.ts, median(raw.map((k) => k.lastValue)), true);
      }
    }
    return [];
  }

  /** Restores a member (its device's state); a member learnt against another anchor learns again. */
  restore(deviceId: string, s: PairedMemberSnapshot): void {
    const m = this.member(deviceId);
    m.lastTs = s.l ? s.l[0] : Number.NEGATIVE_INFINITY;
    m.lastValue = s.l ? s.l[1] : Number.NaN;
    m.ring.restore(s.w);
    [m.ewma, m.level, m.base, m.levelSum, m.levelCount] = s.s;
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
      l: Number.isFinite(m.lastTs) ? [m.lastTs, m.lastValue] : null,
      o: Number.isFinite(m.offset) ? m.offset : null,
      a: m.anchor,
      w: m.ring.snapshot(),
      s: [m.ewma, m.level, m.base, m.levelSum, m.levelCount],
      c: m.condition.snapshot(),
    };
  }

  /** A device left (deleted, moved to another asset). */
  remove(deviceId: string): void {
    this.members.delete(deviceId);
  }

  private member(deviceId: string): Member {
    let m = this.members.get(deviceId);
    if (!m) {
      m = {
        deviceId,
        lastTs: Number.NEGATIVE_INFINITY,
        lastValue: Number.NaN,
        offset: Number.NaN,
        anchor: null,
        ring: new RingBuffer(this.config.warmup),
        ewma: 0,
        level: 0,
        base: 0,
        levelSum: 0,
        levelCount: 0,
        condition: new ConfirmedCondition(),
      };
      this.members.set(deviceId, m);
    }
    return m;
  }

  /** Learnt members other than `m` whose latest reading is within the skew of `ts`. */
  private peersOf(m: Member, ts: number): Member[] {
    const out: Member[] = [];
    for (const k of this.members.values()) {
      if (k !== m && Number.isFinite(k.offset) && Math.abs(k.lastTs - ts) <= this.config.maxSkewMs) out.push(k);
    }
    return out;
  }

  private rawPeersOf(m: Member, ts: number): Member[] {
    const out: Member[] = [];
    for (const k of this.members.values()) {
      if (k !== m && Math.abs(k.lastTs - ts) <= this.config.maxSkewMs) out.push(k);
    }
    return out;
  }

  private anyLearnt(except?: Member): boolean {
    for (const k of this.members.values()) if (k !== except && Number.isFinite(k.offset)) return true;
    return false;
  }

  /** A warm-up pair of a member still learning its offset against `reference`. */
  private learn(m: Member, ts: number, reference: number, anchoring = false): void {
    m.ring.push(ts, m.lastValue - reference);
    m.levelSum += m.lastValue;
    m.levelCount += 1;
    if (!m.ring.full) return;
    m.offset = roundSig(median(m.ring.unorderedValues()));
    m.base = roundSig(m.levelSum / m.levelCount);
    m.level = m.base;
    m.ewma = 0;
    // The anchor names a generation of offsets (device and time): offsets of two generations never mix.
    if (anchoring) this.anchor = `${m.deviceId}@${ts}:${m.offset}`;
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

  private judge(m: Member, peers: readonly Member[], ts: number): Finding[] {
    const c = this.config;
    const reference = median(peers.map(corrected));
    const difference = m.lastValue - reference;
    m.ring.push(ts, difference);
    m.ewma = roundSig(m.ewma + c.alpha * (difference - m.offset - m.ewma));
    m.level = roundSig(m.level + c.alpha * (m.lastValue - m.level));
    const deviation = Math.abs(m.ewma);
    const blame = this.blame(m, peers);
    const transition = m.condition.observe(
      deviation > c.limit && blame !== null,
      deviation < c.limit / 2,
      'low',
      ts,
      c.confirm,
      c.clearConfirm,
    );
    if (transition === null || transition === 'escalated') return [];
    return [this.finding(m, peers, transition, blame ?? 'largest', ts)];
  }

  /** Whether `m` is to blame for its deviation (null: another member is), and on what ground. */
  private blame(m: Member, peers: readonly Member[]): Blame | null {
    if (peers.length >= 2) {
      const own = Math.abs(m.ewma);
      return peers.every((k) => Math.abs(k.ewma) < own) ? 'largest' : null;
    }
    const partner = peers[0]!;
    // A level counts as still when it moved by at most half the limit or a third of the deviation: most of
    // the deviation is then the other member's own movement (the deviation is the difference of the two).
    const still = Math.max(this.config.limit / 2, Math.abs(m.ewma) / 3);
    const moved = Math.abs(m.level - m.base);
    const partnerMoved = Math.abs(partner.level - partner.base);
    if (partnerMoved <= still && moved > partnerMoved) return 'alone';
    if (moved <= still && partnerMoved > moved) return null;
    return 'one_of_two';
  }

  private finding(
    m: Member,
    peers: readonly Member[],
    transition: 'raised' | 'cleared',
    blame: Blame,
    ts: number,
  ): Finding {
    const c = this.config;
    const deviation = Math.abs(m.ewma);
    const others = peers
      .map((k) => k.deviceId)
      .sort()
      .join(', ');
    const points = [];
    for (let i = 0; i < m.ring.size; i++) points.push({ ts: m.ring.timeAt(i), value: m.ring.valueAt(i) });
    const drifted = `Since about ${formatTime(m.condition.onset)} this sensor reads ${formatValue(m.ewma, this.unit)} away from`;
    const usual = `(usual offset ${formatValue(m.offset, this.unit)}, limit ${formatValue(c.limit, this.unit)})`;
    const raised =
      blame === 'one_of_two'
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
      score: transition === 'raised' ? excessScore((deviation - c.limit) / c.limit) : 0,
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
        limit: c.limit,
        partners: others,
        members: peers.length + 1,
        blame,
        levelChange: roundSig(m.level - m.base),
      },
    };
  }
}

/** A learnt member's latest reading less its offset: what it would read if it read like the anchor. */
function corrected(k: Member): number {
  return k.lastValue - k.offset;
}
