// Public entry of #detection: the pure detector core (no Nest, no I/O, event time only), the alert lifecycle,
// the replay tools and the Nest module that wires them to the reading stream.
export * from './core/index.js';
export * from './alerts/alert.js';
export * from './alerts/alert-policy.js';
export * from './alerts/alert-lifecycle.js';
export * from './alerts/in-memory-alert-book.js';
export { alertView, alertDetailView, findingView } from './alerts/alert-view.js';
export { AlertService } from './alerts/alert.service.js';
export * from './detection-options.js';
export * from './detection.module.js';
export { DetectionPipeline } from './pipeline/detection-pipeline.js';
export { DeviceReplayer, type DeviceReplayerOptions } from './replay/device-replayer.js';
export type { DeviceProfile, DeviceProfileSource } from './profiles/device-profile.js';
export { DEVICE_PROFILE_SOURCE } from './profiles/device-profile.js';
