import { describe, expect, it } from 'vitest';
import { ACTOR, ID, move, openedWorkOrder, T0 } from '../test/fixtures.js';
import { computeKpis, KpiOptionsSchema } from './compute-kpis.js';
import {
  kpiRecordOf,
  KpiWorkOrderRecordSchema,
  type KpiComplaintRecord,
  type KpiSurveyRecord,
  type KpiWorkOrderRecord,
} from './kpi-records.schema.js';
import { checkPromises } from './service-promises.js';

const H = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const uid = (prefix: string, n: number) =>
  `00000000-0000-4000-8000-${prefix}${String(n).padStart(12 - prefix.length, '0')}`;

const TECH_A = uid('a', 1);
const TECH_B = uid('b', 1);
const C1 = uid('c', 1);
const C2 = uid('c', 2);
const X1 = uid('e', 1);
const X2 = uid('e', 2);
const X3 = uid('e', 3);
const wo = (n: number) => uid('f', n);

type Seed = Partial<KpiWorkOrderRecord> & Pick<KpiWorkOrderRecord, 'source' | 'status' | 'slaPriority' | 'createdAt'>;
/** A record with times given in hours after its creation (null = never). */
function record(
  n: number,
  seed: Seed,
  hoursAfter: Partial<Record<'firstResponse' | 'onSite' | 'resolved' | 'accepted', number>>,
  dueHours: [number | null, number | null, number | null],
): KpiWorkOrderRecord {
  const c = seed.createdAt;
  const plus = (h: number | undefined | null) => (h === undefined || h === null ? null : c + h * H);
  return KpiWorkOrderRecordSchema.parse({
    id: wo(n),
    technicianId: null,
    region: null,
    customerId: C1,
    assetId: X1,
    detectedAt: null,
    customerReportedAt: seed.source === 'customer_report' ? c : null,
    firstResponseAt: plus(hoursAfter.firstResponse),
    onSiteAt: plus(hoursAfter.onSite),
    resolvedAt: plus(hoursAfter.resolved),
    acceptedAt: plus(hoursAfter.accepted),
    cancelReason: null,
    remoteResolution: false,
    rejectionCount: 0,
    onSiteArrivals: hoursAfter.onSite === undefined ? 0 : 1,
    due: { firstResponse: plus(dueHours[0]), onSite: plus(dueHours[1]), resolution: plus(dueHours[2]) },
    clockStoppedAt: null,
    ...seed,
  });
}

/**
 * The seeded history (times in hours after each creation; due = [response, on site, resolution]):
 *
 * WO1 detector  P1 tech A north C1 X1  created Mar 2 09:00, detected 2 h before, never reported by the customer
 *     response 0.25 (due 0.5), on site 1.5 (due 2), resolved 5 (due 24), accepted 6, closed.
 * WO2 customer  P3 tech A north C1 X2  created Mar 3 10:00; response 2 (due 24), no on-site target,
 *     resolved 30, REJECTED, second visit, resolved again 40 (due 48), accepted 41, closed. 2 arrivals.
 * WO3 detector  P2 tech B south C2 X3  created Mar 10 08:00, detected 1 h before, customer reported 6 h after
 *     response 1 (due 4), on site 30 (due 24: LATE by 6), resolved 40 (due 48), accepted 41.
 * WO4 customer  P1 tech B south C2 X3  created Mar 20 12:00, the detector fired only 0.5 h after the call
 *     response 1 (due 0.5: LATE), on site 1.75 (due 2), resolved 3 (due 24), accepted 4, closed.
 * WO5 preventive P4 tech A north C1 X1 created Mar 16 08:00; response 1 (due 24), on site 50 (no target),
 *     resolved 52 (due 200), accepted 53, closed.
 * WO6 detector  P3 -      north C1 X1  created Mar 25 09:00; answered and CANCELLED as a false alarm at 0.5.
 * WO7 customer  P2 tech A north C1 X1  created Apr 2 09:00; response 3 (due 4), on site 10 (due 24), still on
 *     site at asOf: resolution (due 48) overdue.
 * WO8 detector  P3 tech B south C2 X2  created Apr 6 10:00, detected 3 h before, never reported; response 26.75
 *     (due 24: LATE), triaged, resolution (due 48) overdue at asOf.
 *
 * asOf = Apr 15 00:00 UTC.
 */
