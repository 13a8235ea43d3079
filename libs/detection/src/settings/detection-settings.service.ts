import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import {
  type AssetDetectionSettings,
  type DetectionSettingsUpdate,
  type DetectionSettingsView,
  type EffectiveConfigQuery,
  type EffectiveDetectionConfig,
  PUBLIC_EVENT_PUBLISHER,
  type Principal,
  type PublicEventPublisher,
} from '#contracts';
import { DATABASE, type Database } from '#database';
import { AssetService, DeviceService } from '#fleet';
import { Clock } from '#platform';
import { buildStreamConfig } from '../core/index.js';
import { assetProfileOf } from '../profiles/asset-profile.js';
import { DetectionSettingsChanges } from './detection-settings-changes.js';
import { DetectionSettingsRepository, type StoredDetectionSettings } from './detection-settings.repository.js';
import { settingsProblem } from './settings-validation.js';

/** A first version written by two planners at once: the loser's write is retried once (over the winner's). */
const ATTEMPTS = 2;

class LostRace extends Error {}

/**
 * A planner's per-asset tuning of the detectors: read (customers their own assets), replaced whole with
 * optimistic concurrency, checked against the detector core before it is stored, and announced (public event
 * `asset.detection_settings_changed`; in-process so the pipeline re-reads the asset's device profiles).
 */
@Injectable()
export class DetectionSettingsService {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    private readonly repo: DetectionSettingsRepository,
    private readonly assets: AssetService,
    private readonly devices: DeviceService,
    @Inject(PUBLIC_EVENT_PUBLISHER) private readonly publisher: PublicEventPublisher,
    private readonly clock: Clock,
    private readonly changes: DetectionSettingsChanges,
  ) {}

  async view(principal: Principal, assetId: string): Promise<DetectionSettingsView> {
    await this.assets.get(principal, assetId);
    return viewOf(assetId, await this.repo.get(this.db, assetId));
  }

  async update(principal: Principal, assetId: string, body: DetectionSettingsUpdate): Promise<DetectionSettingsView> {
    const asset = await this.assets.get(principal, assetId);
    const problem = settingsProblem(body.settings, assetProfileOf(asset, undefined, undefined));
    if (problem) throw new BadRequestException({ message: problem.message, field: problem.field });
    for (let attempt = 1; ; attempt++) {
      try {
        const saved = await this.db.transaction(async (tx) => {
          const previous = await this.repo.get(tx, assetId, true);
          const current = previous?.version ?? 0;
          if (body.version !== undefined && body.version !== current) {
            throw new ConflictException({
              message: `the settings of asset ${assetId} are at version ${current}, not ${body.version}: re-read them`,
              field: 'version',
            });
          }
          const change = { version: current + 1, at: this.clock.now(), by: principal.tokenId, settings: body.settings };
          if (!(await this.repo.write(tx, assetId, previous, change))) throw new LostRace();
          await this.publisher.publish(
            {
              type: 'asset.detection_settings_changed',
              at: new Date(change.at).toISOString(),
              subject: { kind: 'asset', id: assetId },
              customerId: asset.customerId,
              technicianId: null,
              data: { assetId, version: change.version, by: change.by },
            },
            tx,
          );
          return this.repo.get(tx, assetId);
        });
        this.changes.changed(assetId);
        return viewOf(assetId, saved);
      } catch (error) {
        if (!(error instanceof LostRace)) throw error;
        if (body.version !== undefined || attempt >= ATTEMPTS) {
          throw new ConflictException({
            message: `the settings of asset ${assetId} changed meanwhile`,
            field: 'version',
          });
        }
      }
    }
  }

  /** The configuration the detectors of `metric` run with on this asset (and device, for its sampling interval). */
  async effective(
    principal: Principal,
    assetId: string,
    query: EffectiveConfigQuery,
  ): Promise<EffectiveDetectionConfig> {
    const asset = await this.assets.get(principal, assetId);
    let samplingIntervalS: number | undefined;
    if (query.deviceId !== undefined) {
      const device = await this.devices.find(query.deviceId);
      if (!device || device.assetId !== assetId) {
        throw new NotFoundException({
          message: `device ${query.deviceId} is not on asset ${assetId}`,
          field: 'deviceId',
        });
      }
      samplingIntervalS = device.samplingIntervalS;
    }
    const stored = await this.repo.get(this.db, assetId);
    const profile = assetProfileOf(asset, samplingIntervalS, stored?.settings);
    return {
      assetId,
      deviceId: query.deviceId ?? null,
      metric: query.metric,
      settingsVersion: stored?.version ?? 0,
      config: buildStreamConfig(query.metric, profile),
    };
  }
}

const EMPTY: AssetDetectionSettings = {};

function viewOf(assetId: string, stored: StoredDetectionSettings | undefined): DetectionSettingsView {
  return {
    assetId,
    settings: stored?.settings ?? EMPTY,
    version: stored?.version ?? 0,
    updatedAt: stored ? new Date(stored.updatedAt).toISOString() : null,
    updatedBy: stored?.updatedBy ?? null,
    history: (stored?.history ?? []).map((h) => ({ ...h, at: new Date(h.at).toISOString() })),
  };
}
