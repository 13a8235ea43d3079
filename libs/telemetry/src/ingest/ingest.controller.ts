import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type DevicePublishMessage, TransportPatterns } from '#contracts';
import { Clock } from '#platform';
import { decodeTelemetry } from '../decoding/telemetry-decoder.js';
import { BatchWriter } from './batch-writer.js';
import { ReadingStream } from './reading-stream.js';
import { RejectionReporter } from './rejection-reporter.js';

/**
 * Telemetry published by devices, handed over by the broker transport. The broker sends the QoS1
 * PUBACK when this handler completes (MQTT-4.3.2-2: the receiver takes ownership of the message when
 * it sends PUBACK), so it completes only once the valid readings are committed, and throws when they
 * cannot be: no ack, the device redelivers, and the primary key makes the redelivery store nothing twice.
 */
@Controller()
export class IngestController {
  constructor(
    private readonly clock: Clock,
    private readonly writer: BatchWriter,
    private readonly stream: ReadingStream,
    private readonly rejections: RejectionReporter,
  ) {}

  @EventPattern(TransportPatterns.telemetry)
  async onTelemetry(@Payload() message: DevicePublishMessage): Promise<void> {
    const { readings, rejections } = decodeTelemetry(message.payload, {
      deviceId: message.deviceId,
      receivedAt: message.receivedAt,
      now: this.clock.now(),
    });
    // Rejections are answered whatever happens to the valid readings, and never throw.
    const reported = rejections.length > 0 ? this.rejections.report(message, rejections, readings.length) : undefined;
    if (readings.length > 0) {
      const fresh = await this.writer.write(readings);
      this.stream.publish(fresh);
    }
    await reported;
  }
}
