/** Public API of the fleet lib: import it as `#fleet`. */
export { FleetModule } from './fleet.module.js';
export { AdminTokenBootstrap, AdminTokenError, adminTokenProblem } from './tokens/admin-token-bootstrap.js';
export {
  ADMIN_BOOTSTRAP_SETTING,
  ENV_ADMIN_TOKEN_NAME,
  GENERATED_ADMIN_TOKEN_NAME,
  MIN_ADMIN_TOKEN_LENGTH,
} from './tokens/admin-token-names.js';
export { ApiTokenService, type TokenCreated, type TokenInfo } from './tokens/api-token.service.js';
export { API_TOKEN_CACHE_TTL_MS } from './tokens/api-token-cache.js';
export { CustomerService, type CustomerUpdate } from './customers/customer.service.js';
export { AssetService } from './assets/asset.service.js';
export type { AssetUpdate } from './assets/asset.mapper.js';
export { DeviceService, type DeviceToken, type DeviceUpdate } from './devices/device.service.js';
export { TechnicianService } from './technicians/technician.service.js';
export { FleetDeviceCredentials } from './devices/fleet-device-credentials.js';
export { FleetDeviceAccess } from './devices/fleet-device-access.js';
export { PresenceService, LAST_SEEN_FLUSH_INTERVAL_MS } from './presence/presence.service.js';
export { PresenceController } from './presence/presence.controller.js';
export { generateDeviceId } from './devices/device-id.js';
export { parseDeviceStatus, type DeviceState } from './presence/device-status.js';
