import { Injectable } from '@nestjs/common';
import { and, asc, desc, eq, gte, inArray, lte, or, type SQL } from 'drizzle-orm';
import type { AlertStatus } from '#contracts';
import type { DbExecutor } from '#database';
import type { DetectorFamily, FaultClass, FindingKind, FindingLifecycle, Severity } from '../core/index.js';
import { type Alert, type ClearReason, isOpen } from './alert.js';
import { alertActions, alerts } from './alert.tables.js';

type AlertRow = typeof alerts.$inferSelect;
type AlertInsert = typeof alerts.$inferInsert;

export interface AlertFilter {
  readonly statuses?: readonly AlertStatus[] | undefined;
  readonly deviceId?: string | undefined;
  readonly assetId?: string | undefined;
  readonly customerId?: string | undefined;
  readonly kind?: string | undefined;
  readonly severities?: readonly Severity[] | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
  readonly limit: number;
  readonly offset: number;
}

export interface AlertActionRecord {
  readonly alertId: string;
  readonly action: string;
  readonly at: number;
  readonly eventTime: number | null;
  readonly actor: string;
  readonly note: string | null;
  readonly details: Record<string, unknown> | null;
}

const OPEN: AlertStatus[] = ['active', 'acknowledged'];
const date = (ms: number | null) => (ms === null ? null : new Date(ms));
const ms = (d: Date | null) => (d === null ? null : d.getTime());

/** The `alerts` and `alert_actions` tables. Every method takes the executor (database or transaction). */
@Injectable()
export class AlertRepository {
  /**
   * The key's open alert if it has one (at most one: `alerts_one_open_per_key`), else its most recent alert
   * whatever its status (alerts of one key never overlap in time), in one read: the open one sorts first.
   * `open` is that alert when it is open.
   */
  async findCurrent(
    db: DbExecutor,
    deviceId: string,
    metric: string,
    kind: string,
  ): Promise<{ open: Alert | undefined; last: Alert | undefined }> {
    const rows = await db
      .select()
      .from(alerts)
      .where(and(eq(alerts.deviceId, deviceId), eq(alerts.metric, metric), eq(alerts.kind, kind)))
      .orderBy(desc(inArray(alerts.status, OPEN)), desc(alerts.eventTime), desc(alerts.openedAt))
      .limit(1);
    const last = rows[0] && toAlert(rows[0]);
    return { open: last && isOpen(last.status) ? last : undefined, last };
  }

  async get(db: DbExecutor, id: string): Promise<Alert | undefined> {
    const rows = await db.select().from(alerts).where(eq(alerts.id, id)).limit(1);
    return rows[0] && toAlert(rows[0]);
  }

  /**
   * Open alerts of several devices the service tracks in memory, in one query: event-type alerts (their quiet
   * period) and those of `kinds` (the sensor_drift alerts that hold findings back).
   */
  async openWatchedAlertsOf(db: DbExecutor, deviceIds: readonly string[], kinds: readonly string[]): Promise<Alert[]> {
    if (deviceIds.length === 0) return [];
    const watched = kinds.length > 0 ? or(eq(alerts.lifecycle, 'event'), inArray(alerts.kind, [...kinds])) : undefined;
    const rows = await db
      .select()
      .from(alerts)
      .where(
        and(
          inArray(alerts.deviceId, [...deviceIds]),
          inArray(alerts.status, OPEN),
          watched ?? eq(alerts.lifecycle, 'event'),
        ),
      );
    return rows.map(toAlert);
  }

  /** Open alerts of one device and metric, whatever their kind. */
  async openAlertsOn(db: DbExecutor, deviceId: string, metric: string): Promise<Alert[]> {
    const rows = await db
      .select()
      .from(alerts)
      .where(and(eq(alerts.deviceId, deviceId), eq(alerts.metric, metric), inArray(alerts.status, OPEN)));
    return rows.map(toAlert);
  }

  async insert(db: DbExecutor, alert: Alert): Promise<void> {
    await db.insert(alerts).values(toRow(alert));
  }

  /** Writes `alert` over the stored row if that is still at `expectedVersion`; false when it changed meanwhile. */
  async update(db: DbExecutor, alert: Alert, expectedVersion: number): Promise<boolean> {
    const { id: _id, ...values } = toRow(alert);
    const rows = await db
      .update(alerts)
      .set(values)
      .where(and(eq(alerts.id, alert.id), eq(alerts.version, expectedVersion)))
      .returning({ id: alerts.id });
    return rows.length === 1;
  }

