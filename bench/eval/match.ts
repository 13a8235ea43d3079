/**
 * Ground truth vs what the platform did: which alert and work order caught which injected fault, and the
 * figures of issue 5 (recall, precision, false alerts per 100 device-months, lead time before the
 * customer-visible failure, proactive rate). Pure: plain records in, figures out.
 */

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
export const DEVICE_MONTH_DAYS = 30.44;

/** A fault of the ground truth (the simulator's `fault` lines), times in epoch ms. */
export interface TruthFault {
  readonly faultId: string;
  readonly kind: string;
  readonly scope: 'asset' | 'sensor';
  readonly deviceIds: readonly string[];
  readonly startAt: number;
  readonly failureAt: number | null;
  /** No failure in the run: when the simulator's physics says it would have come (slow faults); else null. */
  readonly projectedFailureAt: number | null;
  readonly customerReportAt: number | null;
  /** Whether the report was sent to the service desk during the run. */
  readonly reportSent: boolean;
  /** The service desk's answer, when sent: the report landed on a work order the sensors had opened. */
  readonly platformWasFirst: boolean | null;
  /** Fault-specific duration (offline, dropout), days; null when the fault lasts to the end. */
  readonly durationDays: number | null;
}

/** An alert as the API lists it, times in epoch ms. */
export interface SeenAlert {
  readonly id: string;
  readonly deviceId: string;
  readonly kind: string;
  readonly fault: string;
  readonly severity: string;
  /** Event time of the reading that raised it. */
  readonly eventTime: number;
}

/** A detector work order and every alert on it (the one that opened it and those linked). */
export interface SeenWorkOrder {
  readonly id: string;
  readonly status: string;
  readonly alertIds: readonly string[];
}

export interface RunInput {
  readonly faults: readonly TruthFault[];
  readonly alerts: readonly SeenAlert[];
  readonly workOrders: readonly SeenWorkOrder[];
  /** Devices in the fleet and the days simulated: the exposure false alarms are counted against. */
  readonly devices: number;
  readonly days: number;
  readonly runStart: number;
  readonly runEnd: number;
}

/** Alerts raised this soon after the run starts judge a state the asset was already in (e.g. an aged coating). */
export const START_MS = 2 * DAY_MS;

/** Which alert fault classes count as catching a fault kind (anything else on the device is a misdiagnosis). */
const COMPATIBLE: Readonly<Record<string, readonly string[]>> = {
  coating_damage: ['coating_damage', 'coating_degradation', 'corrosion', 'anomaly'],
  accelerated_degradation: ['coating_degradation', 'coating_damage', 'corrosion', 'anomaly'],
  coating_end_of_life: ['coating_degradation', 'coating_damage', 'corrosion', 'anomaly'],
  corrosion_onset: ['corrosion', 'anomaly'],
  cp_failure: ['cathodic_protection', 'corrosion', 'anomaly'],
  stuck_value: ['sensor', 'anomaly'],
  spikes: ['sensor', 'anomaly'],
  drift: ['sensor', 'anomaly'],
  dropout: ['sensor', 'anomaly'],
  offline: ['sensor', 'anomaly'],
  battery_depletion: ['sensor', 'anomaly'],
};

/** Faults that develop over days to weeks: the ones a lead time of a week is asked for. */
export const GRADUAL_KINDS: readonly string[] = ['accelerated_degradation', 'corrosion_onset', 'coating_end_of_life'];

/** A detector starts a little before the planned start (device clock offsets, onset estimates). */
const EARLY_SLACK_MS = 2 * HOUR_MS;
/** After a fault that ends (a link back up), alerts about it still come for a while (backlog, quiet period). */
const AFTER_END_MS = 3 * DAY_MS;

export function faultWindow(fault: TruthFault, runEnd: number): { from: number; to: number } {
  const to = fault.durationDays === null ? runEnd : fault.startAt + fault.durationDays * DAY_MS + AFTER_END_MS;
  return { from: fault.startAt - EARLY_SLACK_MS, to: Math.min(runEnd + DAY_MS, to) };
}

export function compatible(faultKind: string, alertFault: string): boolean {
  return (COMPATIBLE[faultKind] ?? []).includes(alertFault);
}

/** How one fault was caught. Times are event times; lead times in days (positive = before the failure). */
export interface FaultResult {
  readonly fault: TruthFault;
  readonly detected: boolean;
  readonly firstAlertAt: number | null;
  /** Event time of the first caught alert that had a work order (opened, or joined one already open). */
  readonly workOrderAt: number | null;
  readonly leadDays: number | null;
  /** The lead is measured against the projected failure (after the end of the run). */
  readonly leadProjected: boolean;
  /** The most any detector could have: failure - fault start, days (the fault's own physics bounds the lead). */
  readonly possibleLeadDays: number | null;
  /** Work order before the customer's report (event time); null when there is no report in the run. */
  readonly proactive: boolean | null;
}

