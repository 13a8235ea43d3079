import { z } from 'zod';

export const ROLES = ['admin', 'planner', 'technician', 'customer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling the API, resolved from the bearer token. */
export type Principal =
  | { readonly role: 'admin'; readonly tokenId: string }
  | { readonly role: 'planner'; readonly tokenId: string }
  | { readonly role: 'technician'; readonly tokenId: string; readonly technicianId: string }
  | { readonly role: 'customer'; readonly tokenId: string; readonly customerId: string };

export const TokenCreateSchema = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('admin'), name: z.string().max(200).optional() }),
  z.strictObject({ role: z.literal('planner'), name: z.string().max(200).optional() }),
  z.strictObject({ role: z.literal('technician'), technicianId: z.uuid(), name: z.string().max(200).optional() }),
  z.strictObject({ role: z.literal('customer'), customerId: z.uuid(), name: z.string().max(200).optional() }),
]);
export type TokenCreate = z.infer<typeof TokenCreateSchema>;

export const TokenCreatedSchema = z.object({
  id: z.uuid(),
  role: z.enum(ROLES),
  token: z.string().describe('the API token: shown once, only its digest is stored'),
});

export const TokenInfoSchema = z.object({
  id: z.uuid(),
  role: z.enum(ROLES),
  name: z.string().nullable(),
  technicianId: z.uuid().nullable(),
  customerId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  revokedAt: z.iso.datetime().nullable(),
});

/** The JSON body of every API error. */
export const ApiErrorSchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
