/**
 * KPI benchmark: 100 000 work orders (a year of history with milestones, surveys and complaints) in an embedded
 * PGlite database in a temporary folder, then the KPI report as `GET /api/kpis` computes it (KpiService.report,
 * aggregated in SQL; median of several runs), and once, for comparison, the reference path that loads every
 * record and runs the domain's computeKpis. Prints a table and, last, one JSON line:
 *   {"work_orders":100000,"kpi_query_ms":...,"grouped_month_ms":...,"reference_load_ms":...,"reference_compute_ms":...}
 *
 *   npm run build && node dist/bench/kpis/run.js [--work-orders 100000] [--runs 7]
 */
import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { sql } from 'drizzle-orm';
import { PUBLIC_EVENT_PUBLISHER, type PublicEvent } from '#contracts';
import { DatabaseConnection, DatabaseModule } from '#database';
import { PlatformModule } from '#platform';
import { computeKpis, KpiService, ServiceDeskModule } from '#service-desk';
import { seedHistory } from './seed.js';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
};
const WORK_ORDERS = opt('work-orders', 100_000);
const RUNS = opt('runs', 7);
const DAY = 86_400_000;

/** The KPIs publish nothing; the module still needs the port. */
@Module({
  providers: [
    {
      provide: PUBLIC_EVENT_PUBLISHER,
      useValue: { publish: async (e: Omit<PublicEvent, 'id' | 'at'>) => ({ ...e, id: '', at: '' }) },
    },
  ],
  exports: [PUBLIC_EVENT_PUBLISHER],
})
class NoEventsModule {}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function timed<T>(work: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'coatwatch-kpis-'));
  const connection = await DatabaseConnection.open({ kind: 'pglite', dataDir: dir });
  try {
    const to = Math.floor(Date.now() / DAY) * DAY;
    const from = to - 365 * DAY;
    const seeding = await timed(() =>
      seedHistory(connection, { workOrders: WORK_ORDERS, customers: 200, assets: 5_000, technicians: 60, from, to }),
    );
    const counts = await connection.rows<{ w: number; s: number; c: number }>(
      sql`select (select count(*) from work_orders)::int as w, (select count(*) from work_order_surveys)::int as s,
                 (select count(*) from complaints)::int as c`,
    );

    const app = await NestFactory.createApplicationContext(
      {
        module: class BenchModule {},
        imports: [
          DatabaseModule.forRoot(connection),
          PlatformModule,
          ServiceDeskModule.forRoot({ imports: [NoEventsModule], options: { schedulers: { enabled: false } } }),
        ],
      },
      { logger: false },
    );
    const kpis = app.get(KpiService);
    const query = { from, to };

    await kpis.report(query); // warm-up: query plans, caches
    const total: number[] = [];
    const grouped: number[] = [];
    let workOrders = 0;
    for (let i = 0; i < RUNS; i++) {
      const run = await timed(() => kpis.report(query));
      total.push(run.ms);
      workOrders = run.value.overall.workOrders;
      grouped.push((await timed(() => kpis.report({ ...query, groupBy: 'month' }))).ms);
    }
    // Once, for comparison: loading every record and running the domain's computeKpis (the reference path).
    const loaded = await timed(() => kpis.history(from, to));
    const computed = await timed(() => computeKpis(loaded.value, { asOf: Date.now(), groupBy: null, timeZone: 'UTC' }));
    await app.close();

    const row = (name: string, ms: number) => `${name.padEnd(44)} ${ms.toFixed(1).padStart(10)}`;
    console.log(
      `work orders ${counts[0]?.w}, surveys ${counts[0]?.s}, complaints ${counts[0]?.c} ` +
        `(seeded in ${(seeding.ms / 1000).toFixed(1)} s)`,
    );
    console.log(`${'KPI report'.padEnd(44)} ${'ms'.padStart(10)}`);
    console.log(row(`GET /api/kpis, SQL aggregates (median of ${RUNS})`, median(total)));
    console.log(row(`  groupBy=month (median of ${RUNS})`, median(grouped)));
    console.log(row('reference: load every record (1 run)', loaded.ms));
    console.log(row('reference: domain computeKpis (1 run)', computed.ms));
    console.log(
      JSON.stringify({
        work_orders: workOrders,
        kpi_query_ms: Math.round(median(total)),
        grouped_month_ms: Math.round(median(grouped)),
        reference_load_ms: Math.round(loaded.ms),
        reference_compute_ms: Math.round(computed.ms),
      }),
    );
  } finally {
    if (!connection.isClosed) await connection.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
