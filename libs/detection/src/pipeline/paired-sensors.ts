/**
 * The pipeline's side of drift against paired sensors: one PairedDriftGroup per (asset, metric), fed from each
 * device's lane, its members' state kept per device (`detector_state` rows under the key `paired:<metric>`).
 *
 * Why per asset: the devices attached to one asset see the same film and the same site climate, so the
 * sensors of one metric on an asset are each other's reference (see PairedDriftGroup). Only the quantities
 * the asset shares take part (`pairedDriftLimit` of the core), unless the asset's settings switch a metric off
 * (`streams[metric].pairedDrift: null`) or set its limit; a new limit starts the group afresh (its members learn
 * their offsets again). Devices without an asset take no part.
 *
 * Lanes are independent: a group is touched by the lanes of its devices in any order, but only synchronously
 * (no await inside `observe`), so a group never sees half an update, and a finding is always about the
 * device whose lane fed the reading (its alert goes through that lane, in order).
 */
import { catalogMetric } from '#contracts';
import {
  DEFAULT_PAIRED_GROUP,
  type Finding,
  type ObservedReading,
  PairedDriftGroup,
  type PairedGroupConfig,
  type PairedMemberRef,
  pairedDriftLimit,
} from '../core/index.js';
import type { AssetProfile } from '../core/index.js';
import type { DeviceProfile } from '../profiles/device-profile.js';
import type { StoredPairedState } from '../state/detector-state.repository.js';

/**
 * A device's membership of one metric's group. The pipeline holds it per device and metric (`membershipOf`)
 * until the device's profile object changes, so a reading costs no lookup here (`observeAs`).
 */
export interface Membership {
  readonly assetId: string;
  readonly key: string;
  readonly group: PairedDriftGroup;
  readonly member: PairedMemberRef;
  /** The device's asset profile the membership was checked against (settings: switched off, limit). */
  readonly profile: AssetProfile;
}

const NONE: readonly Finding[] = Object.freeze([]);

export class PairedSensors {
  private readonly groups = new Map<string, PairedDriftGroup>();
  /** Per device, per metric: the group it is a member of (the hot path: two Map lookups, no allocation). */
  private readonly membership = new Map<string, Map<string, Membership>>();
  /** Per device: metrics whose member state changed since the last flush. */
  private readonly dirty = new Map<string, Set<string>>();

  /**
   * Feeds a reading; the findings are about the reading's device, judged with its sensitivity (false-positive
   * feedback, as its other detectors).
   */
  observe(profile: DeviceProfile, reading: ObservedReading, sensitivity = 1): readonly Finding[] {
    const membership = this.membershipOf(profile, reading.metric);
    return membership === null ? NONE : this.observeAs(membership, reading, sensitivity);
  }

  /** `observe` for a membership held (`membershipOf`) and a reading of its device and metric. */
  observeAs(membership: Membership, reading: ObservedReading, sensitivity = 1): readonly Finding[] {
    // A reading fed at arrival comes again through its lane, and a fast sensor's readings are taken a quarter
    // of an hour apart (PairedGroupConfig.minSpacingMs): nothing to do (nor to write).
    if (!membership.group.takes(membership.member, reading.ts)) return NONE;
    this.markDirty(reading.deviceId, reading.metric);
    return membership.group.updateMember(membership.member, reading, sensitivity);
  }

  /** Restores a device's member state (at its first load). */
  restore(profile: DeviceProfile, state: StoredPairedState): void {
    this.membershipOf(profile, state.metric)?.group.restore(profile.deviceId, state.paired);
  }

  /** Member states changed since the last call, of one device (members of groups of 2 or more). */
  takeDirty(deviceId: string): StoredPairedState[] {
    const metrics = this.dirty.get(deviceId);
    if (!metrics) return [];
    this.dirty.delete(deviceId);
    const out: StoredPairedState[] = [];
    for (const metric of metrics) {
      const group = this.membership.get(deviceId)?.get(metric)?.group;
      // A device alone on its asset has nobody to pair with: its few recent readings are not worth a row.
      const paired = group && group.size > 1 ? group.snapshot(deviceId) : null;
      if (paired) out.push({ deviceId, metric, paired });
    }
    return out;
  }

  /** Marks a member state to be written (also: states taken by a flush that failed). */
  markDirty(deviceId: string, metric: string): void {
    let metrics = this.dirty.get(deviceId);
    if (!metrics) {
      metrics = new Set();
      this.dirty.set(deviceId, metrics);
    }
    metrics.add(metric);
  }

  /** A device deleted: it leaves its groups. */
  forget(deviceId: string): void {
    for (const m of this.membership.get(deviceId)?.values() ?? []) this.leave(deviceId, m);
    this.membership.delete(deviceId);
    this.dirty.delete(deviceId);
  }

  /**
   * The device's membership of the metric's group (joining it), or null when the metric takes no part: to
   * hold for `observeAs` while `profile` is the device's profile object.
   */
  membershipOf(profile: DeviceProfile, metric: string): Membership | null {
    const assetId = profile.assetId;
    let byMetric = this.membership.get(profile.deviceId);
    const known = byMetric?.get(metric);
    // The same profile object as at joining: the same asset and limit.
    if (known !== undefined && known.profile === profile.profile && known.assetId === assetId) return known;
    const limit = assetId === null ? null : pairedDriftLimit(metric, profile.profile);
    if (assetId === null || limit === null) {
      // Detached from its asset, or the metric switched off there: it is nobody's reference any more.
      if (known) {
        this.leave(profile.deviceId, known);
        byMetric!.delete(metric);
      }
      return null;
    }
    if (known?.assetId === assetId && known.group.config.limit === limit) {
      const same: Membership = { ...known, profile: profile.profile };
      byMetric!.set(metric, same);
      return same;
    }
    // First reading, the device moved to another asset, or the asset's limit changed: it leaves the old group.
    if (known) this.leave(profile.deviceId, known);
    const key = `${assetId}/${metric}`;
    let group = this.groups.get(key);
    if (!group || group.config.limit !== limit) {
      const config: PairedGroupConfig = { ...DEFAULT_PAIRED_GROUP, limit };
      group = new PairedDriftGroup(assetId, metric, config, catalogMetric(metric)?.unit ?? '');
      this.groups.set(key, group);
    }
    if (!byMetric) {
      byMetric = new Map();
      this.membership.set(profile.deviceId, byMetric);
    }
    const joined: Membership = {
      assetId,
      key,
      group,
      member: group.join(profile.deviceId),
      profile: profile.profile,
    };
    byMetric.set(metric, joined);
    return joined;
  }

  private leave(deviceId: string, m: Membership): void {
    m.group.remove(deviceId);
    if (m.group.size === 0 && this.groups.get(m.key) === m.group) this.groups.delete(m.key);
  }

  /** Groups alive (tests, metrics). */
  get size(): number {
    return this.groups.size;
  }
}
