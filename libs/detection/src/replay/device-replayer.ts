/**
 * Replays one device's readings through fresh detectors and the alert lifecycle in memory: what the current
 * rules would have found and raised. Event time throughout (offline from the gaps between readings, quiet
 * periods from the readings' times), so the answer does not depend on when it is asked.
 */
import { type AssetProfile, DetectorRegistry, type Finding, type ObservedReading } from '../core/index.js';
import type { Alert, AlertOwner } from '../alerts/alert.js';
import { AlertLifecycle } from '../alerts/alert-lifecycle.js';
import { type AlertPolicy, DEFAULT_ALERT_POLICY } from '../alerts/alert-policy.js';
import { InMemoryAlertBook } from '../alerts/in-memory-alert-book.js';
import { offlineAtEventTime } from '../pipeline/event-time-offline.js';

export interface DeviceReplayerOptions {
  readonly profile?: AssetProfile;
  readonly sensitivity?: number;
  readonly policy?: AlertPolicy;
  readonly owner?: AlertOwner;
  /** Findings kept in `findings` (all are counted and applied to the alerts). Default 1000. */
  readonly maxFindings?: number;
  readonly newId?: () => string;
}

export class DeviceReplayer {
  readonly registry: DetectorRegistry;
  readonly book: InMemoryAlertBook;
  readonly findings: Finding[] = [];
  findingCount = 0;
  readingCount = 0;
  private readonly metrics = new Set<string>();
  private lastTs: number | null = null;
  private readonly maxFindings: number;

  constructor(
    readonly deviceId: string,
    private readonly options: DeviceReplayerOptions = {},
  ) {
    const profile = options.profile ?? {};
    this.registry = new DetectorRegistry({ profileOf: () => profile });
    if (options.sensitivity !== undefined) this.registry.setSensitivity(deviceId, options.sensitivity);
    const owner = options.owner ?? { assetId: null, customerId: null };
    this.book = new InMemoryAlertBook({
      lifecycle: new AlertLifecycle(options.policy ?? DEFAULT_ALERT_POLICY),
      owner: () => owner,
      ...(options.newId ? { newId: options.newId } : {}),
    });
    this.maxFindings = options.maxFindings ?? 1000;
  }

  /** Feeds one reading; readings must come in event-time order (per metric at least). */
  feed(reading: ObservedReading): readonly Finding[] {
    const found: Finding[] = [
      ...offlineAtEventTime(this.registry, this.deviceId, this.metrics, this.lastTs, reading.ts, this.options.profile),
    ];
    this.metrics.add(reading.metric);
    found.push(...this.registry.update(reading));
    this.readingCount += 1;
    if (this.lastTs === null || reading.ts > this.lastTs) this.lastTs = reading.ts;
    for (const f of found) {
      this.findingCount += 1;
      if (this.findings.length < this.maxFindings) this.findings.push(f);
      this.book.apply(f);
    }
    return found;
  }

  /** Ends the replay at event time `to`: event alerts quiet by then are cleared. */
  finish(to: number): Alert[] {
    this.book.sweep(this.deviceId, to);
    return this.book.alerts();
  }
}
