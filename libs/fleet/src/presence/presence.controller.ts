import { Controller } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { type DevicePublishMessage, type DeviceSessionMessage, TransportPatterns } from '#contracts';
import { PresenceService } from './presence.service.js';

/** Broker transport events that tell whether a device is connected. No HTTP routes. */
@Controller()
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @EventPattern(TransportPatterns.connected)
  onConnected(@Payload() message: DeviceSessionMessage): Promise<void> {
    return this.presence.connected(message);
  }

  @EventPattern(TransportPatterns.disconnected)
  onDisconnected(@Payload() message: DeviceSessionMessage): Promise<void> {
    return this.presence.disconnected(message);
  }

  /** `devices/{id}/status`, including a last will (usually `offline`). */
  @EventPattern(TransportPatterns.status)
  onStatus(@Payload() message: DevicePublishMessage): Promise<void> {
    return this.presence.status(message);
  }
}
