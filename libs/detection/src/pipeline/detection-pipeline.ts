import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { type Observable, Subject, type Subscription } from 'rxjs';
import type { Reading } from '#contracts';
import { type BackgroundWrites, backgroundWrites, Clock, DomainEventBus } from '#platform';
import { type ReadingPoint, ReadingStream, type StreamRange, TELEMETRY_STORE, type TelemetryStore } from '#telemetry';
import { DetectorRegistry, type Finding, type ObservedReading, type StreamDetectorSet } from '../core/index.js';
import type { AlertChange, AlertOwner } from '../alerts/alert.js';
import { AlertService } from '../alerts/alert.service.js';
import type { StoredSensitivity } from '../sensitivity/sensitivity.repository.js';
import { DETECTION_OPTIONS, type DetectionOptions } from '../detection-options.js';
import {
  DEVICE_PROFILE_SOURCE,
  type DeviceProfile,
  type DeviceProfileSource,
  sameProfile,
} from '../profiles/device-profile.js';
import {
  DetectorStateRepository,
  type StoredPairedState,
  type StoredState,
} from '../state/detector-state.repository.js';
import { BatchLoader, type Settled, settleEach } from './batch-loader.js';
import { DetectionMetrics } from './detection-metrics.js';
import { DeviceLane, type LaneWork } from './device-lane.js';
import { freshestStream, offlineAfterMs, offlineAtEventTime } from './event-time-offline.js';
import { readForward } from './history-reader.js';
import { type Membership, PairedSensors } from './paired-sensors.js';

const DAY = 86_400_000;
/** Devices first seen together whose state is loaded by one query per kind. */
const COLD_LOAD_BATCH = 200;
/** Streams warmed up together whose history is read by one query (each answers up to `warmupMaxReadings`). */
const WARMUP_BATCH = 50;

/** What the first load of a device reads from the database. */
interface ColdDevice {
  readonly profile: DeviceProfile;
  readonly stored: readonly StoredState[];
  readonly sensitivity: StoredSensitivity;
}

/** What the pipeline holds of one device between its readings. */
interface DeviceContext {
  readonly deviceId: string;
  profile: DeviceProfile;
  /** Wall-clock time the profile was read. */
  profileAt: number;
  /** Streams in the registry. */
  readonly metrics: Set<string>;
  /**
   * The registry's detector sets of those streams, by metric: the hot path skips the registry's (device,
   * metric) string key. Cleared whenever the pipeline makes the registry replace a set (reconfigure).
   */
  readonly sets: Map<string, StreamDetectorSet>;
  /**
   * Per metric, the device's membership of its asset's paired-sensor group (null: the metric takes no part),
   * so a reading reaches its group without lookups. Cleared whenever `profile` is replaced.
   */
  readonly pairedAs: Map<string, Membership | null>;
  /** Restored streams: event time of the snapshot, from which stored readings are re-read at the next reading. */
  readonly gapFrom: Map<string, number>;
  /** Per metric, per kind: debounce state of the alert keys. */
  readonly pending: Map<string, Record<string, readonly number[]>>;
  /** Streams changed since the last state flush. */
  readonly dirty: Set<string>;
  /** Whether its newest reading was live (event time close to the wall-clock): offline is then wall-clock. */
  live: boolean;
  /** Newest event time of the device. */
  lastTs: number | null;
}

/**
 * The detection pipeline: accepted readings (ReadingStream, after they are durable) -> per-device lanes ->
 * detectors (DetectorRegistry) -> alert lifecycle (AlertService) -> `alerts$` and public events.
 *
 * - Each device has a bounded lane (DeviceLane: what happens when a device floods is documented there),
 *   drained one batch at a time: a device's readings are judged in event-time order, never two batches of a
 *   device at once, while devices run concurrently. A reading only goes into its lane (a Map lookup, no rxjs
 *   operator per reading: the pipeline shares the ingest thread, so each reading's cost there counts); a
 *   drained lane stays, idle, for the device's next delivery (one per device, as its context; dropped with it).
 * - Errors are isolated per device batch: logged, counted (`detection_errors_total`), and the lane goes on.
 * - State: a device's snapshots are restored at its first reading (or first offline check) after a start;
 *   what was stored after the snapshot is re-read from the store, so a crash loses nothing. A stream without a
 *   snapshot warms up from `warmupDays` of stored history, its findings suppressed (standing conditions at the
 *   end of the warm-up excepted: those the detectors would never report again). Dirty snapshots are written in
 *   batches every `flushIntervalMs` and at shutdown.
 * - Offline: live devices on a wall-clock timer; readings that are not live (backlogs, re-reads) at event time.
 * - No alert storm after a restart or a backlog: conditions speak on transitions only, their state is
 *   restored, findings already judged are ignored (AlertLifecycle), point events are debounced.
 */