const ASOF = at('2026-04-15T00:00:00Z');
const WORK_ORDERS: KpiWorkOrderRecord[] = [
  record(
    1,
    {
      source: 'detector',
      status: 'closed',
      slaPriority: 'P1',
      createdAt: at('2026-03-02T09:00:00Z'),
      detectedAt: at('2026-03-02T07:00:00Z'),
      technicianId: TECH_A,
      region: 'north',
      customerId: C1,
      assetId: X1,
    },
    { firstResponse: 0.25, onSite: 1.5, resolved: 5, accepted: 6 },
    [0.5, 2, 24],
  ),
  record(
    2,
    {
      source: 'customer_report',
      status: 'closed',
      slaPriority: 'P3',
      createdAt: at('2026-03-03T10:00:00Z'),
      technicianId: TECH_A,
      region: 'north',
      customerId: C1,
      assetId: X2,
      rejectionCount: 1,
      onSiteArrivals: 2,
    },
    { firstResponse: 2, onSite: 20, resolved: 40, accepted: 41 },
    [24, null, 48],
  ),
  record(
    3,
    {
      source: 'detector',
      status: 'accepted',
      slaPriority: 'P2',
      createdAt: at('2026-03-10T08:00:00Z'),
      detectedAt: at('2026-03-10T07:00:00Z'),
      customerReportedAt: at('2026-03-10T14:00:00Z'),
      technicianId: TECH_B,
      region: 'south',
      customerId: C2,
      assetId: X3,
    },
    { firstResponse: 1, onSite: 30, resolved: 40, accepted: 41 },
    [4, 24, 48],
  ),
  record(
    4,
    {
      source: 'customer_report',
      status: 'closed',
      slaPriority: 'P1',
      createdAt: at('2026-03-20T12:00:00Z'),
      detectedAt: at('2026-03-20T12:30:00Z'),
      technicianId: TECH_B,
      region: 'south',
      customerId: C2,
      assetId: X3,
    },
    { firstResponse: 1, onSite: 1.75, resolved: 3, accepted: 4 },
    [0.5, 2, 24],
  ),
  record(
    5,
    {
      source: 'preventive_plan',
      status: 'closed',
      slaPriority: 'P4',
      createdAt: at('2026-03-16T08:00:00Z'),
      technicianId: TECH_A,
      region: 'north',
      customerId: C1,
      assetId: X1,
    },
    { firstResponse: 1, onSite: 50, resolved: 52, accepted: 53 },
    [24, null, 200],
  ),
  record(
    6,
    {
      source: 'detector',
      status: 'cancelled',
      slaPriority: 'P3',
      createdAt: at('2026-03-25T09:00:00Z'),
      detectedAt: at('2026-03-25T08:00:00Z'),
      region: 'north',
      customerId: C1,
      assetId: X1,
      cancelReason: 'false_alarm',
    },
    { firstResponse: 0.5 },
    [24, null, 48],
  ),
  record(
    7,
    {
      source: 'customer_report',
      status: 'on_site',
      slaPriority: 'P2',
      createdAt: at('2026-04-02T09:00:00Z'),
      technicianId: TECH_A,
      region: 'north',
      customerId: C1,
      assetId: X1,
    },
    { firstResponse: 3, onSite: 10 },
    [4, 24, 48],
  ),
  record(
    8,
    {
      source: 'detector',
      status: 'triaged',
      slaPriority: 'P3',
      createdAt: at('2026-04-06T10:00:00Z'),
      detectedAt: at('2026-04-06T07:00:00Z'),
      technicianId: TECH_B,
      region: 'south',
      customerId: C2,
      assetId: X2,
    },
    { firstResponse: 26.75 },
    [24, null, 48],
  ),
];

const SURVEYS: KpiSurveyRecord[] = [
  { workOrderId: wo(1), score: 5, wouldRecommend: true, submittedAt: at('2026-03-03T09:00:00Z') },
  { workOrderId: wo(2), score: 3, wouldRecommend: false, submittedAt: at('2026-03-06T09:00:00Z') },
  { workOrderId: wo(3), score: 4, wouldRecommend: true, submittedAt: at('2026-03-13T09:00:00Z') },
  { workOrderId: wo(4), score: 5, wouldRecommend: true, submittedAt: at('2026-03-21T09:00:00Z') },
];

