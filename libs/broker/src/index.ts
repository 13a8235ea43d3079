export { BrokerModule, type BrokerModuleOptions } from './broker.module.js';
export { BROKER_OPTIONS, type BrokerOptions, assertValidBrokerOptions } from './broker-options.js';
export {
  EmbeddedBroker,
  DISCARDED_TOPIC,
  type BoundPorts,
  type BrokerHandlers,
  type DevicePublishHandler,
  type DeviceSessionHandler,
  type DownlinkChannel,
  type DownlinkOptions,
} from './embedded-broker.js';
export { AedesTransport, AEDES_TRANSPORT, type AedesTransportStatus } from './transport/aedes-transport.js';
export { DeviceMessageContext } from './transport/device-message.context.js';
export { PortInUseError, type BrokerListenerName } from './port-in-use.error.js';
export {
  decideDeviceTopicAccess,
  TOPIC_DENIAL_REASONS,
  type TopicAccessDecision,
  type TopicAction,
  type TopicDenialReason,
} from './acl/device-topic-access.js';
export { REFUSAL_REASONS, type RefusalReason } from './auth/device-authenticator.js';
export { BROKER_METRIC_NAMES } from './broker-metrics.js';
export { MQTT_WS_PATH, MQTT_WS_SUBPROTOCOL } from './listeners/websocket-listener.js';
