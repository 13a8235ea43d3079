/**
 * The alert lifecycle over plain maps: what the replay endpoint, the replay CLI and the unit tests use to see
 * which alerts a series of findings would raise, without a database.
 */
import { randomUUID } from 'node:crypto';
import type { AlertActionName } from '#contracts';
import type { Finding } from '../core/index.js';
import { type Alert, type AlertChange, type AlertOwner, SYSTEM_ACTOR, alertKey, isOpen } from './alert.js';
import { AlertLifecycle } from './alert-lifecycle.js';

export interface InMemoryAlertBookOptions {
  readonly lifecycle?: AlertLifecycle;
  readonly owner?: (deviceId: string) => AlertOwner;
  readonly newId?: () => string;
}

export class InMemoryAlertBook {
  readonly lifecycle: AlertLifecycle;
  private readonly byId = new Map<string, Alert>();
  private readonly open = new Map<string, Alert>();
  private readonly last = new Map<string, Alert>();
  private readonly pending = new Map<string, readonly number[]>();
  private readonly sensitivities = new Map<string, number>();
  readonly changes: AlertChange[] = [];
  private readonly ownerOf: (deviceId: string) => AlertOwner;
  private readonly newId: () => string;

  constructor(options: InMemoryAlertBookOptions = {}) {
    this.lifecycle = options.lifecycle ?? new AlertLifecycle();
    this.ownerOf = options.owner ?? (() => ({ assetId: null, customerId: null }));
    this.newId = options.newId ?? randomUUID;
  }

  /**
   * Applies one finding (event-time order per device); the device's event alerts whose quiet period ended
   * before it are cleared first. `now` is the wall-clock time (a replay passes the finding's event time).
   */
  apply(finding: Finding, now = finding.detectedAt): AlertChange | null {
    this.sweep(finding.deviceId, finding.detectedAt, now);
    const key = alertKey(finding.deviceId, finding.metric, finding.kind);
    const outcome = this.lifecycle.onFinding(finding, {
      open: this.open.get(key),
      last: this.last.get(key),
      pending: this.pending.get(key) ?? [],
      owner: this.ownerOf(finding.deviceId),
      now,
      newId: this.newId,
    });
    this.setPending(key, outcome.pending);
    if (outcome.type === 'ignored') return null;
    return this.record({
      type: outcome.type,
      alert: outcome.alert,
      previous: outcome.previous,
      finding,
      actor: SYSTEM_ACTOR,
      note: null,
      sensitivity: null,
    });
  }

  /** Clears the device's open event alerts that have been quiet until event time `eventNow`. */
  sweep(deviceId: string, eventNow: number, now = eventNow): AlertChange[] {
    const out: AlertChange[] = [];
    for (const alert of [...this.open.values()]) {
      if (alert.deviceId !== deviceId) continue;
      const cleared = this.lifecycle.onQuiet(alert, eventNow, now);
      if (cleared) {
        out.push(
          this.record({
            type: 'cleared',
            alert: cleared,
            previous: alert,
            finding: null,
            actor: SYSTEM_ACTOR,
            note: null,
            sensitivity: null,
          }),
        );
      }
    }
    return out;
  }

  act(id: string, action: AlertActionName, actor: string, now: number, note: string | null = null): AlertChange {
    const alert = this.byId.get(id);
    if (!alert) throw new Error(`alert ${id} not found`);
    const outcome = this.lifecycle.onAction(alert, action, {
      actor,
      note,
      now,
      sensitivity: this.sensitivityOf(alert.deviceId),
    });
    if (outcome.sensitivity) this.sensitivities.set(alert.deviceId, outcome.sensitivity.to);
    return this.record({
      type: outcome.type,
      alert: outcome.alert,
      previous: alert,
      finding: null,
      actor,
      note,
      sensitivity: outcome.sensitivity,
    });
  }

  sensitivityOf(deviceId: string): number {
    return this.sensitivities.get(deviceId) ?? 1;
  }

  get(id: string): Alert | undefined {
    return this.byId.get(id);
  }

  /** Every alert, in the order they were first raised. */
  alerts(): Alert[] {
    return [...this.byId.values()];
  }

  openAlerts(): Alert[] {
    return [...this.open.values()];
  }

  private setPending(key: string, pending: readonly number[]): void {
    if (pending.length === 0) this.pending.delete(key);
    else this.pending.set(key, pending);
  }

  private record(change: AlertChange): AlertChange {
    const { alert } = change;
    const key = alertKey(alert.deviceId, alert.metric, alert.kind);
    this.byId.set(alert.id, alert);
    const latest = this.last.get(key);
    if (!latest || latest.id === alert.id || latest.eventTime <= alert.eventTime) this.last.set(key, alert);
    if (isOpen(alert.status)) this.open.set(key, alert);
    else if (this.open.get(key)?.id === alert.id) this.open.delete(key);
    this.changes.push(change);
    return change;
  }
}