  async list(db: DbExecutor, filter: AlertFilter): Promise<Alert[]> {
    const where: SQL[] = [];
    if (filter.statuses?.length) where.push(inArray(alerts.status, [...filter.statuses]));
    if (filter.deviceId !== undefined) where.push(eq(alerts.deviceId, filter.deviceId));
    if (filter.assetId !== undefined) where.push(eq(alerts.assetId, filter.assetId));
    if (filter.customerId !== undefined) where.push(eq(alerts.customerId, filter.customerId));
    if (filter.kind !== undefined) where.push(eq(alerts.kind, filter.kind));
    if (filter.severities?.length) where.push(inArray(alerts.severity, [...filter.severities]));
    if (filter.from !== undefined) where.push(gte(alerts.eventTime, new Date(filter.from)));
    if (filter.to !== undefined) where.push(lte(alerts.eventTime, new Date(filter.to)));
    const rows = await db
      .select()
      .from(alerts)
      .where(and(...where))
      .orderBy(desc(alerts.eventTime), desc(alerts.id))
      .limit(filter.limit)
      .offset(filter.offset);
    return rows.map(toAlert);
  }

  async insertAction(db: DbExecutor, record: AlertActionRecord): Promise<void> {
    await db.insert(alertActions).values({
      alertId: record.alertId,
      action: record.action,
      at: new Date(record.at),
      eventTime: date(record.eventTime),
      actor: record.actor,
      note: record.note,
      details: record.details,
    });
  }

  async history(db: DbExecutor, alertId: string): Promise<AlertActionRecord[]> {
    const rows = await db
      .select()
      .from(alertActions)
      .where(eq(alertActions.alertId, alertId))
      .orderBy(asc(alertActions.id));
    return rows.map((r) => ({
      alertId: r.alertId,
      action: r.action,
      at: r.at.getTime(),
      eventTime: ms(r.eventTime),
      actor: r.actor,
      note: r.note,
      details: r.details,
    }));
  }
}

function toRow(a: Alert): AlertInsert {
  return {
    id: a.id,
    deviceId: a.deviceId,
    assetId: a.assetId,
    customerId: a.customerId,
    metric: a.metric,
    kind: a.kind,
    fault: a.fault,
    detector: a.detector,
    lifecycle: a.lifecycle,
    severity: a.severity,
    score: a.score,
    status: a.status,
    explanation: a.explanation,
    standard: a.standard,
    evidence: a.evidence,
    prediction: a.prediction,
    details: a.details ?? null,
    eventTime: new Date(a.eventTime),
    onsetTime: new Date(a.onsetTime),
    openedAt: new Date(a.openedAt),
    lastEventTime: new Date(a.lastEventTime),
    occurrences: a.occurrences,
    clearedAt: date(a.clearedAt),
    clearedEventTime: date(a.clearedEventTime),
    clearReason: a.clearReason,
    acknowledgedBy: a.acknowledgedBy,
    acknowledgedAt: date(a.acknowledgedAt),
    closedBy: a.closedBy,
    closedAt: date(a.closedAt),
    note: a.note,
    version: a.version,
    updatedAt: new Date(a.updatedAt),
  };
}

function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    deviceId: r.deviceId,
    assetId: r.assetId,
    customerId: r.customerId,
    metric: r.metric,
    // The columns hold what the lifecycle wrote from the core's closed vocabularies.
    kind: r.kind as FindingKind,
    fault: r.fault as FaultClass,
    detector: r.detector as DetectorFamily,
    lifecycle: r.lifecycle as FindingLifecycle,
    severity: r.severity as Severity,
    score: r.score,
    status: r.status as AlertStatus,
    explanation: r.explanation,
    standard: r.standard,
    evidence: r.evidence,
    prediction: r.prediction,
    details: r.details,
    eventTime: r.eventTime.getTime(),
    onsetTime: r.onsetTime.getTime(),
    openedAt: r.openedAt.getTime(),
    lastEventTime: r.lastEventTime.getTime(),
    occurrences: r.occurrences,
    clearedAt: ms(r.clearedAt),
    clearedEventTime: ms(r.clearedEventTime),
    clearReason: r.clearReason as ClearReason | null,
    acknowledgedBy: r.acknowledgedBy,
    acknowledgedAt: ms(r.acknowledgedAt),
    closedBy: r.closedBy,
    closedAt: ms(r.closedAt),
    note: r.note,
    version: r.version,
    updatedAt: r.updatedAt.getTime(),
  };
}
