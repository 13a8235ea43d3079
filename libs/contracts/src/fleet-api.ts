import { z } from 'zod';
import { GeoPointSchema, PageQuerySchema, TECHNICIAN_LEVELS } from './fleet.js';

/** List queries and PATCH bodies of the fleet API (customers, assets, devices, technicians). */

/** Query strings carry text: `true`/`false` only (z.coerce.boolean would read "false" as true). */
const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Query of `GET /api/customers`. */
export const CustomerListQuerySchema = PageQuerySchema;
export type CustomerListQuery = z.infer<typeof CustomerListQuerySchema>;

/** Query of `GET /api/assets`. */
export const AssetListQuerySchema = PageQuerySchema.extend({
  customerId: z.uuid().optional(),
});
export type AssetListQuery = z.infer<typeof AssetListQuerySchema>;

/** Query of `GET /api/devices`. */
export const DeviceListQuerySchema = PageQuerySchema.extend({
  assetId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  online: queryBoolean.optional().describe('true: only devices with a live MQTT session'),
  enabled: queryBoolean.optional(),
});
export type DeviceListQuery = z.infer<typeof DeviceListQuerySchema>;

/** Query of `GET /api/technicians`. */
export const TechnicianListQuerySchema = PageQuerySchema.extend({
  level: z.enum(TECHNICIAN_LEVELS).optional(),
  region: z.string().trim().min(1).max(100).optional(),
  available: queryBoolean.optional(),
});
export type TechnicianListQuery = z.infer<typeof TechnicianListQuerySchema>;

/**
 * Body of `PATCH /api/technicians/{id}`. Not `TechnicianCreateSchema.partial()`: in zod 4 a
 * `.default()` still applies inside `.optional()`, so a partial of the create schema would reset
 * `skills` to [] and `available` to true on every PATCH that leaves them out. null clears region/base.
 */
export const TechnicianPatchSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  level: z.enum(TECHNICIAN_LEVELS).optional(),
  skills: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
  region: z.string().trim().max(100).nullable().optional(),
  base: GeoPointSchema.nullable().optional(),
  available: z.boolean().optional(),
});
export type TechnicianPatch = z.infer<typeof TechnicianPatchSchema>;
