import type { Fleet } from '../core/fleet.js';
import type { GatewayIds } from '../core/ground-truth.js';
import { mapLimit } from './concurrency.js';
import { ApiRequestError, type FleetApi } from './fleet-api-client.js';

export interface ProvisionedFleet extends GatewayIds {
  /** Device id -> token (shown once by the gateway). */
  readonly tokens: ReadonlyMap<string, string>;
}

export interface ProvisionOptions {
  readonly concurrency?: number;
  readonly log?: (line: string) => void;
}

/** Creates the customers, assets (with their coating specs) and devices through the REST API. */
export async function provisionFleet(
  fleet: Fleet,
  api: FleetApi,
  options: ProvisionOptions = {},
): Promise<ProvisionedFleet> {
  const limit = options.concurrency ?? 8;
  const log = options.log ?? (() => undefined);
  const customers = new Map<string, string>();
  const assets = new Map<string, string>();
  const tokens = new Map<string, string>();

  // Device ids are fixed by the scenario and seed: find a clash before creating anything.
  const taken = await mapLimit(fleet.devices, limit, (d) => api.deviceExists(d.id));
  const clash = fleet.devices.filter((_, i) => taken[i]);
  if (clash.length > 0) {
    throw new ApiRequestError(
      'GET /api/devices/{id}',
      200,
      `${clash.length} of the ${fleet.devices.length} device ids exist on this gateway already (${clash[0]!.id}, an earlier run?); pass --id-prefix to run the scenario again`,
    );
  }

  await mapLimit(fleet.customers, limit, async (c) => {
    const { id } = await api.createCustomer({ name: c.name, region: c.region });
    customers.set(c.key, id);
  });
  log(`provisioned ${customers.size} customers`);
  await mapLimit(fleet.assets, limit, async (a) => {
    const customerId = customers.get(fleet.customers[a.customerIndex]!.key)!;
    const { id } = await api.createAsset({
      customerId,
      name: a.name,
      kind: a.kind,
      location: a.location,
      region: a.region,
      coating: a.coating,
    });
    assets.set(a.key, id);
  });
  log(`provisioned ${assets.size} assets`);
  await mapLimit(fleet.devices, limit, async (d) => {
    try {
      const created = await api.createDevice({
        id: d.id,
        assetId: assets.get(fleet.assets[d.assetIndex]!.key)!,
        name: d.name,
        kind: d.kind,
        samplingIntervalS: d.samplingIntervalS,
      });
      tokens.set(d.id, created.token);
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 409) {
        throw new ApiRequestError(
          error.request,
          409,
          `device id ${d.id} already exists on this gateway (an earlier run?); pass --id-prefix to run the scenario again`,
        );
      }
      throw error;
    }
  });
  log(`provisioned ${tokens.size} devices`);
  return { customers, assets, tokens };
}
