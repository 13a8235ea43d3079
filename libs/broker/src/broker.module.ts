import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { BROKER_OPTIONS, type BrokerOptions } from './broker-options.js';
import { EmbeddedBroker } from './embedded-broker.js';

export interface BrokerModuleOptions {
  readonly options: BrokerOptions;
  /** Must provide and export DEVICE_CREDENTIALS_SOURCE (the fleet module in the gateway). */
  readonly imports: ModuleMetadata['imports'];
}

/**
 * Provides the EmbeddedBroker. Needs the global PlatformModule (Clock, DomainEventBus, MetricsRegistry).
 * The listeners bind when the AedesTransport microservice starts; app.close() closes the broker.
 */
@Module({})
export class BrokerModule {
  static forRoot({ options, imports }: BrokerModuleOptions): DynamicModule {
    return {
      module: BrokerModule,
      imports: imports ?? [],
      providers: [{ provide: BROKER_OPTIONS, useValue: options }, EmbeddedBroker],
      exports: [EmbeddedBroker],
    };
  }
}
