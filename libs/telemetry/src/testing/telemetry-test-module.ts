import { Module, NotFoundException } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { DEVICE_ACCESS_POLICY, type DeviceAccessPolicy, type Principal } from '#contracts';
import { DatabaseModule, type DatabaseConnection } from '#database';
import { Clock, FrozenClock, PlatformModule } from '#platform';
import type { BatchWriterOptions } from '../ingest/batch-writer-options.js';
import { TelemetryModule } from '../telemetry.module.js';

/**
 * Device access for tests: admin, planner and technician read every device in `devices`; a customer
 * only the devices listed for it. Anything else is a 404, as fleet's policy answers.
 */
export class StubDeviceAccessPolicy implements DeviceAccessPolicy {
  readonly calls: Array<{ role: Principal['role']; deviceId: string }> = [];

  constructor(private readonly owners: Record<string, string>) {}

  async assertCanRead(principal: Principal, deviceId: string): Promise<void> {
    this.calls.push({ role: principal.role, deviceId });
    const owner = this.owners[deviceId];
    const visible = owner !== undefined && (principal.role !== 'customer' || principal.customerId === owner);
    if (!visible) throw new NotFoundException({ message: `device ${deviceId} not found`, field: 'id' });
  }
}

export function stubAccessModule(policy: DeviceAccessPolicy) {
  @Module({ providers: [{ provide: DEVICE_ACCESS_POLICY, useValue: policy }], exports: [DEVICE_ACCESS_POLICY] })
  class StubAccessModule {}
  return StubAccessModule;
}

/** The telemetry module on a test database, with a frozen clock and a stub access policy. */
export function telemetryTestingModule(options: {
  connection: DatabaseConnection;
  policy: DeviceAccessPolicy;
  now: number;
  batch?: Partial<BatchWriterOptions>;
  extraProviders?: Parameters<typeof Test.createTestingModule>[0]['providers'];
}): { builder: TestingModuleBuilder; clock: FrozenClock } {
  const clock = new FrozenClock(options.now);
  const builder = Test.createTestingModule({
    imports: [
      PlatformModule,
      DatabaseModule.forRoot(options.connection),
      TelemetryModule.forRoot({
        imports: [stubAccessModule(options.policy)],
        ...(options.batch ? { batch: options.batch } : {}),
      }),
    ],
    providers: options.extraProviders ?? [],
  })
    .overrideProvider(Clock)
    .useValue(clock);
  return { builder, clock };
}