@Injectable()
export class DetectionPipeline implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly registry: DetectorRegistry;
  private readonly findingsSubject = new Subject<Finding>();
  /** Every finding the detectors produce live (not those of warm-ups), in order per device. */
  readonly findings$: Observable<Finding> = this.findingsSubject.asObservable();
  private readonly contexts = new Map<string, DeviceContext>();
  private readonly loading = new Map<string, Promise<DeviceContext>>();
  private readonly lanes = new Map<string, DeviceLane>();
  /** Lanes claimed since the last `pump`, and whether it is queued. */
  private readyLanes: DeviceLane[] = [];
  private pumpQueued = false;
  private readonly dirtyDevices = new Set<string>();
  private readonly dormant = new Map<string, number>();
  /** Drift against paired sensors: groups of the sensors of one metric on one asset, across the lanes. */
  private readonly paired = new PairedSensors();
  private readonly arrivalFindings: Finding[] = [];
  private readonly subscriptions: Subscription[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private flushing: Promise<void> | null = null;
  private readonly logger = new Logger('DetectionPipeline');
  /** Alert writes in flight over every device (`alertWriteConcurrency`: why, there). */
  private readonly alertWrites: BackgroundWrites;
  /** First loads of devices, batched across the devices first seen in one turn (see BatchLoader). */
  private readonly coldLoads = new BatchLoader<string, ColdDevice>((ids) => this.loadColdDevices(ids), COLD_LOAD_BATCH);
  /** Profile refreshes (`profileTtlMs`), batched: devices first seen together expire together. */
  private readonly profileRefreshes = new BatchLoader<string, DeviceProfile>(
    (ids) => this.profilesOf(ids),
    COLD_LOAD_BATCH,
  );
  /** Warm-up history reads, batched across streams (one multi-stream query). */
  private readonly warmupReads = new BatchLoader<StreamRange, ReadingPoint[]>(
    (ranges) => this.readWarmups(ranges),
    WARMUP_BATCH,
  );

  constructor(
    private readonly readings: ReadingStream,
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
    @Inject(DEVICE_PROFILE_SOURCE) private readonly profiles: DeviceProfileSource,
    private readonly alerts: AlertService,
    private readonly states: DetectorStateRepository,
    private readonly clock: Clock,
    private readonly metrics: DetectionMetrics,
    private readonly events: DomainEventBus,
    @Inject(DETECTION_OPTIONS) private readonly options: DetectionOptions,
  ) {
    this.registry = new DetectorRegistry({ profileOf: (id) => this.contexts.get(id)?.profile.profile });
    this.alertWrites = backgroundWrites(options.alertWriteConcurrency);
  }

  /** Alert changes, for the automation (same as AlertService.alerts$). */
  get alerts$(): Observable<AlertChange> {
    return this.alerts.alerts$;
  }

  onApplicationBootstrap(): void {
    this.subscriptions.push(
      this.alerts.alerts$.subscribe((change) => this.onAlertChange(change)),
      this.events.on('device.deleted').subscribe((e) => this.forget(e.deviceId)),
    );
    // A planner changed an asset's detection settings: its devices re-read their profiles at their next batch
    // (refreshProfile reconfigures the streams if the profile differs) instead of at the end of `profileTtlMs`.
    const changed = this.profiles.changedAssets$?.subscribe((assetId) => {
      for (const ctx of this.contexts.values()) if (ctx.profile.assetId === assetId) ctx.profileAt = -Infinity;
    });
    if (changed) this.subscriptions.push(changed);
    if (!this.options.enabled) return;
    this.subscriptions.push(
      this.readings.readings$.subscribe({
        next: (reading) => this.enqueue(reading),
        error: (error: unknown) => this.logger.error(`reading subscription failed: ${describe(error)}`),
      }),
    );
    this.every(this.options.flushIntervalMs, () => this.flush(false));
    this.every(this.options.offlineCheckIntervalMs, async () => this.offlineTick());
    void this.loadDormant();
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    // Let the reading stream hand over what it has queued, then stop listening and finish the lanes.
    await this.waitFor(() => this.readings.pendingReadings === 0, this.options.shutdownDrainMs);
    for (const s of this.subscriptions.splice(0)) s.unsubscribe();
    await this.waitFor(() => this.lanesIdle(), this.options.shutdownDrainMs);
    await this.flush(true);
    this.findingsSubject.complete();
  }

  /** Resolves once every delivered reading has been judged and its alerts written (tests, shutdown). */
  async idle(timeoutMs = 60_000): Promise<void> {
    const done = await this.waitFor(() => this.readings.pendingReadings === 0 && this.lanesIdle(), timeoutMs);
    if (!done) throw new Error(`detection pipeline still busy after ${timeoutMs} ms`);
  }

  /** Writes the dirty snapshots now (the timer does it every `flushIntervalMs`). */
  async flush(all = true): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.writeDirty(all).finally(() => {
      this.flushing = null;
    });
    await this.flushing;
  }

  /** Requests a wall-clock offline check of every live device now (the timer does it periodically). */
  async offlineTick(): Promise<void> {
    const now = this.clock.now();
    for (const ctx of this.contexts.values()) {
      if (ctx.live && ctx.lastTs !== null && now - ctx.lastTs >= offlineAfterMs(ctx.profile.profile)) {
        this.schedule(ctx.deviceId, (lane) => lane.requestOfflineCheck(now));
      }
    }
    // Devices live before the restart that have not sent since: load their state to check them too.
    for (const deviceId of [...this.dormant.keys()]) {
      this.dormant.delete(deviceId);
      if (!this.contexts.has(deviceId)) this.schedule(deviceId, (lane) => lane.requestOfflineCheck(now));
    }
  }

  // ---- lanes ----

  private laneFor(deviceId: string): DeviceLane {
    let lane = this.lanes.get(deviceId);
    if (!lane) {
      lane = new DeviceLane(deviceId, this.options.laneCapacity);
      this.lanes.set(deviceId, lane);
    }
    return lane;
  }

  private enqueue(reading: Reading): void {
    const lane = this.laneFor(reading.deviceId);
    // The lane keeps the arrival time of its oldest reading only: no clock read for the others.
    if (!lane.offer(reading, lane.queued === 0 ? performance.now() : 0)) this.metrics.overflow.inc();
    this.pairAtArrival(reading, lane);
    // At most one drain per lane runs: the lane is claimed once per drain.
    if (lane.claim()) this.markReady(lane);
  }

  private schedule(deviceId: string, request: (lane: DeviceLane) => void): void {
    const lane = this.laneFor(deviceId);
    request(lane);
    if (lane.claim()) this.markReady(lane);
  }

  private markReady(lane: DeviceLane): void {
    this.readyLanes.push(lane);
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(this.pump);
  }

  /**
   * Drains the lanes claimed since the last pump. A microtask: the reading stream hands a delivery over
   * synchronously, so the whole of it is in the lanes by then (one batch per device). A batch whose device is
   * loaded and whose streams are ready, the usual one, is judged right here without a promise (a promise and a
   * few microtasks per batch were a measurable part of what detection cost the ingest); the others go on
   * asynchronously (`drain`), the lane staying claimed until it is empty.
   */
  private readonly pump = (): void => {
    this.pumpQueued = false;
    const lanes = this.readyLanes;
    this.readyLanes = [];
    for (const lane of lanes) this.drainReady(lane);
  };

  private drainReady(lane: DeviceLane): void {
    for (let work = lane.take(); work !== null; work = lane.take()) {
      let rest: Promise<void> | undefined;
      try {
        rest = this.processReady(lane.deviceId, work);
      } catch (error) {
        this.batchFailed(lane, work, error);
      }
      if (rest !== undefined) {
        void this.drain(lane, work, rest);
        return;
      }
      this.batchDone(work);
    }
  }

  /** `process` without a promise when the batch needs none (see `pump`): undefined once judged. */
  private processReady(deviceId: string, work: LaneWork): Promise<void> | undefined {
    const ctx = this.contexts.get(deviceId);
    if (
      ctx === undefined ||
      work.findings.length > 0 ||
      work.overflow.size > 0 ||
      work.offlineCheckAt !== null ||
      this.clock.now() - ctx.profileAt >= this.options.profileTtlMs
    ) {
      return this.process(deviceId, work);
    }
    return work.readings.length > 0 ? this.judge(ctx, work.readings) : undefined;
  }

  /** The rest of a lane's drain once a batch went asynchronous: that batch, then the lane's next ones. */
  private async drain(lane: DeviceLane, first: LaneWork, pending: Promise<void>): Promise<void> {
    try {
      await pending;
    } catch (error) {
      this.batchFailed(lane, first, error);
    }
    this.batchDone(first);
    for (let work = lane.take(); work !== null; work = lane.take()) {
      try {
        await this.process(lane.deviceId, work);
      } catch (error) {
        this.batchFailed(lane, work, error);
      }
      this.batchDone(work);
    }
    // The lane stays (idle) for the device's next readings: one lane per device known, as its context.
  }

  private batchFailed(lane: DeviceLane, work: LaneWork, error: unknown): void {
    this.metrics.errors.inc({ stage: 'batch' });
    this.logger.error(`device ${lane.deviceId}: batch of ${work.readings.length} readings failed: ${describe(error)}`);
  }

  private batchDone(work: LaneWork): void {
    if (work.enqueuedAt !== null) this.metrics.latency.observe((performance.now() - work.enqueuedAt) / 1000);
  }

  private lanesIdle(): boolean {
    for (const lane of this.lanes.values()) if (lane.busy || lane.hasWork) return false;
    return true;
  }

  // ---- one batch of one device ----

  private async process(deviceId: string, work: LaneWork): Promise<void> {
    // A known device is used without a promise (context() would add a microtask hop to every batch).
    let ctx = this.contexts.get(deviceId);
    if (ctx !== undefined) {
      const now = this.clock.now();
      if (now - ctx.profileAt >= this.options.profileTtlMs) await this.refreshProfile(ctx, now);
    } else {
      ctx = await this.context(deviceId);
    }
    let arrival = work.findings;
    if (arrival.length > 0 && work.readings.length > 0) {
      arrival = await this.judgeAround(ctx, work.readings, arrival);
    } else if (work.readings.length > 0) {
      const judging = this.judge(ctx, work.readings);
      if (judging !== undefined) await judging;
    }
    // Readings that did not fit in the lane are in the store: judge them from there, after what was judged.
    for (const [metric, range] of work.overflow) {
      await this.ensureStream(ctx, metric, range.from);
      const judged = this.registry.stream(deviceId, metric).lastEventTime;
      await this.reread(ctx, metric, judged === null ? range.from : Math.max(range.from, judged + 1), range.to);
    }
    if (arrival.length > 0) await this.apply(ctx, arrival);
    if (work.offlineCheckAt !== null) await this.checkOffline(ctx, work.offlineCheckAt);
  }

  /**
   * Judges a batch. Synchronous while every stream of the batch is ready and nothing is found (the usual
   * batch): returns undefined then, a promise only when there is asynchronous work (a stream to warm up or
   * re-read, findings to apply, a quiet period to sweep).
   */
  private judge(ctx: DeviceContext, readings: readonly Reading[]): Promise<void> | undefined {
    const warmups = this.prefetchWarmups(ctx, readings);
    const findings: Finding[] = [];
    const start = performance.now();
    // One wall-clock read per batch: the batch is judged in one synchronous stretch (between awaits).
    const now = this.clock.now();
    for (let i = 0; i < readings.length; i++) {
      const reading = readings[i]!;
      const set = ctx.sets.get(reading.metric);
      if (set === undefined || ctx.gapFrom.has(reading.metric)) {
        this.metrics.judging.since(start);
        return this.judgeFrom(ctx, readings, i, findings, warmups, now);
      }
      this.judgeOne(ctx, set, reading, now, findings);
    }
    const rest = this.judged(ctx, readings.length, findings);
    this.metrics.judging.since(start);
    return rest;
  }

  /**
   * Judges a batch that came with findings made at arrival (paired drift: rare, on its transitions only), each
   * applied after the batch's readings up to its event time: a backlog judged in one batch would otherwise have
   * its own findings applied before a drift found earlier in event time, whereas a drift governs the device's
   * findings after it (AlertService: drift attribution), not those before. Answers the findings after the batch.
   */
  private async judgeAround(
    ctx: DeviceContext,
    readings: readonly Reading[],
    arrival: readonly Finding[],
  ): Promise<readonly Finding[]> {
    let from = 0;
    let next = 0;
    while (from < readings.length) {
      const at = next < arrival.length ? arrival[next]!.detectedAt : Number.POSITIVE_INFINITY;
      let to = from;
      while (to < readings.length && readings[to]!.ts <= at) to++;
      if (to > from) {
        const judging = this.judge(ctx, readings.slice(from, to));
        if (judging !== undefined) await judging;
        from = to;
      }
      if (from >= readings.length) break;
      const before = readings[from]!.ts;
      const first = next;
      while (next < arrival.length && arrival[next]!.detectedAt < before) next++;
      await this.apply(ctx, arrival.slice(first, next));
    }
    return arrival.slice(next);
  }

  /** The rest of `judge` from the first reading whose stream is not ready (awaits its warm-up or re-read). */
  private async judgeFrom(
    ctx: DeviceContext,
    readings: readonly Reading[],
    from: number,
    judgedSoFar: Finding[],
    warmups: ReadonlyMap<string, WarmupRead> | undefined,
    batchNow: number,
  ): Promise<void> {
    let findings = judgedSoFar;
    let now = batchNow;
    for (let i = from; i < readings.length; i++) {
      const reading = readings[i]!;
      let set = ctx.sets.get(reading.metric);
      if (set === undefined || ctx.gapFrom.has(reading.metric)) {
        if (findings.length > 0) await this.apply(ctx, findings);
        findings = [];
        await this.ensureStream(ctx, reading.metric, reading.ts, warmups);
        set = this.streamOf(ctx, reading.metric);
        now = this.clock.now();
      }
      this.judgeOne(ctx, set, reading, now, findings);
    }
    const rest = this.judged(ctx, readings.length, findings);
    if (rest !== undefined) await rest;
  }

  /** End of a batch: counters, then the findings and the quiet sweep, if any (a promise only then). */
  private judged(ctx: DeviceContext, count: number, findings: readonly Finding[]): Promise<void> | undefined {
    this.dirtyDevices.add(ctx.deviceId);
    this.metrics.readings.inc(count);
    if (findings.length > 0) return this.applyThenSweep(ctx, findings);
    // Most batches have no quiet period ending: answered without a database round trip or a promise.
    if (ctx.lastTs !== null && this.alerts.quietDue(ctx.deviceId, ctx.lastTs)) {
      return this.sweepQuiet(ctx.deviceId, ctx.lastTs);
    }
    return undefined;
  }

  private async sweepQuiet(deviceId: string, eventNow: number): Promise<void> {
    await this.alerts.sweepQuiet(deviceId, eventNow);
  }

  private async applyThenSweep(ctx: DeviceContext, findings: readonly Finding[]): Promise<void> {
    await this.apply(ctx, findings);
    if (ctx.lastTs !== null && this.alerts.quietDue(ctx.deviceId, ctx.lastTs)) {
      await this.alerts.sweepQuiet(ctx.deviceId, ctx.lastTs);
    }
  }

  /** The stream's detector set, cached on the device context (see `DeviceContext.sets`). */
  private streamOf(ctx: DeviceContext, metric: string): StreamDetectorSet {
    let set = ctx.sets.get(metric);
    if (set === undefined) {
      set = this.registry.stream(ctx.deviceId, metric);
      ctx.sets.set(metric, set);
    }
    return set;
  }

  private judgeOne(
    ctx: DeviceContext,
    set: StreamDetectorSet,
    reading: ObservedReading,
    now: number,
    out: Finding[],
  ): void {
    const interval = (ctx.profile.profile.samplingIntervalS ?? 3600) * 1000;
    ctx.live = Math.abs(now - reading.ts) <= Math.max(this.options.liveToleranceMs, 2 * interval);
    if (!ctx.live) {
      const offline = offlineAtEventTime(
        this.registry,
        ctx.deviceId,
        ctx.metrics,
        ctx.lastTs,
        reading.ts,
        ctx.profile.profile,
      );
      for (const f of offline) out.push(f);
    }
    const found = set.update(reading);
    for (const f of found) out.push(f);
    this.observePaired(ctx, reading, out);
    if (ctx.lastTs === null || reading.ts > ctx.lastTs) ctx.lastTs = reading.ts;
    ctx.dirty.add(reading.metric);
  }

  /**
   * Drift against paired sensors is judged at arrival, in the order readings reach the pipeline across devices
   * (about event-time order), not in lane order: lanes drain whole backlogs one device after the other, which
   * would put an asset's devices days apart. A device not loaded yet is fed by its lane instead (`judgeOne`);
   * the group ignores a reading it has seen. The findings wait in the device's lane, applied in its order.
   */
  private pairAtArrival(reading: Reading, lane: DeviceLane): void {
    const ctx = this.contexts.get(reading.deviceId);
    if (ctx === undefined) return;
    // Scratch: the lane copies the findings; no array per reading on the ingest path.
    const found = this.arrivalFindings;
    this.observePaired(ctx, reading, found);
    if (found.length === 0) return;
    lane.offerFindings(found);
    // Emptied only when used (a `length = 0` on each reading would drop and re-grow its backing store).
    found.length = 0;
  }

  /**
   * Feeds the reading to its asset's paired-sensor group (synchronous: the group is shared by the lanes of the
   * asset's devices, never left half updated). A failure stays with the reading: logged, counted, skipped.
   */
  private observePaired(ctx: DeviceContext, reading: ObservedReading, out: Finding[]): void {
    try {
      let membership = ctx.pairedAs.get(reading.metric);
      if (membership === undefined) {
        membership = this.paired.membershipOf(ctx.profile, reading.metric);
        ctx.pairedAs.set(reading.metric, membership);
      }
      // Not shared on its asset, a reading fed at arrival coming again through its lane, or one too close to the
      // member's last (PairedGroupConfig.minSpacingMs).
      if (membership === null || !membership.group.takes(membership.member, reading.ts)) return;
      const sensitivity = this.registry.sensitivityOf(ctx.deviceId);
      for (const f of this.paired.observeAs(membership, reading, sensitivity)) out.push(f);
    } catch (error) {
      this.metrics.errors.inc({ stage: 'paired' });
      this.logger.error(`device ${ctx.deviceId} ${reading.metric}: paired drift failed: ${describe(error)}`);
    }
  }

  /** Applies findings to the alerts, in order, keeping each alert key's debounce state. */
  private async apply(ctx: DeviceContext, findings: readonly Finding[]): Promise<void> {
    if (findings.length === 0) return;
    const owner: AlertOwner = { assetId: ctx.profile.assetId, customerId: ctx.profile.customerId };
    for (const finding of findings) {
      this.metrics.findings.inc({ kind: finding.kind, phase: finding.phase });
      this.findingsSubject.next(finding);
      let byKind = ctx.pending.get(finding.metric);
      const before = byKind?.[finding.kind] ?? [];
      const { pending } = await this.alertWrites(() => this.alerts.applyFinding(finding, owner, before));
      if (pending.length > 0 || byKind?.[finding.kind]) {
        byKind ??= {};
        if (pending.length > 0) byKind[finding.kind] = pending;
        else delete byKind[finding.kind];
        ctx.pending.set(finding.metric, byKind);
      }
      ctx.dirty.add(finding.metric);
      this.dirtyDevices.add(ctx.deviceId);
    }
  }

  private async checkOffline(ctx: DeviceContext, now: number): Promise<void> {
    if (!ctx.live) return;
    const freshest = freshestStream(this.registry, ctx.deviceId, ctx.metrics);
    if (!freshest) return;
    const findings = freshest.checkOffline(now);
    if (findings.length > 0) {
      ctx.dirty.add(freshest.metric);
      this.dirtyDevices.add(ctx.deviceId);
    }
    await this.apply(ctx, findings);
  }

  // ---- device and stream state ----

  private async context(deviceId: string): Promise<DeviceContext> {
    const known = this.contexts.get(deviceId);
    if (known) {
      const now = this.clock.now();
      if (now - known.profileAt >= this.options.profileTtlMs) await this.refreshProfile(known, now);
      return known;
    }
    let loading = this.loading.get(deviceId);
    if (!loading) {
      loading = this.load(deviceId).finally(() => this.loading.delete(deviceId));
      this.loading.set(deviceId, loading);
    }
    return loading;
  }

  /**
   * First sight of a device since the start: its profile, its sensitivity and its persisted streams, loaded
   * with the other devices first seen in the same turn (one query per kind for all of them).
   */
  private async load(deviceId: string): Promise<DeviceContext> {
    const { profile, stored, sensitivity } = await this.coldLoads.load(deviceId);
    const ctx: DeviceContext = {
      deviceId,
      profile,
      profileAt: this.clock.now(),
      metrics: new Set(),
      sets: new Map(),
      pairedAs: new Map(),
      gapFrom: new Map(),
      pending: new Map(),
      dirty: new Set(),
      live: false,
      lastTs: null,
    };
    this.contexts.set(deviceId, ctx);
    this.registry.setSensitivity(deviceId, sensitivity.value);
    for (const row of stored) this.restore(ctx, row);
    return ctx;
  }

  /**
   * The batch of `load`: profiles, snapshots, sensitivities and open event alerts of all `ids`, one query per
   * kind. A profile source without a batch lookup is asked device by device; a failed batch query falls back
   * to one device at a time, so a device's failure stays its own.
   */
  private async loadColdDevices(ids: readonly string[]): Promise<Array<Settled<ColdDevice>>> {
    const [profiles, batch] = await Promise.all([
      this.profilesOf(ids),
      Promise.all([
        this.states.loadDevices(ids),
        this.alerts.sensitivitiesOf(ids),
        // Only a cache of AlertService (its quiet sweep reads a device on its own otherwise): never fatal.
        this.alerts.preloadQuiet(ids).catch((error: unknown) => {
          this.logger.warn(`open event alerts not preloaded: ${describe(error)}`);
        }),
      ]).catch((error: unknown) => {
        this.logger.warn(`batched first load of ${ids.length} devices failed, loading one by one: ${describe(error)}`);
        return null;
      }),
    ]);
    return Promise.all(
      ids.map(async (id, i): Promise<Settled<ColdDevice>> => {
        const profile = profiles[i]!;
        if (!profile.ok) return profile;
        try {
          const [stored, sensitivity] = batch
            ? [batch[0].get(id) ?? [], batch[1].get(id) ?? { value: 1, history: [] }]
            : await Promise.all([this.states.loadDevice(id), this.alerts.sensitivityOf(id)]);
          return { ok: true, value: { profile: profile.value, stored, sensitivity } };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  private async profilesOf(ids: readonly string[]): Promise<Array<Settled<DeviceProfile>>> {
    const one = (id: string) => this.profiles.profileOf(id);
    if (!this.profiles.profilesOf) return settleEach(ids, one);
    try {
      const found = await this.profiles.profilesOf(ids);
      return settleEach(ids, async (id) => found.get(id) ?? one(id));
    } catch (error) {
      this.logger.warn(`batched profile lookup failed, looking devices up one by one: ${describe(error)}`);
      return settleEach(ids, one);
    }
  }

  private restore(ctx: DeviceContext, row: StoredState): void {
    if ('paired' in row) {
      this.restorePaired(ctx, row);
      return;
    }
    try {
      this.registry.restore(ctx.deviceId, row.snapshot);
    } catch (error) {
      // An incompatible snapshot (older version): the stream warms up from history instead.
      this.metrics.errors.inc({ stage: 'restore' });
      this.logger.warn(`device ${ctx.deviceId} ${row.metric}: snapshot not restored (${describe(error)})`);
      return;
    }
    this.metrics.restores.inc();
    ctx.metrics.add(row.metric);
    if (row.snapshot.t !== null) ctx.gapFrom.set(row.metric, row.snapshot.t);
    if (row.pending) ctx.pending.set(row.metric, { ...row.pending });
    ctx.live ||= row.live;
    if (row.lastEventTime !== null && (ctx.lastTs === null || row.lastEventTime > ctx.lastTs)) {
      ctx.lastTs = row.lastEventTime;
    }
  }

  private restorePaired(ctx: DeviceContext, row: StoredPairedState): void {
    try {
      this.paired.restore(ctx.profile, row);
    } catch (error) {
      // An incompatible snapshot: the device learns its offset in its group again.
      this.metrics.errors.inc({ stage: 'restore' });
      this.logger.warn(`device ${ctx.deviceId} paired ${row.metric}: state not restored (${describe(error)})`);
    }
  }

  private async refreshProfile(ctx: DeviceContext, now: number): Promise<void> {
    const fresh = await this.profileRefreshes.load(ctx.deviceId);
    ctx.profileAt = now;
    const changed = !sameProfile(fresh.profile, ctx.profile.profile);
    ctx.profile = fresh;
    // Memberships were checked against the profile object replaced (PairedSensors: asset, limit).
    ctx.pairedAs.clear();
    if (changed) {
      this.registry.reconfigure(ctx.deviceId);
      ctx.sets.clear();
      this.logger.log(`device ${ctx.deviceId}: asset profile changed, detectors reconfigured`);
    }
  }

  /**
   * Makes a stream ready for a reading at `ts`: a restored stream first re-reads what was stored after its
   * snapshot (and before `ts`); a stream never seen warms up from history.
   */
  private async ensureStream(
    ctx: DeviceContext,
    metric: string,
    ts: number,
    warmups?: ReadonlyMap<string, WarmupRead>,
  ): Promise<void> {
    if (!ctx.metrics.has(metric)) {
      await this.warmUp(ctx, metric, ts, warmups?.get(metric));
      return;
    }
    const gap = ctx.gapFrom.get(metric);
    if (gap === undefined) return;
    ctx.gapFrom.delete(metric);
    if (ts - 1 > gap) await this.reread(ctx, metric, gap + 1, ts - 1);
  }

  /**
   * Starts the warm-up history reads of the streams a batch sees first (a new device's every metric), so they
   * go to the database together, with those of the other devices first seen now. Only the reads: the
   * warm-ups themselves run where they did, at each stream's first reading (`warmUp`).
   */
  private prefetchWarmups(ctx: DeviceContext, readings: readonly Reading[]): Map<string, WarmupRead> | undefined {
    let out: Map<string, WarmupRead> | undefined;
    for (const r of readings) {
      if (ctx.metrics.has(r.metric) || out?.has(r.metric)) continue;
      out ??= new Map();
      const points = this.warmupReads.load(this.warmupRange(ctx.deviceId, r.metric, r.ts));
      // Awaited by warmUp; a batch that fails before it gets there must not leave an unhandled rejection.
      points.catch(() => undefined);
      out.set(r.metric, { ts: r.ts, points });
    }
    return out;
  }

  private warmupRange(deviceId: string, metric: string, ts: number): StreamRange {
    return { deviceId, metric, from: ts - this.options.warmupDays * DAY, to: ts - 1 };
  }

  private async readWarmups(ranges: readonly StreamRange[]): Promise<Array<Settled<ReadingPoint[]>>> {
    const limit = this.options.warmupMaxReadings;
    try {
      const pages = await this.store.queryMany(ranges, limit);
      return pages.map((value) => ({ ok: true, value }));
    } catch (error) {
      this.logger.warn(
        `batched warm-up read of ${ranges.length} streams failed, reading one by one: ${describe(error)}`,
      );
      return settleEach(ranges, (r) => this.store.query(r.deviceId, r.metric, r.from, r.to, limit));
    }
  }

  private async warmUp(ctx: DeviceContext, metric: string, ts: number, prefetched?: WarmupRead): Promise<void> {
    const set = this.registry.stream(ctx.deviceId, metric);
    ctx.metrics.add(metric);
    ctx.dirty.add(metric);
    this.dirtyDevices.add(ctx.deviceId);
    const points = await (prefetched?.ts === ts
      ? prefetched.points
      : this.warmupReads.load(this.warmupRange(ctx.deviceId, metric, ts)));
    if (points.length === 0) return;
    this.metrics.warmups.inc();
    this.metrics.readings.inc(points.length);
    // Findings of the warm-up are history, already past: only conditions still standing at its end are kept
    // (the detectors speak on transitions and would never report them again).
    const standing = new Map<string, Finding>();
    for (const p of points) {
      for (const f of set.update({ deviceId: ctx.deviceId, metric, ts: p.ts, value: p.value })) {
        if (f.lifecycle === 'condition') standing.set(f.kind, f);
      }
    }
    const last = points[points.length - 1];
    if (last && (ctx.lastTs === null || last.ts > ctx.lastTs)) ctx.lastTs = last.ts;
    await this.apply(
      ctx,
      [...standing.values()].filter((f) => f.phase !== 'cleared'),
    );
  }

  /** Judges stored readings of a stream in [from, to], page by page (gaps after a restart, lane overflow). */
  private async reread(ctx: DeviceContext, metric: string, from: number, to: number): Promise<void> {
    if (to < from) return;
    const interval = (ctx.profile.profile.samplingIntervalS ?? 3600) * 1000;
    const pages = readForward(
      this.store,
      { deviceId: ctx.deviceId, metric, from, to },
      this.options.historyPageSize,
      (this.options.historyPageSize * interval) / 2,
    );
    for await (const page of pages) {
      const findings: Finding[] = [];
      const set = this.streamOf(ctx, metric);
      const now = this.clock.now();
      for (const p of page) {
        this.judgeOne(ctx, set, { deviceId: ctx.deviceId, metric, ts: p.ts, value: p.value }, now, findings);
      }
      this.dirtyDevices.add(ctx.deviceId);
      this.metrics.readings.inc(page.length);
      await this.apply(ctx, findings);
    }
  }

  private async writeDirty(all: boolean): Promise<void> {
    const rows: StoredState[] = [];
    const taken: Array<[DeviceContext, string[]]> = [];
    const takenPaired: StoredPairedState[] = [];
    for (const deviceId of [...this.dirtyDevices]) {
      const ctx = this.contexts.get(deviceId);
      if (!ctx) {
        this.dirtyDevices.delete(deviceId);
        continue;
      }
      // A lane mid-batch may have judged readings whose alerts are not written yet: wait for its next flush.
      if (!all && this.lanes.get(deviceId)?.busy) continue;
      const metrics = [...ctx.dirty];
      for (const metric of metrics) {
        if (!this.registry.has(deviceId, metric)) continue;
        const snapshot = this.registry.stream(deviceId, metric).snapshot();
        const pending = ctx.pending.get(metric);
        rows.push({
          deviceId,
          metric,
          snapshot,
          pending: pending && Object.keys(pending).length > 0 ? pending : null,
          lastEventTime: snapshot.t,
          live: ctx.live,
        });
      }
      for (const p of this.paired.takeDirty(deviceId)) {
        rows.push(p);
        takenPaired.push(p);
      }
      ctx.dirty.clear();
      this.dirtyDevices.delete(deviceId);
      taken.push([ctx, metrics]);
    }
    this.metrics.streams.set(this.registry.size);
    try {
      for (let i = 0; i < rows.length; i += this.options.flushBatchSize) {
        // A statement on the embedded database runs on this thread: the acks of the readings arriving
        // meanwhile wait for it. Between statements, the sockets get their turn.
        if (i > 0) await nextTurn();
        // Timed also when it fails: a failed statement held the thread as long.
        const timer = this.metrics.stateWrite.startTimer();
        try {
          this.metrics.stateRows.inc(
            await this.states.saveMany(rows.slice(i, i + this.options.flushBatchSize), this.clock.now()),
          );
        } finally {
          timer();
        }
      }
    } catch (error) {
      // Nothing is lost: the streams stay dirty and are written next time.
      for (const [ctx, metrics] of taken) {
        for (const m of metrics) ctx.dirty.add(m);
        this.dirtyDevices.add(ctx.deviceId);
      }
      for (const p of takenPaired) this.paired.markDirty(p.deviceId, p.metric);
      this.metrics.errors.inc({ stage: 'state_flush' });
      this.logger.error(`detector state not written: ${describe(error)}`);
    }
  }

  private async loadDormant(): Promise<void> {
    try {
      const since = this.clock.now() - this.options.dormantHorizonMs;
      for (const d of await this.states.liveDevices(since)) this.dormant.set(d.deviceId, d.lastEventTime);
    } catch (error) {
      this.metrics.errors.inc({ stage: 'dormant' });
      this.logger.warn(`devices live before the restart not loaded: ${describe(error)}`);
    }
  }

  private onAlertChange(change: AlertChange): void {
    if (!change.sensitivity) return;
    const deviceId = change.alert.deviceId;
    // Devices not loaded read their sensitivity when they are.
    if (this.contexts.has(deviceId)) this.registry.setSensitivity(deviceId, change.sensitivity.to);
  }

  private forget(deviceId: string): void {
    if (this.lanes.get(deviceId)?.busy === false) this.lanes.delete(deviceId);
    this.contexts.delete(deviceId);
    this.registry.remove(deviceId);
    this.paired.forget(deviceId);
    this.dirtyDevices.delete(deviceId);
    this.dormant.delete(deviceId);
    this.alerts.forgetDevice(deviceId);
  }

  private every(ms: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      task().catch((error: unknown) => {
        this.metrics.errors.inc({ stage: 'timer' });
        this.logger.error(`detection timer task failed: ${describe(error)}`);
      });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private async waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (condition()) {
        // Settle: a drain may schedule the next step on a later turn.
        await new Promise((resolve) => setImmediate(resolve));
        if (condition()) return true;
      }
      if (performance.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }
}

/** A warm-up history read started ahead (`prefetchWarmups`): the reading time it was started for. */
interface WarmupRead {
  readonly ts: number;
  readonly points: Promise<ReadingPoint[]>;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