const COMPLAINTS: KpiComplaintRecord[] = [
  // K1 about WO2: investigated after 6 h -> in time.
  {
    id: uid('d', 1),
    customerId: C1,
    workOrderId: wo(2),
    openedAt: at('2026-03-05T09:00:00Z'),
    investigatedAt: at('2026-03-05T15:00:00Z'),
  },
  // K2 about WO3: investigated after 26 h -> late.
  {
    id: uid('d', 2),
    customerId: C2,
    workOrderId: wo(3),
    openedAt: at('2026-03-12T10:00:00Z'),
    investigatedAt: at('2026-03-13T12:00:00Z'),
  },
  // K3: open for 12 h at asOf -> not yet known, left out.
  { id: uid('d', 3), customerId: C2, workOrderId: null, openedAt: at('2026-04-14T12:00:00Z'), investigatedAt: null },
  // K4: open for two weeks, never investigated -> late.
  { id: uid('d', 4), customerId: C1, workOrderId: null, openedAt: at('2026-04-01T08:00:00Z'), investigatedAt: null },
];

const HISTORY = { workOrders: WORK_ORDERS, surveys: SURVEYS, complaints: COMPLAINTS };

describe('computeKpis over the seeded history', () => {
  const report = computeKpis(HISTORY, KpiOptionsSchema.parse({ asOf: ASOF }));
  const k = report.overall;

  it('counts work orders, cancellations and false alarms', () => {
    expect([k.workOrders, k.cancelled, k.falseAlarms]).toEqual([8, 1, 1]);
  });

  it('first response: mean 5 h, p90 12.5 h (cancelled WO6 left out)', () => {
    // 0.25 + 2 + 1 + 1 + 1 + 3 + 26.75 = 35 h over 7 -> 5 h.
    // Sorted 0.25 1 1 1 2 3 26.75; p90 index (7 - 1) x 0.9 = 5.4 -> 3 + 0.4 x (26.75 - 3) = 12.5 h.
    expect(k.firstResponse).toEqual({ count: 7, meanMs: 5 * H, p90Ms: 12.5 * H });
  });

  it('on site within target: 3 of 4 (WO1, WO4, WO7 in time; WO3 6 h late)', () => {
    expect(k.onSiteWithinTarget).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
  });

  it('first-time fix: 4 of 5 judged (WO2 rejected at acceptance; WO7, WO8 not judged yet)', () => {
    expect(k.firstTimeFix).toEqual({ numerator: 4, denominator: 5, rate: 0.8 });
  });

  it('SLA compliance per priority', () => {
    expect(k.slaCompliance).toEqual({
      P1: { numerator: 1, denominator: 2, rate: 0.5 }, // WO1 ok; WO4 answered late
      P2: { numerator: 0, denominator: 2, rate: 0 }, // WO3 on site late; WO7 resolution overdue
      P3: { numerator: 1, denominator: 2, rate: 0.5 }, // WO2 ok (40 <= 48); WO8 answered late
      P4: { numerator: 1, denominator: 1, rate: 1 }, // WO5 ok
      all: { numerator: 3, denominator: 7, rate: 3 / 7 },
    });
  });

  it('mean time to resolve: (5 + 40 + 40 + 3 + 52) / 5 = 28 h', () => {
    expect(k.timeToResolve).toEqual({ count: 5, meanMs: 28 * H });
  });

  it('MTBF per asset: uptime from one resolution to the next fault', () => {
    expect(k.mtbf).toEqual([
      // X1: WO1 resolved Mar 2 14:00 -> WO7 Apr 2 09:00 = 744 - 5 = 739 h (WO5 preventive, WO6 cancelled left out).
      { assetId: X1, failures: 2, intervals: 1, meanMs: 739 * H },
      // X2: WO2 resolved Mar 5 02:00 -> WO8 detected Apr 6 07:00 = 744 + 29 = 773 h.
      { assetId: X2, failures: 2, intervals: 1, meanMs: 773 * H },
      // X3: WO3 resolved Mar 12 00:00 -> WO4 reported Mar 20 12:00 (before its detection at 12:30) = 204 h.
      { assetId: X3, failures: 2, intervals: 1, meanMs: 204 * H },
    ]);
  });

  it('satisfaction: mean (5 + 3 + 4 + 5) / 4 = 4.25, 3 of 4 would recommend', () => {
    expect(k.satisfaction).toEqual({
      responses: 4,
      meanScore: 4.25,
      wouldRecommend: { numerator: 3, denominator: 4, rate: 0.75 },
    });
  });

  it('complaints investigated within 24 h: 1 of 3 known (K3 too recent to judge)', () => {
    expect(k.complaintsWithin24h).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
  });

  it('proactive rate: WO1, WO3, WO8 of the 6 faults (WO5 preventive and WO6 false alarm are not faults)', () => {
    expect(k.proactive).toEqual({ numerator: 3, denominator: 6, rate: 0.5 });
  });

  it('detection lead time: WO3 only, reported 14:00, detected 07:00 -> 7 h (WO4 was detected after the call)', () => {
    expect(k.detectionLeadTime).toEqual({ count: 1, meanMs: 7 * H, medianMs: 7 * H });
  });

  it('checks the aggregate service promises', () => {
    expect(checkPromises(k).map((c) => [c.promise, c.actual, c.kept])).toEqual([
      ['meanFirstResponseMs', 5 * H, false],
      ['firstTimeFixRate', 0.8, false],
      ['meanSatisfaction', 4.25, false],
      ['recommendShare', 0.75, false],
      ['complaintsWithin24hRate', 1 / 3, false],
    ]);
  });
});

