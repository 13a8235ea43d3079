import { Counter, Gauge, type Registry } from 'prom-client';
import type { TopicAction, TopicDenialReason } from './acl/device-topic-access.js';
import type { RefusalReason } from './auth/device-authenticator.js';

export const BROKER_METRIC_NAMES = {
  connectedDevices: 'mqtt_connected_devices',
  refusedConnections: 'mqtt_connections_refused_total',
  oversizedPackets: 'mqtt_oversized_packets_total',
  malformedPackets: 'mqtt_malformed_packets_total',
  aclDenials: 'mqtt_acl_denials_total',
} as const;

/** Reuses a metric already on the registry (a second broker in the same process, e.g. in tests). */
function existing<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

/** The broker's Prometheus metrics, registered on the process registry of #platform. */
export class BrokerMetrics {
  private readonly connectedDevices: Gauge;
  private readonly refusedConnections: Counter<'reason'>;
  private readonly oversizedPackets: Counter<'listener'>;
  private readonly malformedPackets: Counter<'listener'>;
  private readonly aclDenials: Counter<'action' | 'reason'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.connectedDevices = existing(
      registry,
      BROKER_METRIC_NAMES.connectedDevices,
      () =>
        new Gauge({ name: BROKER_METRIC_NAMES.connectedDevices, help: 'Devices with a live MQTT session', registers }),
    );
    this.refusedConnections = existing(
      registry,
      BROKER_METRIC_NAMES.refusedConnections,
      () =>
        new Counter({
          name: BROKER_METRIC_NAMES.refusedConnections,
          help: 'MQTT CONNECTs refused, by reason',
          labelNames: ['reason'],
          registers,
        }),
    );
    this.oversizedPackets = existing(
      registry,
      BROKER_METRIC_NAMES.oversizedPackets,
      () =>
        new Counter({
          name: BROKER_METRIC_NAMES.oversizedPackets,
          help: 'Connections closed for a packet above the maximum packet size',
          labelNames: ['listener'],
          registers,
        }),
    );
    this.malformedPackets = existing(
      registry,
      BROKER_METRIC_NAMES.malformedPackets,
      () =>
        new Counter({
          name: BROKER_METRIC_NAMES.malformedPackets,
          help: 'Connections closed for a malformed MQTT fixed header',
          labelNames: ['listener'],
          registers,
        }),
    );
    this.aclDenials = existing(
      registry,
      BROKER_METRIC_NAMES.aclDenials,
      () =>
        new Counter({
          name: BROKER_METRIC_NAMES.aclDenials,
          help: 'PUBLISH / SUBSCRIBE refused by the topic ACL, by action and reason',
          labelNames: ['action', 'reason'],
          registers,
        }),
    );
  }

  setConnectedDevices(count: number): void {
    this.connectedDevices.set(count);
  }

  connectionRefused(reason: RefusalReason): void {
    this.refusedConnections.inc({ reason });
  }

  packetOversized(listener: 'mqtt' | 'mqtt-ws'): void {
    this.oversizedPackets.inc({ listener });
  }

  packetMalformed(listener: 'mqtt' | 'mqtt-ws'): void {
    this.malformedPackets.inc({ listener });
  }

  aclDenied(action: TopicAction, reason: TopicDenialReason | 'unauthenticated'): void {
    this.aclDenials.inc({ action, reason });
  }
}
