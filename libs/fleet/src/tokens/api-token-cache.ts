import { Injectable } from '@nestjs/common';
import type { Principal } from '#contracts';
import { Clock } from '#platform';
import { ExpiringCache } from './expiring-cache.js';

/** Resolved tokens are trusted for a few seconds, so a busy client costs no query per request. */
export const API_TOKEN_CACHE_TTL_MS = 5_000;
/** Bounds memory; only valid tokens are cached, so guessing tokens cannot grow it. */
const MAX_CACHED_TOKENS = 10_000;

/**
 * The process's cache of resolved API tokens, keyed by token digest (hex). Everything that can end
 * a token (revocation, deleting the customer or technician it is bound to, rotating the env admin
 * token) clears it, so the change takes effect at once in this process.
 */
@Injectable()
export class ApiTokenCache {
  private readonly cache: ExpiringCache<string, Principal>;

  constructor(clock: Clock) {
    this.cache = new ExpiringCache(API_TOKEN_CACHE_TTL_MS, MAX_CACHED_TOKENS, () => clock.now());
  }

  get(digestHex: string): Principal | undefined {
    return this.cache.get(digestHex);
  }

  set(digestHex: string, principal: Principal): void {
    this.cache.set(digestHex, principal);
  }

  clear(): void {
    this.cache.clear();
  }
}