describe('computeKpis grouped', () => {
  it('by technician: A = WO1 WO2 WO5 WO7, B = WO3 WO4 WO8, none = WO6', () => {
    const { groups } = computeKpis(HISTORY, KpiOptionsSchema.parse({ asOf: ASOF, groupBy: 'technician' }));
    expect(groups.map((g) => [g.key, g.kpis.workOrders])).toEqual([
      [TECH_A, 4],
      [TECH_B, 3],
      [null, 1],
    ]);
    const [a, b, none] = groups.map((g) => g.kpis);
    // A: responses 0.25 2 1 3 -> mean 1.5625 h; p90 index 2.7 -> 2 + 0.7 x 1 = 2.7 h.
    expect(a?.firstResponse).toEqual({ count: 4, meanMs: 1.5625 * H, p90Ms: 2.7 * H });
    expect(a?.onSiteWithinTarget.rate).toBe(1); // WO1, WO7
    expect(a?.firstTimeFix).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 }); // WO1, WO5 of WO1 WO2 WO5
    expect(a?.slaCompliance.all).toEqual({ numerator: 3, denominator: 4, rate: 0.75 }); // WO7 overdue
    expect(a?.timeToResolve).toEqual({ count: 3, meanMs: 116_400_000 }); // (5 + 40 + 52) / 3 = 32 h 20 min
    expect(a?.mtbf).toEqual([
      { assetId: X1, failures: 2, intervals: 1, meanMs: 739 * H },
      { assetId: X2, failures: 1, intervals: 0, meanMs: null },
    ]);
    expect(a?.satisfaction).toEqual({
      responses: 2,
      meanScore: 4,
      wouldRecommend: { numerator: 1, denominator: 2, rate: 0.5 },
    });
    expect(a?.complaintsWithin24h).toEqual({ numerator: 1, denominator: 1, rate: 1 }); // K1 via WO2
    expect(a?.proactive).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 }); // WO1 of WO1 WO2 WO7

    // B: responses 1 1 26.75 -> mean 9.5833 h = 34 500 000 ms; p90 index 1.8 -> 1 + 0.8 x 25.75 = 21.6 h.
    expect(b?.firstResponse).toEqual({ count: 3, meanMs: 34_500_000, p90Ms: 21.6 * H });
    expect(b?.onSiteWithinTarget).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(b?.slaCompliance.all).toEqual({ numerator: 0, denominator: 3, rate: 0 });
    expect(b?.satisfaction.meanScore).toBe(4.5);
    expect(b?.complaintsWithin24h).toEqual({ numerator: 0, denominator: 1, rate: 0 }); // K2 via WO3
    expect(b?.proactive).toEqual({ numerator: 2, denominator: 3, rate: 2 / 3 }); // WO3, WO8
    expect(b?.detectionLeadTime.meanMs).toBe(7 * H);

    // No technician: WO6 (cancelled) and the complaints that name no work order: K3 (unknown yet), K4 (late).
    expect(none).toMatchObject({
      workOrders: 1,
      cancelled: 1,
      falseAlarms: 1,
      firstResponse: { count: 0, meanMs: null, p90Ms: null },
    });
    expect(none?.complaintsWithin24h).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect(none?.satisfaction).toEqual({
      responses: 0,
      meanScore: null,
      wouldRecommend: { numerator: 0, denominator: 0, rate: null },
    });
  });

  it('by customer: complaints by their own customer even without a work order', () => {
    const { groups } = computeKpis(HISTORY, KpiOptionsSchema.parse({ asOf: ASOF, groupBy: 'customer' }));
    expect(groups.map((g) => [g.key, g.kpis.workOrders, g.kpis.complaintsWithin24h])).toEqual([
      [C1, 5, { numerator: 1, denominator: 2, rate: 0.5 }], // K1 in time, K4 late
      [C2, 3, { numerator: 0, denominator: 1, rate: 0 }], // K2 late, K3 not yet known
    ]);
  });

  it('by region: complaints without a work order have no region', () => {
    const { groups } = computeKpis(HISTORY, KpiOptionsSchema.parse({ asOf: ASOF, groupBy: 'region' }));
    expect(
      groups.map((g) => [g.key, g.kpis.workOrders, g.kpis.proactive.rate, g.kpis.complaintsWithin24h.denominator]),
    ).toEqual([
      ['north', 5, 1 / 3, 1], // WO1 proactive of WO1 WO2 WO7; K1
      ['south', 3, 2 / 3, 1], // WO3 WO8 of WO3 WO4 WO8; K2
      [null, 0, null, 1], // K3 (not yet known), K4 (late)
    ]);
  });

  it('by month: each record by its own date', () => {
    const { groups } = computeKpis(HISTORY, KpiOptionsSchema.parse({ asOf: ASOF, groupBy: 'month' }));
    expect(
      groups.map((g) => [g.key, g.kpis.workOrders, g.kpis.satisfaction.responses, g.kpis.complaintsWithin24h]),
    ).toEqual([
      ['2026-03', 6, 4, { numerator: 1, denominator: 2, rate: 0.5 }],
      ['2026-04', 2, 0, { numerator: 0, denominator: 1, rate: 0 }],
    ]);
  });

  it('cuts months in the configured time zone', () => {
    // Created Mar 31 20:00 UTC = Apr 1 04:00 in Shanghai.
    const late = { ...WORK_ORDERS[0]!, createdAt: at('2026-03-31T20:00:00Z') };
    const history = { workOrders: [late], surveys: [], complaints: [] };
    const utc = computeKpis(history, KpiOptionsSchema.parse({ asOf: ASOF, groupBy: 'month' }));
    const shanghai = computeKpis(
      history,
      KpiOptionsSchema.parse({ asOf: ASOF, groupBy: 'month', timeZone: 'Asia/Shanghai' }),
    );
    expect(utc.groups.map((g) => g.key)).toEqual(['2026-03']);
    expect(shanghai.groups.map((g) => g.key)).toEqual(['2026-04']);
  });
});

