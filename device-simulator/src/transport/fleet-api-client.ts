import { z } from 'zod';
import {
  type AssetCreateSchema,
  type CustomerCreateSchema,
  DeviceCreatedSchema,
  type DeviceCreateSchema,
} from '#contracts';

export type CustomerCreateBody = z.input<typeof CustomerCreateSchema>;
export type AssetCreateBody = z.input<typeof AssetCreateSchema>;
export type DeviceCreateBody = z.input<typeof DeviceCreateSchema>;
export type DeviceCredentials = z.infer<typeof DeviceCreatedSchema>;

/** The part of the gateway's REST API the simulator provisions its fleet with. */
export interface FleetApi {
  createCustomer(body: CustomerCreateBody): Promise<{ id: string }>;
  createAsset(body: AssetCreateBody): Promise<{ id: string }>;
  createDevice(body: DeviceCreateBody): Promise<DeviceCredentials>;
  /** Whether a device id is taken already (checked before anything is created). */
  deviceExists(id: string): Promise<boolean>;
}

/** A refused or failed API call: one line naming the request, the status and the gateway's message. */
export class ApiRequestError extends Error {
  constructor(
    readonly request: string,
    readonly status: number | null,
    detail: string,
  ) {
    super(`${request}: ${status === null ? '' : `${status} `}${detail}`);
    this.name = 'ApiRequestError';
  }
}

const CreatedSchema = z.object({ id: z.string() });
const ApiErrorBodySchema = z.object({ message: z.union([z.string(), z.array(z.string())]) }).loose();

/** `fetch` against `{baseUrl}/api/...` with the admin token (`Authorization: Bearer`). */
export class HttpFleetApi implements FleetApi {
  private readonly base: string;

  constructor(
    baseUrl: string,
    private readonly adminToken: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    // Accept both http://host:3000 and http://host:3000/api.
    this.base = baseUrl.replace(/\/+$/, '').replace(/\/api$/, '');
  }

  createCustomer(body: CustomerCreateBody): Promise<{ id: string }> {
    return this.post('/api/customers', body, CreatedSchema);
  }

  createAsset(body: AssetCreateBody): Promise<{ id: string }> {
    return this.post('/api/assets', body, CreatedSchema);
  }

  createDevice(body: DeviceCreateBody): Promise<DeviceCredentials> {
    return this.post('/api/devices', body, DeviceCreatedSchema);
  }

  async deviceExists(id: string): Promise<boolean> {
    const route = `/api/devices/${encodeURIComponent(id)}`;
    const res = await this.request('GET', route);
    if (res.status === 404) return false;
    await this.parse(`GET ${route}`, res, z.unknown());
    return true;
  }

  private async post<T>(route: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    return this.parse(`POST ${route}`, await this.request('POST', route, body), schema);
  }

  private async request(method: 'GET' | 'POST', route: string, body?: unknown): Promise<Response> {
    try {
      return await this.fetchImpl(this.base + route, {
        method,
        headers: {
          authorization: `Bearer ${this.adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      throw new ApiRequestError(
        `${method} ${route}`,
        null,
        `cannot reach the gateway API at ${this.base} (${cause}); check --api`,
      );
    }
  }

  private async parse<T>(request: string, res: Response, schema: z.ZodType<T>): Promise<T> {
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    if (res.status === 401) {
      throw new ApiRequestError(request, 401, 'the gateway refused the admin token; check --token (or ADMIN_TOKEN)');
    }
    if (!res.ok) {
      const message = ApiErrorBodySchema.safeParse(parsed);
      const detail = message.success ? [message.data.message].flat().join('; ') : text.slice(0, 300);
      throw new ApiRequestError(request, res.status, detail);
    }
    const result = schema.safeParse(parsed);
    if (!result.success) {
      throw new ApiRequestError(request, res.status, `unexpected response ${text.slice(0, 200)}`);
    }
    return result.data;
  }
}
