import { z } from 'zod';
import { DEVICE_ID_PATTERN } from './topics.js';

/** ISO 12944-2 atmospheric corrosivity categories and ISO 12944-2 immersion categories. */
export const CORROSIVITY_CATEGORIES = ['C1', 'C2', 'C3', 'C4', 'C5', 'CX', 'Im1', 'Im2', 'Im3', 'Im4'] as const;
export type CorrosivityCategory = (typeof CORROSIVITY_CATEGORIES)[number];

/** ISO 12944-1:2017 durability ranges: L <= 7 y, M 7-15 y, H 15-25 y, VH > 25 y. */
export const DURABILITY_CLASSES = ['L', 'M', 'H', 'VH'] as const;
export type DurabilityClass = (typeof DURABILITY_CLASSES)[number];

export const ASSET_KINDS = ['pipeline', 'tank', 'bridge', 'ship_hull', 'offshore_structure', 'other'] as const;
export const DEVICE_KINDS = ['dft_gauge', 'er_probe', 'lpr_probe', 'cp_logger', 'environment', 'multi'] as const;
export const TECHNICIAN_LEVELS = ['junior', 'intermediate', 'senior'] as const;

const isoDate = z.iso.date().describe('calendar date, YYYY-MM-DD');
const uuid = z.uuid();

export const GeoPointSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
});

export const CustomerCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z.email().optional(),
  phone: z.string().trim().max(50).optional(),
  region: z.string().trim().max(100).optional(),
});
export const CustomerUpdateSchema = CustomerCreateSchema.partial();
export const CustomerSchema = CustomerCreateSchema.extend({
  id: uuid,
  createdAt: z.iso.datetime(),
});
export type CustomerCreate = z.infer<typeof CustomerCreateSchema>;
export type Customer = z.infer<typeof CustomerSchema>;

export const CoatingSpecSchema = z
  .strictObject({
    system: z.string().trim().max(200).optional().describe('coating system, e.g. "epoxy zinc primer + PU topcoat"'),
    nominalDftUm: z.number().positive().max(5000).describe('nominal dry film thickness, micrometres'),
    corrosivityCategory: z.enum(CORROSIVITY_CATEGORIES),
    durability: z.enum(DURABILITY_CLASSES),
    installedAt: isoDate,
    warrantyUntil: isoDate.optional(),
  })
  .refine((c) => c.warrantyUntil === undefined || c.warrantyUntil >= c.installedAt, {
    message: 'warrantyUntil must not be before installedAt',
    path: ['warrantyUntil'],
  });
export type CoatingSpec = z.infer<typeof CoatingSpecSchema>;

export const AssetCreateSchema = z.strictObject({
  customerId: uuid,
  name: z.string().trim().min(1).max(200),
  kind: z.enum(ASSET_KINDS).default('other'),
  location: GeoPointSchema.optional(),
  region: z.string().trim().max(100).optional(),
  coating: CoatingSpecSchema,
});
export const AssetUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  kind: z.enum(ASSET_KINDS).optional(),
  location: GeoPointSchema.nullable().optional(),
  region: z.string().trim().max(100).nullable().optional(),
  coating: CoatingSpecSchema.optional(),
});
export const AssetSchema = z.object({
  id: uuid,
  customerId: uuid,
  name: z.string(),
  kind: z.enum(ASSET_KINDS),
  location: GeoPointSchema.nullable(),
  region: z.string().nullable(),
  coating: CoatingSpecSchema,
  createdAt: z.iso.datetime(),
});
export type AssetCreate = z.infer<typeof AssetCreateSchema>;
export type Asset = z.infer<typeof AssetSchema>;

export const DeviceCreateSchema = z.strictObject({
  id: z
    .string()
    .regex(DEVICE_ID_PATTERN, 'id may hold letters, digits and _ . : - (no / + # or spaces), at most 128 characters')
    .optional()
    .describe('device id, used as MQTT username; generated when absent'),
  assetId: uuid,
  name: z.string().trim().max(200).optional(),
  kind: z.enum(DEVICE_KINDS).default('multi'),
  samplingIntervalS: z
    .number()
    .int()
    .min(1)
    .max(31 * 86400)
    .default(3600),
});
export const DeviceUpdateSchema = z.strictObject({
  name: z.string().trim().max(200).optional(),
  assetId: uuid.optional(),
  samplingIntervalS: z
    .number()
    .int()
    .min(1)
    .max(31 * 86400)
    .optional(),
  enabled: z.boolean().optional().describe('false disconnects the device and refuses it until re-enabled'),
});
export const DeviceSchema = z.object({
  id: z.string(),
  assetId: uuid,
  customerId: uuid,
  name: z.string().nullable(),
  kind: z.enum(DEVICE_KINDS),
  samplingIntervalS: z.number().int(),
  enabled: z.boolean(),
  online: z.boolean(),
  lastSeenAt: z.iso.datetime().nullable(),
  lastConnectedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export const DeviceCreatedSchema = z.object({
  id: z.string(),
  token: z.string().describe('the device token: shown once, only its digest is stored'),
});
export type DeviceCreate = z.infer<typeof DeviceCreateSchema>;
export type Device = z.infer<typeof DeviceSchema>;

export const TechnicianCreateSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  level: z.enum(TECHNICIAN_LEVELS),
  skills: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  region: z.string().trim().max(100).optional(),
  base: GeoPointSchema.optional(),
  available: z.boolean().default(true),
});
export const TechnicianSchema = z.object({
  id: uuid,
  name: z.string(),
  level: z.enum(TECHNICIAN_LEVELS),
  skills: z.array(z.string()),
  region: z.string().nullable(),
  base: GeoPointSchema.nullable(),
  available: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type TechnicianCreate = z.infer<typeof TechnicianCreateSchema>;
export type Technician = z.infer<typeof TechnicianSchema>;

/** Pagination shared by list endpoints. */
export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});
