import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KPI_GROUP_BY,
  PRIORITIES,
  WORK_ORDER_SOURCES,
  WORK_ORDER_STATUSES,
  type KpiComplaintRecord,
  type KpiSurveyRecord,
  type KpiWorkOrderRecord,
} from '../domain/index.js';
import { insertKpiHistory } from '../testing/kpi-seed.js';
import { startServiceDeskApp, type ServiceDeskTestApp } from '../testing/service-desk-test-app.js';
import { KpiQuerySchema } from './kpi.api.js';
import { KpiService } from './kpi.service.js';

const H = 3_600_000;
const FROM = Date.parse('2026-01-01T00:00:00Z');
const TO = Date.parse('2026-04-01T00:00:00Z');
const AS_OF = Date.parse('2026-03-20T12:00:00Z');

/** A small deterministic generator (mulberry32): the same varied history on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A history meant to reach every branch of the KPI definitions: every status and source, remote resolutions,
 * stopped clocks, rejections and repeat visits, missing milestones, late and early targets, several faults per
 * asset (some never resolved), work orders outside the period with surveys and complaints inside it.
 */
function variedHistory(ids: { assets: string[]; customers: string[]; technicians: string[] }) {
  const r = random(20260301);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(r() * values.length)]!;
  const maybe = <T>(p: number, value: () => T): T | null => (r() < p ? value() : null);
  const hours = (max: number) => Math.round(r() * max * 4) * (H / 4);
  const workOrders: KpiWorkOrderRecord[] = [];
  for (let i = 0; i < 400; i++) {
    const createdAt = FROM - 10 * 24 * H + Math.round((r() * (TO - FROM + 20 * 24 * H)) / 60_000) * 60_000;
    const status = pick(WORK_ORDER_STATUSES);
    const source = pick(WORK_ORDER_SOURCES);
    const plus = (max: number) => createdAt + hours(max);
    const resolvedAt = ['resolved', 'accepted', 'closed', 'rejected'].includes(status) || r() < 0.1 ? plus(80) : null;
    workOrders.push({
      id: randomUUID(),
      source,
      status,
      slaPriority: pick(PRIORITIES),
      technicianId: maybe(0.8, () => pick(ids.technicians)),
      region: maybe(0.85, () => pick(['north', 'south', 'west'])),
      customerId: pick(ids.customers),
      assetId: pick(ids.assets),
      createdAt,
      detectedAt: source === 'detector' ? createdAt - hours(6) : maybe(0.1, () => plus(3)),
      customerReportedAt: source === 'customer_report' ? createdAt : maybe(0.3, () => createdAt + hours(30) - 10 * H),
      firstResponseAt: status === 'new' ? null : plus(30),
      onSiteAt: maybe(0.6, () => plus(40)),
      resolvedAt,
      acceptedAt: ['accepted', 'closed'].includes(status) ? (resolvedAt ?? createdAt) + H : null,
      cancelReason: status === 'cancelled' ? pick(['false_alarm', 'duplicate', 'other'] as const) : null,
      remoteResolution: r() < 0.2,
      rejectionCount: r() < 0.15 ? 1 + Math.floor(r() * 2) : 0,
      onSiteArrivals: Math.floor(r() * 3),
      due: {
        firstResponse: maybe(0.9, () => plus(24)),
        onSite: maybe(0.6, () => plus(30)),
        resolution: maybe(0.9, () => plus(60)),
      },
      clockStoppedAt: status === 'on_hold' && r() < 0.7 ? plus(10) : null,
    });
  }
  // Boundaries: a deadline falling exactly now, a target met exactly on time, a clock stopped exactly at its
  // deadline, a complaint investigated after exactly 24 h.
  const c = FROM + 10 * 24 * H;
  const only = (due: Partial<KpiWorkOrderRecord['due']>) => ({
    firstResponse: null,
    onSite: null,
    resolution: null,
    ...due,
  });
  const edge = (i: number, patch: Partial<KpiWorkOrderRecord>) => {
    workOrders[i] = {
      ...workOrders[i]!,
      createdAt: c,
      firstResponseAt: null,
      onSiteAt: null,
      resolvedAt: null,
      clockStoppedAt: null,
      ...patch,
    };
  };
  edge(0, { status: 'triaged', due: only({ firstResponse: AS_OF }) });
  edge(1, { status: 'on_site', onSiteAt: c + 2 * H, due: only({ onSite: c + 2 * H }) });
  edge(2, { status: 'on_hold', clockStoppedAt: c + 5 * H, due: only({ resolution: c + 5 * H }) });
  const surveys: KpiSurveyRecord[] = workOrders
    .filter(() => r() < 0.4)
    .map((w) => ({
      workOrderId: w.id,
      score: 1 + Math.floor(r() * 5),
      wouldRecommend: r() < 0.7,
      submittedAt: w.createdAt + hours(24 * 20),
    }));
  const complaints: KpiComplaintRecord[] = Array.from({ length: 60 }, () => {
    const openedAt = FROM - 5 * 24 * H + Math.round(r() * (TO - FROM + 10 * 24 * H));
    const about = maybe(0.7, () => pick(workOrders));
    return {
      id: randomUUID(),
      customerId: about?.customerId ?? pick(ids.customers),
      workOrderId: about?.id ?? null,
      openedAt,
      investigatedAt: maybe(0.8, () => openedAt + hours(48)),
    };
  });
  complaints.push({
    id: randomUUID(),
    customerId: ids.customers[0]!,
    workOrderId: null,
    openedAt: FROM + H,
    investigatedAt: FROM + 25 * H,
  });
  return { workOrders, surveys, complaints };
}

describe('KPIs in SQL equal the domain’s computeKpis', () => {
  let t: ServiceDeskTestApp;
  let kpis: KpiService;
  beforeAll(async () => {
    t = await startServiceDeskApp({
      now: AS_OF,
      config: {
        calendar: {
          timeZone: 'Asia/Shanghai',
          workingHours: {
            mon: [{ start: '09:00', end: '18:00' }],
            tue: [],
            wed: [],
            thu: [],
            fri: [],
            sat: [],
            sun: [],
          },
        },
      },
    });
    const f = t.fleet;
    await insertKpiHistory(
      t.db.connection.db,
      variedHistory({
        assets: Object.values(f.assets),
        customers: Object.values(f.customers),
        technicians: Object.values(f.technicians),
      }),
    );
    kpis = t.app.get(KpiService);
  });
  afterAll(async () => t?.close());

  it.each([null, ...KPI_GROUP_BY])('grouped by %s, with MTBF per asset', async (groupBy) => {
    const q = KpiQuerySchema.parse({
      from: '2026-01-01T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
      mtbfByAsset: 'true',
      ...(groupBy === null ? {} : { groupBy }),
    });
    const reference = await kpis.reportFromRecords(q);
    const sql = await kpis.report(q);
    expect(reference.overall.workOrders).toBeGreaterThan(300);
    expect(sql).toEqual(reference);
  });
});
