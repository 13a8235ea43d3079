import { type DynamicModule, type ModuleMetadata, Module } from '@nestjs/common';
import { AlertRepository } from './alerts/alert.repository.js';
import { AlertService } from './alerts/alert.service.js';
import { DETECTION_OPTIONS, type DetectionOptions, resolveDetectionOptions } from './detection-options.js';
import { AlertsController } from './http/alerts.controller.js';
import { DeviceDetectionController } from './http/device-detection.controller.js';
import { DetectionMetrics } from './pipeline/detection-metrics.js';
import { DetectionPipeline } from './pipeline/detection-pipeline.js';
import { DEVICE_PROFILE_SOURCE } from './profiles/device-profile.js';
import { FleetDeviceProfiles } from './profiles/fleet-device-profiles.js';
import { DeviceReplayService } from './replay/device-replay.service.js';
import { SensitivityRepository } from './sensitivity/sensitivity.repository.js';
import { DetectionSettingsChanges } from './settings/detection-settings-changes.js';
import { DetectionSettingsController } from './settings/detection-settings.controller.js';
import { DetectionSettingsRepository } from './settings/detection-settings.repository.js';
import { DetectionSettingsService } from './settings/detection-settings.service.js';
import { DetectorStateRepository } from './state/detector-state.repository.js';

export interface DetectionModuleOptions {
  /**
   * Modules that provide and export what detection consumes: PUBLIC_EVENT_PUBLISHER (#contracts, the events
   * module), DEVICE_ACCESS_POLICY, DeviceService and AssetService (the fleet module), ReadingStream and
   * TELEMETRY_STORE (the telemetry module: pass the same `TelemetryModule.forRoot(...)` object the application
   * imports, so that there is one reading stream). The database and the platform services are global.
   */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  readonly options?: Partial<DetectionOptions>;
}

/**
 * Streaming detection: the pipeline over the reading stream, alerts (`/api/alerts`), device sensitivity and
 * replay (`/api/devices/{id}/sensitivity`, `/replay`), per-asset detector settings
 * (`/api/assets/{id}/detection-settings`). Exports DetectionPipeline and AlertService (whose
 * `alerts$` the work-order automation subscribes to).
 */
@Module({})
export class DetectionModule {
  static forRoot(options: DetectionModuleOptions): DynamicModule {
    return {
      module: DetectionModule,
      imports: [...options.imports],
      controllers: [AlertsController, DeviceDetectionController, DetectionSettingsController],
      providers: [
        { provide: DETECTION_OPTIONS, useValue: resolveDetectionOptions(options.options) },
        { provide: DEVICE_PROFILE_SOURCE, useClass: FleetDeviceProfiles },
        DetectionMetrics,
        AlertRepository,
        SensitivityRepository,
        DetectorStateRepository,
        DetectionSettingsRepository,
        DetectionSettingsChanges,
        DetectionSettingsService,
        AlertService,
        DeviceReplayService,
        DetectionPipeline,
      ],
      exports: [DetectionPipeline, AlertService, DETECTION_OPTIONS],
    };
  }
}
