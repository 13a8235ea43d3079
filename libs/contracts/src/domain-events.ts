/**
 * Events carried on the in-process bus between libs that must not import each other
 * (fleet -> broker: drop a device's cached credentials; telemetry -> broker: answer on the errors topic).
 */
import type { DeviceErrorMessage, RejectionReason } from './telemetry.js';

export type DomainEvent =
  | { readonly type: 'device.credentials_changed'; readonly deviceId: string; readonly enabled: boolean }
  | { readonly type: 'device.deleted'; readonly deviceId: string }
  | {
      readonly type: 'telemetry.rejected';
      readonly deviceId: string;
      readonly reason: RejectionReason;
      readonly count: number;
      readonly error: DeviceErrorMessage;
    }
  /** The broker saw traffic from a device (throttled per device); fleet keeps last-seen time from it. */
  | { readonly type: 'device.seen'; readonly deviceId: string; readonly at: number };

export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
