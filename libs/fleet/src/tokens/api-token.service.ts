import { Injectable } from '@nestjs/common';
import { type Principal, ROLES, type TokenCreate, type TokenCreatedSchema, type TokenInfoSchema } from '#contracts';
import { type ApiTokenResolver, Clock, digestToken, generateToken } from '#platform';
import type { z } from 'zod';
import { CustomerRepository } from '../customers/customer.repository.js';
import { conflict, invalidField, notFound, unknownReference } from '../shared/http-errors.js';
import { toIso, toIsoOrNull } from '../shared/iso.js';
import { PG_FOREIGN_KEY_VIOLATION, pgErrorCode } from '../shared/pg-error.js';
import { storedEnum } from '../shared/stored-enum.js';
import { TechnicianRepository } from '../technicians/technician.repository.js';
import { ApiTokenCache } from './api-token-cache.js';
import { type ApiTokenInfoRow, ApiTokenRepository } from './api-token.repository.js';
import { ENV_ADMIN_TOKEN_NAME } from './admin-token-names.js';
import { principalOf } from './principal.js';

export type TokenCreated = z.infer<typeof TokenCreatedSchema>;
export type TokenInfo = z.infer<typeof TokenInfoSchema>;

/**
 * API tokens: issue (shown once, only the SHA-256 digest stored), list, revoke, and resolve a
 * presented bearer token to its principal for the ApiAuthGuard.
 */
@Injectable()
export class ApiTokenService implements ApiTokenResolver {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly technicians: TechnicianRepository,
    private readonly customers: CustomerRepository,
    private readonly cache: ApiTokenCache,
    private readonly clock: Clock,
  ) {}

  async create(dto: TokenCreate): Promise<TokenCreated> {
    if (dto.name === ENV_ADMIN_TOKEN_NAME) {
      throw invalidField('name', `${ENV_ADMIN_TOKEN_NAME} is reserved for the token set by the environment variable`);
    }
    let technicianId: string | null = null;
    let customerId: string | null = null;
    switch (dto.role) {
      case 'admin':
      case 'planner':
        break;
      case 'technician':
        if (!(await this.technicians.exists(dto.technicianId))) {
          throw unknownReference('technicianId', 'technician', dto.technicianId);
        }
        technicianId = dto.technicianId;
        break;
      case 'customer':
        if (!(await this.customers.exists(dto.customerId)))
          throw unknownReference('customerId', 'customer', dto.customerId);
        customerId = dto.customerId;
        break;
    }
    const token = generateToken('api');
    let row: ApiTokenInfoRow;
    try {
      row = await this.tokens.insert({
        role: dto.role,
        name: dto.name ?? null,
        technicianId,
        customerId,
        digest: digestToken(token),
      });
    } catch (error) {
      // The technician or customer was deleted between the check and the insert.
      if (pgErrorCode(error) === PG_FOREIGN_KEY_VIOLATION) {
        throw technicianId === null
          ? unknownReference('customerId', 'customer', customerId ?? '')
          : unknownReference('technicianId', 'technician', technicianId);
      }
      throw error;
    }
    return { id: row.id, role: dto.role, token };
  }

  async list(): Promise<TokenInfo[]> {
    return (await this.tokens.list()).map(toTokenInfo);
  }

  /** Revokes at once: the cache of resolved tokens is cleared, so the next request is refused. */
  async revoke(id: string): Promise<void> {
    const token = await this.tokens.findById(id);
    if (!token) throw notFound('token', id);
    if (token.revokedAt !== null) return;
    if (token.role === 'admin' && (await this.tokens.countActiveAdmins()) <= 1) {
      throw conflict('this is the last admin token: issue another admin token before revoking it');
    }
    await this.tokens.revoke(id, this.clock.date());
    this.cache.clear();
  }

  async resolve(token: string): Promise<Principal | undefined> {
    const digest = digestToken(token);
    const key = digest.toString('hex');
    const cached = this.cache.get(key);
    if (cached) return cached;
    const row = await this.tokens.findActiveByDigest(digest);
    const principal = row && principalOf(row);
    // Only valid tokens are cached: random guesses must not fill the cache.
    if (principal) this.cache.set(key, principal);
    return principal;
  }
}

function toTokenInfo(row: ApiTokenInfoRow): TokenInfo {
  return {
    id: row.id,
    role: storedEnum(ROLES, row.role, 'api_tokens.role'),
    name: row.name,
    technicianId: row.technicianId,
    customerId: row.customerId,
    createdAt: toIso(row.createdAt),
    revokedAt: toIsoOrNull(row.revokedAt),
  };
}
