import { describe, expect, it } from 'vitest';
import { computeKpis } from '../domain/index.js';
import { kpiReportCsv } from './kpi-csv.js';
import type { KpiReportView } from './kpi.api.js';
import { kpiSetView } from './kpi.service.js';

const empty = kpiSetView(
  computeKpis({ workOrders: [], surveys: [], complaints: [] }, { asOf: 0, groupBy: null, timeZone: 'UTC' }).overall,
  false,
);

const report = (groups: KpiReportView['groups']): KpiReportView => ({
  from: '2026-03-01T00:00:00.000Z',
  to: '2026-04-01T00:00:00.000Z',
  asOf: '2026-04-01T00:00:00.000Z',
  groupBy: 'region',
  timeZone: 'UTC',
  overall: { ...empty, workOrders: 3, firstTimeFix: { numerator: 2, denominator: 3, rate: 2 / 3 } },
  groups,
  promises: [],
});

describe('kpiReportCsv', () => {
  it('writes a header, the overall row and one row per group, CRLF line ends (RFC 4180)', () => {
    const csv = kpiReportCsv(
      report([
        { key: 'north', kpis: { ...empty, workOrders: 2 } },
        { key: null, kpis: empty },
      ]),
    );
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 5)).toEqual(['scope', 'key', 'from', 'to', 'work_orders']);
    const cell = (line: string, name: string) => line.split(',')[header.indexOf(name)];
    expect(cell(lines[1]!, 'scope')).toBe('overall');
    expect(cell(lines[1]!, 'first_time_fix_rate')).toBe(String(2 / 3));
    expect([cell(lines[2]!, 'scope'), cell(lines[2]!, 'key'), cell(lines[2]!, 'work_orders')]).toEqual([
      'region',
      'north',
      '2',
    ]);
    // Nothing to measure is an empty cell, not "null"; the group without a key has an empty key.
    expect([cell(lines[3]!, 'key'), cell(lines[3]!, 'first_time_fix_rate')]).toEqual(['', '']);
  });

  it('quotes a key holding a comma or a quote', () => {
    const csv = kpiReportCsv(report([{ key: 'north, "coastal"', kpis: empty }]));
    expect(csv.split('\r\n')[2]).toContain('region,"north, ""coastal""",');
  });
});
