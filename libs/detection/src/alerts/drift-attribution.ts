/**
 * Attribution of a device's asset-fault findings to the drift of its own sensor, pure (no I/O, no clock).
 *
 * A gauge that drifts away from the other gauges of its metric on its asset (`sensor_drift`, paired sensors)
 * also looks, to its own detectors, like a film thinning or a potential fading: they raise coating, corrosion or
 * CP findings on it, and a planner would get a coating work order for a sensor to recalibrate. So, while a
 * `sensor_drift` alert is open on (device, metric) with a confident blame (`largest`: among 3 or more sensors it
 * moves alone; `alone`: its partner stayed still), that device's asset-fault findings of that metric are held
 * back (they open no alert) and its open asset-fault alerts of that metric are resolved, each recorded on the
 * drift alert. `one_of_two` is not confident: either sensor of the pair may drift, and a real change may be
 * under it, so nothing is held then. Nor is anything held for a `sudden` onset (the deviation came within
 * hours, see PairedGroupConfig.suddenRatio): local damage under one gauge of three reads exactly so, and it is
 * a coating fault.
 *
 * The hold is derived from the drift alert alone (open, blame): every change of a sensor_drift alert goes
 * through `observe` (raised, cleared, dismissed or marked false positive by a planner), and so do the open ones
 * read back after a restart, so the state survives one without being stored on its own.
 */
import type { Finding } from '../core/index.js';
import { type Alert, isOpen } from './alert.js';

/** Blames under which the drifting sensor alone explains its readings. */
const CONFIDENT_BLAMES: ReadonlySet<string> = new Set(['largest', 'alone']);

export const DRIFT_KIND = 'sensor_drift';

/** An open, confidently blamed sensor_drift alert of (device, metric). */
export interface DriftHold {
  readonly deviceId: string;
  readonly metric: string;
  /** Id of the sensor_drift alert. */
  readonly alertId: string;
  readonly blame: string;
}

/** What an observed drift alert did to its (device, metric): a hold started or ended, or nothing. */
export type HoldTransition = { readonly type: 'started' | 'ended'; readonly hold: DriftHold } | null;

/** The last drift alert seen for a (device, metric), holding or not (a newer read wins over an older one). */
interface Seen {
  readonly alertId: string;
  readonly version: number;
  readonly hold: DriftHold | null;
}

export class DriftAttribution {
  /** Per device, per metric. Entries stay after a hold ends so an older read of the alert cannot revive it. */
  private readonly seen = new Map<string, Map<string, Seen>>();

  /**
   * Takes in a changed (or read back) alert; only sensor_drift alerts matter. A version of an alert older than
   * one already seen is ignored: a read at a device's first load may race with a change committed meanwhile.
   */
  observe(alert: Alert): HoldTransition {
    if (alert.kind !== DRIFT_KIND) return null;
    let byMetric = this.seen.get(alert.deviceId);
    const before = byMetric?.get(alert.metric);
    if (before !== undefined && before.alertId === alert.id && before.version >= alert.version) return null;
    // One open alert per (device, metric, kind): another id is newer when it is open, older when it is closed
    // while the one seen is still open (a stale read of a previous episode).
    if (before !== undefined && before.alertId !== alert.id && before.hold !== null && !isOpen(alert.status)) {
      return null;
    }
    const hold = holdOf(alert);
    if (byMetric === undefined) this.seen.set(alert.deviceId, (byMetric = new Map<string, Seen>()));
    byMetric.set(alert.metric, { alertId: alert.id, version: alert.version, hold });
    const had = before?.hold ?? null;
    if (hold !== null && (had === null || had.alertId !== hold.alertId)) return { type: 'started', hold };
    if (hold === null && had !== null) return { type: 'ended', hold: had };
    return null;
  }

  /** The hold a finding falls under: an asset-fault finding that would open or worsen an alert, else undefined. */
  holdFor(finding: Finding): DriftHold | undefined {
    // A cleared finding opens nothing (and may close what was opened before the hold), sensor findings are the
    // device's own health: neither is held.
    if (finding.fault === 'sensor' || finding.phase === 'cleared') return undefined;
    return this.holdOn(finding.deviceId, finding.metric);
  }

  holdOn(deviceId: string, metric: string): DriftHold | undefined {
    return this.seen.get(deviceId)?.get(metric)?.hold ?? undefined;
  }

  /** Forgets a device (deleted). */
  forget(deviceId: string): void {
    this.seen.delete(deviceId);
  }
}

/** The hold a drift alert puts on its (device, metric), or null. */
export function holdOf(alert: Alert): DriftHold | null {
  if (alert.kind !== DRIFT_KIND || !isOpen(alert.status)) return null;
  const blame = alert.details?.['blame'];
  if (typeof blame !== 'string' || !CONFIDENT_BLAMES.has(blame)) return null;
  // A deviation that came within hours is not a drift: the film may have been damaged under that gauge alone,
  // and its coating alerts must stand (PairedGroupConfig.suddenRatio).
  if (alert.details?.['onset'] === 'sudden') return null;
  return { deviceId: alert.deviceId, metric: alert.metric, alertId: alert.id, blame };
}

/** Whether an alert is one a hold resolves: open, an asset fault, of the drifting sensor's device and metric. */
export function attributable(alert: Alert, hold: DriftHold): boolean {
  return (
    isOpen(alert.status) && alert.fault !== 'sensor' && alert.deviceId === hold.deviceId && alert.metric === hold.metric
  );
}

export function attributionNote(hold: DriftHold): string {
  return `attributed to sensor drift of ${hold.metric} on this device, see alert ${hold.alertId}`;
}

/**
 * An open asset-fault alert resolved by the drift of its sensor: cleared (`clearReason` sensor_drift) at event
 * time `eventTime` (the drift's, never before what the alert has seen), the reason in its note.
 */
export function resolveAttributed(alert: Alert, hold: DriftHold, eventTime: number, now: number): Alert {
  const at = Math.max(eventTime, alert.lastEventTime);
  return {
    ...alert,
    status: 'cleared',
    clearedAt: now,
    clearedEventTime: at,
    clearReason: 'sensor_drift',
    note: attributionNote(hold),
    version: alert.version + 1,
    updatedAt: now,
  };
}

/** What was attributed to a drift alert: a finding held back, or an alert resolved. */
export type Attributed =
  { readonly type: 'finding'; readonly finding: Finding } | { readonly type: 'alert'; readonly alert: Alert };

/**
 * The drift alert with what was attributed to it counted in its details (`heldFindings`, `resolvedAlerts`, and
 * `attributedKinds`, the kinds in first-seen order), so a planner sees on the alert itself what it stands for;
 * each one is also in its history (`attributed`).
 */
export function recordAttributed(drift: Alert, what: Attributed, now: number): Alert {
  const details = drift.details ?? {};
  const count = (key: string) => (typeof details[key] === 'number' ? details[key] : 0);
  const kind = what.type === 'finding' ? what.finding.kind : what.alert.kind;
  const kinds = typeof details['attributedKinds'] === 'string' ? details['attributedKinds'].split(',') : [];
  return {
    ...drift,
    details: {
      ...details,
      heldFindings: count('heldFindings') + (what.type === 'finding' ? 1 : 0),
      resolvedAlerts: count('resolvedAlerts') + (what.type === 'alert' ? 1 : 0),
      attributedKinds: (kinds.includes(kind) ? kinds : [...kinds, kind]).join(','),
    },
    version: drift.version + 1,
    updatedAt: now,
  };
}