describe('KPI edge cases', () => {
  it('reports nulls, not NaN, over an empty history', () => {
    const { overall } = computeKpis(
      { workOrders: [], surveys: [], complaints: [] },
      KpiOptionsSchema.parse({ asOf: ASOF }),
    );
    expect(overall.firstResponse).toEqual({ count: 0, meanMs: null, p90Ms: null });
    expect(overall.slaCompliance.all.rate).toBeNull();
    expect(overall.mtbf).toEqual([]);
    expect(checkPromises(overall).every((c) => c.kept === null)).toBe(true);
  });

  it('does not judge an SLA whose clock is stopped by a customer hold', () => {
    const paused = { ...WORK_ORDERS[6]!, clockStoppedAt: at('2026-04-03T09:00:00Z') }; // WO7 held 24 h in
    const { overall } = computeKpis(
      { workOrders: [paused], surveys: [], complaints: [] },
      KpiOptionsSchema.parse({ asOf: ASOF }),
    );
    expect(overall.slaCompliance.P2).toEqual({ numerator: 0, denominator: 0, rate: null });
  });

  it('flattens a live work order into the same record', () => {
    let live = openedWorkOrder({ priority: 'P1' });
    live = move(live, { to: 'triaged' }, T0 + 0.25 * H);
    live = move(live, { to: 'assigned', technicianId: ID.technicianA }, T0 + 0.5 * H);
    live = move(live, { to: 'on_site' }, T0 + 1.5 * H);
    const flat = kpiRecordOf(live);
    expect(KpiWorkOrderRecordSchema.parse(flat)).toEqual(flat);
    expect(flat).toMatchObject({
      status: 'on_site',
      slaPriority: 'P1',
      technicianId: ID.technicianA,
      firstResponseAt: T0 + 0.25 * H,
      onSiteAt: T0 + 1.5 * H,
      onSiteArrivals: 1,
    });
    const { overall } = computeKpis(
      { workOrders: [flat], surveys: [], complaints: [] },
      KpiOptionsSchema.parse({ asOf: T0 + 3 * H }),
    );
    expect(overall.onSiteWithinTarget.rate).toBe(1);
    expect(ACTOR.admin.role).toBe('admin');
  });
});