export interface RunResult {
  readonly faults: readonly FaultResult[];
  readonly alerts: number;
  /** Alerts that caught a fault (its device, its window, a compatible class). */
  readonly trueAlerts: number;
  /** Alerts on a faulty device in its window but of another class (e.g. a drifting gauge read as thin coating). */
  readonly misdiagnosedAlerts: number;
  /** Alerts nothing in the truth explains. */
  readonly falseAlerts: number;
  /** False alerts by alert kind, and how many of them came in the first days of the run. */
  readonly falseAlertKinds: Readonly<Record<string, number>>;
  readonly falseAlertsAtStart: number;
  readonly workOrders: number;
  readonly trueWorkOrders: number;
  /** Work orders none of whose alerts any fault explains. */
  readonly falseWorkOrders: number;
  /** False work orders by the kind of the alert that opened them. */
  readonly falseWorkOrderKinds: Readonly<Record<string, number>>;
  readonly deviceMonths: number;
}

export function evaluateRun(input: RunInput): RunResult {
  const byDevice = new Map<string, Array<{ fault: TruthFault; from: number; to: number }>>();
  for (const fault of input.faults) {
    const w = faultWindow(fault, input.runEnd);
    for (const d of fault.deviceIds) {
      let list = byDevice.get(d);
      if (!list) byDevice.set(d, (list = []));
      list.push({ fault, ...w });
    }
  }
  const withWorkOrder = new Set<string>();
  for (const wo of input.workOrders) for (const id of wo.alertIds) withWorkOrder.add(id);

  const caughtBy = new Map<string, SeenAlert[]>();
  const verdict = new Map<string, 'true' | 'misdiagnosed' | 'false'>();
  for (const alert of input.alerts) {
    const candidates = (byDevice.get(alert.deviceId) ?? []).filter(
      (c) => alert.eventTime >= c.from && alert.eventTime <= c.to,
    );
    const matching = candidates.filter((c) => compatible(c.fault.kind, alert.fault));
    for (const c of matching) {
      let list = caughtBy.get(c.fault.faultId);
      if (!list) caughtBy.set(c.fault.faultId, (list = []));
      list.push(alert);
    }
    verdict.set(alert.id, matching.length > 0 ? 'true' : candidates.length > 0 ? 'misdiagnosed' : 'false');
  }

  const faults = input.faults.map((fault): FaultResult => {
    const caught = (caughtBy.get(fault.faultId) ?? []).slice().sort((a, b) => a.eventTime - b.eventTime);
    const firstAlertAt = caught[0]?.eventTime ?? null;
    const workOrderAt = caught.find((a) => withWorkOrder.has(a.id))?.eventTime ?? null;
    const failureAt = fault.failureAt ?? fault.projectedFailureAt;
    return {
      fault,
      detected: caught.length > 0,
      firstAlertAt,
      workOrderAt,
      leadDays: workOrderAt !== null && failureAt !== null ? (failureAt - workOrderAt) / DAY_MS : null,
      leadProjected: workOrderAt !== null && fault.failureAt === null && failureAt !== null,
      possibleLeadDays: failureAt === null ? null : (failureAt - fault.startAt) / DAY_MS,
      proactive: fault.customerReportAt === null ? null : workOrderAt !== null && workOrderAt < fault.customerReportAt,
    };
  });

  const count = (v: 'true' | 'misdiagnosed' | 'false') => [...verdict.values()].filter((x) => x === v).length;
  const trueWorkOrders = input.workOrders.filter((wo) => wo.alertIds.some((id) => verdict.get(id) === 'true')).length;
  const falseOrders = input.workOrders.filter((wo) =>
    wo.alertIds.every((id) => (verdict.get(id) ?? 'false') === 'false'),
  );
  const kindOf = new Map(input.alerts.map((a) => [a.id, a.kind]));
  const falseAlerts = input.alerts.filter((a) => verdict.get(a.id) === 'false');
  return {
    faults,
    alerts: input.alerts.length,
    trueAlerts: count('true'),
    misdiagnosedAlerts: count('misdiagnosed'),
    falseAlerts: count('false'),
    falseAlertKinds: tally(falseAlerts.map((a) => a.kind)),
    falseAlertsAtStart: falseAlerts.filter((a) => a.eventTime < input.runStart + START_MS).length,
    workOrders: input.workOrders.length,
    trueWorkOrders,
    falseWorkOrders: falseOrders.length,
    falseWorkOrderKinds: tally(falseOrders.map((wo) => kindOf.get(wo.alertIds[0] ?? '') ?? 'unknown')),
    deviceMonths: (input.devices * input.days) / DEVICE_MONTH_DAYS,
  };
}

