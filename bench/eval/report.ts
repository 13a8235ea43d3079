import type { KindFigures, Totals } from './match.js';

const pct = (x: number | null): string => (x === null ? '-' : `${(100 * x).toFixed(0)} %`);
const days = (x: number | null): string => (x === null ? '-' : x.toFixed(1));

/** The per-kind table (Markdown, so it can go in a README as it is). */
export function kindTable(rows: readonly KindFigures[], total: KindFigures): string {
  const header = [
    'fault kind',
    'faults',
    'detected',
    'recall',
    'detector WO',
    'reported',
    'WO before report',
    'proactive',
    'median lead (d)',
    'p10 lead (d)',
    'of them projected',
    'best possible (d)',
  ];
  const line = (r: KindFigures, name = r.kind) => [
    name,
    String(r.faults),
    String(r.detected),
    pct(r.recall),
    String(r.withWorkOrder),
    String(r.reported),
    String(r.proactive),
    pct(r.proactiveRate),
    days(r.medianLeadDays),
    days(r.p10LeadDays),
    String(r.projectedLeads),
    days(r.medianPossibleLeadDays),
  ];
  return markdown(header, [...rows.map((r) => line(r)), line(total, '**all**')]);
}

/** The false-alarm side: alerts and work orders nothing in the truth explains, per 100 device-months. */
export function alarmTable(t: Totals): string {
  return markdown(
    ['', 'count', 'true', 'misdiagnosed', 'false', 'precision', 'false per 100 device-months'],
    [
      [
        'alerts',
        String(t.alerts),
        String(t.alerts - t.false_alerts - t.misdiagnosed_alerts),
        String(t.misdiagnosed_alerts),
        String(t.false_alerts),
        pct(t.precision),
        t.false_alerts_per_100_device_months.toFixed(2),
      ],
      [
        'work orders',
        String(t.work_orders),
        '-',
        '-',
        String(t.false_work_orders),
        pct(t.work_order_precision),
        t.false_work_orders_per_100_device_months.toFixed(2),
      ],
    ],
  );
}

function markdown(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const row = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [row(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(row)].join('\n');
}

/** Where the false alarms come from, by alert kind. */
export function falseAlarmLines(t: Totals): string[] {
  const list = (tally: Readonly<Record<string, number>>) =>
    Object.entries(tally)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  return [
    `false alerts by kind: ${list(t.false_alert_kinds)}; ${t.false_alerts_at_start} of them in the first two days of the run (a state the asset was already in when its data starts)`,
    `false work orders by the alert that opened them: ${list(t.false_work_order_kinds)}`,
  ];
}
