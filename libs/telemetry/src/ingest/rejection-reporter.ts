import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DevicePublishMessage } from '#contracts';
import { Clock, DomainEventBus } from '#platform';
import type { Rejection } from '../decoding/telemetry-decoder.js';
import { TELEMETRY_STORE, type TelemetryStore } from '../store/telemetry-store.js';
import { deadLettersFor, deviceErrorFor } from './rejection-report.js';
import { TelemetryMetrics } from './telemetry-metrics.js';

/**
 * Everything a rejection causes: the counter by reason, the answer on the device's errors topic (a
 * `telemetry.rejected` event the broker publishes), and the dead-letter rows. Never throws: the
 * message was received, and a device must not redeliver a bad payload forever.
 */
@Injectable()
export class RejectionReporter {
  private readonly logger = new Logger('TelemetryRejections');

  constructor(
    @Inject(TELEMETRY_STORE) private readonly store: TelemetryStore,
    private readonly bus: DomainEventBus,
    private readonly clock: Clock,
    private readonly metrics: TelemetryMetrics,
  ) {}

  async report(message: DevicePublishMessage, rejections: readonly Rejection[], accepted: number): Promise<void> {
    const first = rejections[0];
    if (first === undefined) return;
    try {
      for (const r of rejections) this.metrics.rejected(r.reason, r.count);
      const error = deviceErrorFor(message, rejections, accepted, this.clock.now());
      // First, so the device hears about it even when the dead-letter table cannot be written.
      this.bus.publish({
        type: 'telemetry.rejected',
        deviceId: message.deviceId,
        reason: first.reason,
        count: error.rejected,
        error,
      });
    } catch (error) {
      this.logger.error(`cannot report the rejection of a ${message.deviceId} payload: ${describe(error)}`);
    }
    try {
      await this.store.insertDeadLetters(deadLettersFor(message, rejections));
    } catch (error) {
      this.logger.error(`cannot store the dead letters of device ${message.deviceId}: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
