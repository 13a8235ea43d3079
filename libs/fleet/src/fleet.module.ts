import { Module } from '@nestjs/common';
import { DEVICE_ACCESS_POLICY, DEVICE_CREDENTIALS_SOURCE } from '#contracts';
import { API_TOKEN_RESOLVER } from '#platform';
import { AssetRepository } from './assets/asset.repository.js';
import { AssetService } from './assets/asset.service.js';
import { AssetsController } from './assets/assets.controller.js';
import { CustomerRepository } from './customers/customer.repository.js';
import { CustomerService } from './customers/customer.service.js';
import { CustomersController } from './customers/customers.controller.js';
import { DeviceRepository } from './devices/device.repository.js';
import { DeviceService } from './devices/device.service.js';
import { DevicesController } from './devices/devices.controller.js';
import { FleetDeviceAccess } from './devices/fleet-device-access.js';
import { FleetDeviceCredentials } from './devices/fleet-device-credentials.js';
import { DevicePresenceRepository } from './presence/device-presence.repository.js';
import { PresenceController } from './presence/presence.controller.js';
import { PresenceService } from './presence/presence.service.js';
import { SettingsRepository } from './settings/settings.repository.js';
import { Transactions } from './shared/transactions.js';
import { TechnicianRepository } from './technicians/technician.repository.js';
import { TechnicianService } from './technicians/technician.service.js';
import { TechniciansController } from './technicians/technicians.controller.js';
import { AdminTokenBootstrap } from './tokens/admin-token-bootstrap.js';
import { ApiTokenCache } from './tokens/api-token-cache.js';
import { ApiTokenRepository } from './tokens/api-token.repository.js';
import { ApiTokenService } from './tokens/api-token.service.js';
import { TokensController } from './tokens/tokens.controller.js';

/**
 * Customers, assets (coating specs), devices (registration, credentials, presence), technicians and
 * API tokens. Needs the global DatabaseModule and PlatformModule imported by the application.
 */
@Module({
  controllers: [
    CustomersController,
    AssetsController,
    DevicesController,
    TechniciansController,
    TokensController,
    PresenceController,
  ],
  providers: [
    CustomerRepository,
    AssetRepository,
    DeviceRepository,
    DevicePresenceRepository,
    TechnicianRepository,
    ApiTokenRepository,
    SettingsRepository,
    Transactions,
    ApiTokenCache,
    CustomerService,
    AssetService,
    DeviceService,
    TechnicianService,
    ApiTokenService,
    AdminTokenBootstrap,
    PresenceService,
    FleetDeviceCredentials,
    FleetDeviceAccess,
    { provide: DEVICE_CREDENTIALS_SOURCE, useExisting: FleetDeviceCredentials },
    { provide: DEVICE_ACCESS_POLICY, useExisting: FleetDeviceAccess },
    { provide: API_TOKEN_RESOLVER, useExisting: ApiTokenService },
  ],
  exports: [
    DEVICE_CREDENTIALS_SOURCE,
    DEVICE_ACCESS_POLICY,
    API_TOKEN_RESOLVER,
    AdminTokenBootstrap,
    CustomerService,
    AssetService,
    DeviceService,
    TechnicianService,
    ApiTokenService,
    PresenceService,
    FleetDeviceCredentials,
    FleetDeviceAccess,
  ],
})
export class FleetModule {}
