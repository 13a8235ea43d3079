import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { ReplayResult } from '#contracts';
import { Clock } from '#platform';
import { TELEMETRY_STORE, type TelemetryStore } from '#telemetry';
import type { ObservedReading } from '../core/index.js';
import { alertView, findingView } from '../alerts/alert-view.js';
import { AlertService } from '../alerts/alert.service.js';
import { DETECTION_OPTIONS, type DetectionOptions } from '../detection-options.js';
import { readForward } from '../pipeline/history-reader.js';
import { DEVICE_PROFILE_SOURCE, type DeviceProfileSource } from '../profiles/device-profile.js';
import { DeviceReplayer } from './device-replayer.js';

const DAY = 86_400_000;

/**
 * `POST /api/devices/{id}/replay`: the device's stored history in [from, to] through the current rules, with
 * fresh detectors, the device's current profile and sensitivity. Writes nothing.
 */
@Injectable()
export class DeviceReplayService {
  constructor(
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
    @Inject(DEVICE_PROFILE_SOURCE) private readonly profiles: DeviceProfileSource,
    private readonly alerts: AlertService,
    private readonly clock: Clock,
    @Inject(DETECTION_OPTIONS) private readonly options: DetectionOptions,
  ) {}

  async replay(
    deviceId: string,
    window: { from?: string | undefined; to?: string | undefined },
  ): Promise<ReplayResult> {
    const to = window.to === undefined ? this.clock.now() : Date.parse(window.to);
    const from = window.from === undefined ? to - 30 * DAY : Date.parse(window.from);
    if (from > to) throw new BadRequestException({ message: 'from: must not be after to', field: 'from' });
    const [device, sensitivity, latest] = await Promise.all([
      this.profiles.profileOf(deviceId),
      this.alerts.sensitivityOf(deviceId),
      this.store.latest(deviceId),
    ]);
    const metrics = [...latest.keys()].sort();
    const interval = (device.profile.samplingIntervalS ?? 3600) * 1000;
    const readings: ObservedReading[] = [];
    for (const metric of metrics) {
      const pages = readForward(
        this.store,
        { deviceId, metric, from, to },
        this.options.historyPageSize,
        (this.options.historyPageSize * interval) / 2,
      );
      for await (const page of pages) {
        for (const p of page) readings.push({ deviceId, metric, ts: p.ts, value: p.value });
        if (readings.length > this.options.replayMaxReadings) {
          throw new BadRequestException({
            message: `from: the window holds more than ${this.options.replayMaxReadings} readings; narrow from / to`,
            field: 'from',
          });
        }
      }
    }
    readings.sort((a, b) => a.ts - b.ts || (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
    const replayer = new DeviceReplayer(deviceId, {
      profile: device.profile,
      sensitivity: sensitivity.value,
      policy: this.options.policy,
      owner: { assetId: device.assetId, customerId: device.customerId },
    });
    for (const r of readings) replayer.feed(r);
    const alerts = replayer.finish(to);
    return {
      deviceId,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      sensitivity: sensitivity.value,
      readings: replayer.readingCount,
      metrics,
      findings: replayer.findings.map(findingView),
      findingsTruncated: replayer.findingCount > replayer.findings.length,
      alerts: alerts.map(alertView),
    };
  }
}
