import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KpiWorkOrderRecordSchema,
  type KpiComplaintRecord,
  type KpiSurveyRecord,
  type KpiWorkOrderRecord,
} from '../domain/index.js';
import { insertKpiHistory } from '../testing/kpi-seed.js';
import { startServiceDeskApp, type ServiceDeskTestApp } from '../testing/service-desk-test-app.js';
import { expectStatus } from '../testing/work-order-steps.js';
import { KpiReportViewSchema, type KpiReportView } from './kpi.api.js';

const H = 3_600_000;
const at = (iso: string): number => Date.parse(iso);
const ASOF = at('2026-04-15T00:00:00Z');

/**
 * The history of the domain's KPI test (compute-kpis.test.ts), stored in the database: the same eight work
 * orders, four surveys and four complaints, so the endpoint must give the values computed there by hand.
 */
function seededHistory(ids: {
  techA: string;
  techB: string;
  c1: string;
  c2: string;
  x1: string;
  x2: string;
  x3: string;
}) {
  const wo = Array.from({ length: 9 }, () => randomUUID());
  type Seed = Partial<KpiWorkOrderRecord> & Pick<KpiWorkOrderRecord, 'source' | 'status' | 'slaPriority' | 'createdAt'>;
  const record = (
    n: number,
    seed: Seed,
    hoursAfter: Partial<Record<'firstResponse' | 'onSite' | 'resolved' | 'accepted', number>>,
    dueHours: [number | null, number | null, number | null],
  ): KpiWorkOrderRecord => {
    const c = seed.createdAt;
    const plus = (h: number | undefined | null) => (h === undefined || h === null ? null : c + h * H);
    return KpiWorkOrderRecordSchema.parse({
      id: wo[n],
      technicianId: null,
      region: null,
      customerId: ids.c1,
      assetId: ids.x1,
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
  };
  const { techA, techB, c1, c2, x1, x2, x3 } = ids;
  const workOrders = [
    record(
      1,
      {
        source: 'detector',
        status: 'closed',
        slaPriority: 'P1',
        createdAt: at('2026-03-02T09:00:00Z'),
        detectedAt: at('2026-03-02T07:00:00Z'),
        technicianId: techA,
        region: 'north',
        customerId: c1,
        assetId: x1,
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
        technicianId: techA,
        region: 'north',
        customerId: c1,
        assetId: x2,
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
        technicianId: techB,
        region: 'south',
        customerId: c2,
        assetId: x3,
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
        technicianId: techB,
        region: 'south',
        customerId: c2,
        assetId: x3,
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
        technicianId: techA,
        region: 'north',
        customerId: c1,
        assetId: x1,
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
        customerId: c1,
        assetId: x1,
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
        technicianId: techA,
        region: 'north',
        customerId: c1,
        assetId: x1,
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
        technicianId: techB,
        region: 'south',
        customerId: c2,
        assetId: x2,
      },
      { firstResponse: 26.75 },
      [24, null, 48],
    ),
  ];
  const surveys: KpiSurveyRecord[] = [
    { workOrderId: wo[1]!, score: 5, wouldRecommend: true, submittedAt: at('2026-03-03T09:00:00Z') },
    { workOrderId: wo[2]!, score: 3, wouldRecommend: false, submittedAt: at('2026-03-06T09:00:00Z') },
    { workOrderId: wo[3]!, score: 4, wouldRecommend: true, submittedAt: at('2026-03-13T09:00:00Z') },
    { workOrderId: wo[4]!, score: 5, wouldRecommend: true, submittedAt: at('2026-03-21T09:00:00Z') },
  ];
  const complaints: KpiComplaintRecord[] = [
    {
      id: randomUUID(),
      customerId: c1,
      workOrderId: wo[2]!,
      openedAt: at('2026-03-05T09:00:00Z'),
      investigatedAt: at('2026-03-05T15:00:00Z'),
    },
    {
      id: randomUUID(),
      customerId: c2,
      workOrderId: wo[3]!,
      openedAt: at('2026-03-12T10:00:00Z'),
      investigatedAt: at('2026-03-13T12:00:00Z'),
    },
    { id: randomUUID(), customerId: c2, workOrderId: null, openedAt: at('2026-04-14T12:00:00Z'), investigatedAt: null },
    { id: randomUUID(), customerId: c1, workOrderId: null, openedAt: at('2026-04-01T08:00:00Z'), investigatedAt: null },
  ];
  return { workOrders, surveys, complaints };
}

/** RFC 4180 lines without quoted fields (the seeded values hold no comma). */
const csvRows = (text: string) =>
  text
    .trimEnd()
    .split('\r\n')
    .map((line) => line.split(','));

describe('GET /api/kpis over a seeded history', () => {
  let t: ServiceDeskTestApp;
  beforeAll(async () => {
    t = await startServiceDeskApp({ now: ASOF });
    const f = t.fleet;
    await insertKpiHistory(
      t.db.connection.db,
      seededHistory({
        techA: f.technicians.ana,
        techB: f.technicians.ben,
        c1: f.customers.north,
        c2: f.customers.south,
        x1: f.assets.tank,
        x2: f.assets.pipeline,
        x3: f.assets.bridge,
      }),
    );
  });
  afterAll(async () => t?.close());

  const PERIOD = 'from=2026-03-01&to=2026-05-01';

  it('equals the values computed by hand', async () => {
    const report = KpiReportViewSchema.parse(
      await expectStatus(t.request<KpiReportView>('GET', `/api/kpis?${PERIOD}&mtbfByAsset=true`), 200),
    );
    const k = report.overall;
    expect(report).toMatchObject({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-05-01T00:00:00.000Z',
      asOf: '2026-04-15T00:00:00.000Z',
      groupBy: null,
      timeZone: 'UTC',
    });
    expect([k.workOrders, k.cancelled, k.falseAlarms]).toEqual([8, 1, 1]);
    expect(k.firstResponse).toEqual({ count: 7, meanMs: 5 * H, p90Ms: 12.5 * H });
    expect(k.onSiteWithinTarget).toEqual({ numerator: 3, denominator: 4, rate: 0.75 });
    expect(k.firstTimeFix).toEqual({ numerator: 4, denominator: 5, rate: 0.8 });
    expect(k.slaCompliance).toEqual({
      P1: { numerator: 1, denominator: 2, rate: 0.5 },
      P2: { numerator: 0, denominator: 2, rate: 0 },
      P3: { numerator: 1, denominator: 2, rate: 0.5 },
      P4: { numerator: 1, denominator: 1, rate: 1 },
      all: { numerator: 3, denominator: 7, rate: 3 / 7 },
    });
    expect(k.timeToResolve).toEqual({ count: 5, meanMs: 28 * H });
    // Uptimes: tank 739 h, pipeline 773 h, bridge 204 h; mean over the three intervals 572 h.
    expect(k.mtbf).toMatchObject({ assets: 3, intervals: 3, meanMs: 572 * H });
    expect(new Map(k.mtbf.byAsset!.map((a) => [a.assetId, a.meanMs]))).toEqual(
      new Map([
        [t.fleet.assets.tank, 739 * H],
        [t.fleet.assets.pipeline, 773 * H],
        [t.fleet.assets.bridge, 204 * H],
      ]),
    );
    expect(k.satisfaction).toEqual({
      responses: 4,
      meanScore: 4.25,
      wouldRecommend: { numerator: 3, denominator: 4, rate: 0.75 },
    });
    expect(k.complaintsWithin24h).toEqual({ numerator: 1, denominator: 3, rate: 1 / 3 });
    expect(k.proactive).toEqual({ numerator: 3, denominator: 6, rate: 0.5 });
    expect(k.detectionLeadTime).toEqual({ count: 1, meanMs: 7 * H, medianMs: 7 * H });
    expect(report.promises.map((p) => [p.promise, p.kept])).toEqual([
      ['meanFirstResponseMs', false],
      ['firstTimeFixRate', false],
      ['meanSatisfaction', false],
      ['recommendShare', false],
      ['complaintsWithin24hRate', false],
    ]);
  });

  it('groups by technician, customer, region and month', async () => {
    const get = async (groupBy: string) =>
      (await expectStatus(t.request<KpiReportView>('GET', `/api/kpis?${PERIOD}&groupBy=${groupBy}`), 200)).groups;
    const byTechnician = new Map((await get('technician')).map((g) => [g.key, g.kpis]));
    expect(byTechnician.get(t.fleet.technicians.ana)).toMatchObject({
      workOrders: 4,
      firstResponse: { count: 4, meanMs: 1.5625 * H, p90Ms: 2.7 * H },
      firstTimeFix: { numerator: 2, denominator: 3 },
      timeToResolve: { count: 3, meanMs: 116_400_000 },
      satisfaction: { responses: 2, meanScore: 4 },
      complaintsWithin24h: { numerator: 1, denominator: 1 },
    });
    expect(byTechnician.get(t.fleet.technicians.ben)).toMatchObject({
      workOrders: 3,
      firstResponse: { count: 3, meanMs: 34_500_000, p90Ms: 21.6 * H },
      proactive: { numerator: 2, denominator: 3 },
    });
    expect(byTechnician.get(null)).toMatchObject({ workOrders: 1, cancelled: 1, falseAlarms: 1 });
    const byCustomer = new Map((await get('customer')).map((g) => [g.key, g.kpis.complaintsWithin24h]));
    expect(byCustomer.get(t.fleet.customers.north)).toEqual({ numerator: 1, denominator: 2, rate: 0.5 });
    expect(byCustomer.get(t.fleet.customers.south)).toEqual({ numerator: 0, denominator: 1, rate: 0 });
    expect((await get('region')).map((g) => [g.key, g.kpis.workOrders, g.kpis.proactive.rate])).toEqual([
      ['north', 5, 1 / 3],
      ['south', 3, 2 / 3],
      [null, 0, null],
    ]);
    expect((await get('month')).map((g) => [g.key, g.kpis.workOrders, g.kpis.satisfaction.responses])).toEqual([
      ['2026-03', 6, 4],
      ['2026-04', 2, 0],
    ]);
  });

  it('exports CSV with format=csv or Accept: text/csv', async () => {
    const res = await t.request('GET', `/api/kpis?${PERIOD}&format=csv&groupBy=month`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, overall, march, april] = csvRows(res.text);
    const cell = (row: string[] | undefined, name: string) => row?.[header!.indexOf(name)];
    expect(header!.slice(0, 5)).toEqual(['scope', 'key', 'from', 'to', 'work_orders']);
    expect([cell(overall, 'scope'), cell(overall, 'key'), cell(overall, 'work_orders')]).toEqual(['overall', '', '8']);
    expect(cell(overall, 'first_time_fix_rate')).toBe('0.8');
    expect(cell(overall, 'proactive_rate')).toBe('0.5');
    expect(cell(overall, 'first_response_p90_ms')).toBe(String(12.5 * H));
    expect(cell(overall, 'mtbf_mean_ms')).toBe(String(572 * H));
    expect([cell(march, 'scope'), cell(march, 'key'), cell(march, 'work_orders')]).toEqual(['month', '2026-03', '6']);
    expect([cell(april, 'key'), cell(april, 'survey_responses')]).toEqual(['2026-04', '0']);

    const byAccept = await t.request('GET', `/api/kpis?${PERIOD}`, { headers: { accept: 'text/csv' } });
    expect(byAccept.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvRows(byAccept.text)).toHaveLength(2);
  });

  it('refuses a bad query naming the field, and anyone but planners', async () => {
    expect(await t.request('GET', '/api/kpis?groupBy=asset')).toMatchObject({
      status: 400,
      body: { field: 'groupBy' },
    });
    expect(await t.request('GET', '/api/kpis?from=2026-05-01&to=2026-03-01')).toMatchObject({
      status: 400,
      body: { field: 'from' },
    });
    expect((await t.request('GET', '/api/kpis', { token: t.fleet.tokens.north })).status).toBe(403);
    expect((await t.request('GET', '/api/kpis', { token: t.fleet.tokens.admin })).status).toBe(200);
  });
});