function tally(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** The q-quantile (0..1) of a sample, linear between order statistics; null for an empty sample. */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface KindFigures {
  readonly kind: string;
  readonly faults: number;
  readonly detected: number;
  readonly recall: number | null;
  readonly withWorkOrder: number;
  /** Faults with a customer report in the run, and those whose work order came first. */
  readonly reported: number;
  readonly proactive: number;
  readonly proactiveRate: number | null;
  readonly medianLeadDays: number | null;
  readonly p10LeadDays: number | null;
  /** Of the leads, how many are against a projected failure (after the run). */
  readonly projectedLeads: number;
  /** Median of failure - fault start: the lead a perfect detector would have. */
  readonly medianPossibleLeadDays: number | null;
}

export function figuresByKind(results: readonly FaultResult[]): KindFigures[] {
  const kinds = [...new Set(results.map((r) => r.fault.kind))].sort();
  return kinds.map((kind) =>
    figuresOf(
      kind,
      results.filter((r) => r.fault.kind === kind),
    ),
  );
}

export function figuresOf(kind: string, results: readonly FaultResult[]): KindFigures {
  const detected = results.filter((r) => r.detected).length;
  const reported = results.filter((r) => r.proactive !== null);
  const proactive = reported.filter((r) => r.proactive === true).length;
  const leads = results.flatMap((r) => (r.leadDays === null ? [] : [r.leadDays]));
  return {
    kind,
    faults: results.length,
    detected,
    recall: results.length === 0 ? null : detected / results.length,
    withWorkOrder: results.filter((r) => r.workOrderAt !== null).length,
    reported: reported.length,
    proactive,
    proactiveRate: reported.length === 0 ? null : proactive / reported.length,
    medianLeadDays: quantile(leads, 0.5),
    p10LeadDays: quantile(leads, 0.1),
    projectedLeads: results.filter((r) => r.leadDays !== null && r.leadProjected).length,
    medianPossibleLeadDays: quantile(
      results.flatMap((r) => (r.possibleLeadDays === null ? [] : [r.possibleLeadDays])),
      0.5,
    ),
  };
}

export interface Totals {
  readonly recall: number | null;
  readonly precision: number | null;
  readonly work_order_precision: number | null;
  readonly false_alerts_per_100_device_months: number;
  readonly false_work_orders_per_100_device_months: number;
  readonly median_lead_days: number | null;
  readonly p10_lead_days: number | null;
  readonly gradual_median_lead_days: number | null;
  readonly proactive_rate: number | null;
  readonly faults: number;
  readonly alerts: number;
  readonly false_alerts: number;
  readonly false_alerts_at_start: number;
  readonly false_alert_kinds: Readonly<Record<string, number>>;
  readonly misdiagnosed_alerts: number;
  readonly work_orders: number;
  readonly false_work_orders: number;
  readonly false_work_order_kinds: Readonly<Record<string, number>>;
  readonly device_months: number;
}

/** Figures over several runs pooled (every fault, alert and work order counts once). */
export function totals(runs: readonly RunResult[]): Totals {
  const faults = runs.flatMap((r) => r.faults);
  const all = figuresOf('all', faults);
  const gradual = figuresOf(
    'gradual',
    faults.filter((f) => GRADUAL_KINDS.includes(f.fault.kind)),
  );
  const sum = (f: (r: RunResult) => number) => runs.reduce((n, r) => n + f(r), 0);
  const deviceMonths = sum((r) => r.deviceMonths);
  const alerts = sum((r) => r.alerts);
  const workOrders = sum((r) => r.workOrders);
  const per100 = (n: number) => (deviceMonths === 0 ? 0 : (100 * n) / deviceMonths);
  return {
    recall: all.recall,
    precision: alerts === 0 ? null : sum((r) => r.trueAlerts) / alerts,
    work_order_precision: workOrders === 0 ? null : sum((r) => r.trueWorkOrders) / workOrders,
    false_alerts_per_100_device_months: per100(sum((r) => r.falseAlerts)),
    false_work_orders_per_100_device_months: per100(sum((r) => r.falseWorkOrders)),
    median_lead_days: all.medianLeadDays,
    p10_lead_days: all.p10LeadDays,
    gradual_median_lead_days: gradual.medianLeadDays,
    proactive_rate: all.proactiveRate,
    faults: faults.length,
    alerts,
    false_alerts: sum((r) => r.falseAlerts),
    false_alerts_at_start: sum((r) => r.falseAlertsAtStart),
    false_alert_kinds: merge(runs.map((r) => r.falseAlertKinds)),
    misdiagnosed_alerts: sum((r) => r.misdiagnosedAlerts),
    work_orders: workOrders,
    false_work_orders: sum((r) => r.falseWorkOrders),
    false_work_order_kinds: merge(runs.map((r) => r.falseWorkOrderKinds)),
    device_months: deviceMonths,
  };
}

function merge(tallies: ReadonlyArray<Readonly<Record<string, number>>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of tallies) for (const [k, n] of Object.entries(t)) out[k] = (out[k] ?? 0) + n;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1]));
}
