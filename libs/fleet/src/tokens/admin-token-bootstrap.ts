import { Injectable } from '@nestjs/common';
import { Clock, digestToken, generateToken } from '#platform';
import { SettingsRepository } from '../settings/settings.repository.js';
import { Transactions } from '../shared/transactions.js';
import { ApiTokenCache } from './api-token-cache.js';
import { ApiTokenRepository } from './api-token.repository.js';
import {
  ADMIN_BOOTSTRAP_SETTING,
  ENV_ADMIN_TOKEN_NAME,
  GENERATED_ADMIN_TOKEN_NAME,
  MIN_ADMIN_TOKEN_LENGTH,
} from './admin-token-names.js';

/** Raised for an ADMIN_TOKEN the gateway must not start with. */
export class AdminTokenError extends Error {
  override readonly name = 'AdminTokenError';
}

/** Why a given ADMIN_TOKEN value is refused, or undefined when it is acceptable. */
export function adminTokenProblem(token: string): string | undefined {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    return `ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (it has ${token.length})`;
  }
  // The guard reads `Authorization: Bearer <token>` as one run of non-space characters.
  if (/\s/.test(token)) return 'ADMIN_TOKEN must not contain spaces';
  return undefined;
}

/**
 * Makes sure the installation has an admin token at start.
 * - ADMIN_TOKEN given: its digest becomes the admin token named ADMIN_TOKEN, replacing the one a
 *   previous value put there (so changing the variable rotates it).
 * - Not given: on the very first start (no admin token yet), one is generated and answered so the
 *   gateway prints it once; a marker in `settings` keeps any later start from generating another.
 */
@Injectable()
export class AdminTokenBootstrap {
  constructor(
    private readonly tokens: ApiTokenRepository,
    private readonly settings: SettingsRepository,
    private readonly transactions: Transactions,
    private readonly cache: ApiTokenCache,
    private readonly clock: Clock,
  ) {}

  async ensure(envToken: string | undefined): Promise<{ generated?: string }> {
    if (envToken !== undefined) {
      await this.installEnvToken(envToken);
      return {};
    }
    // One transaction, and the marker claimed first: of two gateways starting on one database,
    // only one generates (and prints) a token, and a crash cannot leave a marker without a token.
    return this.transactions.run(async (db) => {
      if (!(await this.settings.setIfAbsent(ADMIN_BOOTSTRAP_SETTING, this.clock.date().toISOString(), db))) return {};
      if ((await this.tokens.countActiveAdmins(db)) > 0) return {};
      const token = generateToken('api');
      await this.tokens.insert({ role: 'admin', name: GENERATED_ADMIN_TOKEN_NAME, digest: digestToken(token) }, db);
      return { generated: token };
    });
  }

  private async installEnvToken(token: string): Promise<void> {
    const problem = adminTokenProblem(token);
    if (problem) throw new AdminTokenError(problem);
    const digest = digestToken(token);
    await this.transactions.run(async (db) => {
      await this.tokens.deleteAdminsNamedExcept(ENV_ADMIN_TOKEN_NAME, digest, db);
      await this.tokens.upsertAdmin(ENV_ADMIN_TOKEN_NAME, digest, db);
      await this.settings.setIfAbsent(ADMIN_BOOTSTRAP_SETTING, this.clock.date().toISOString(), db);
    });
    // A replaced env token must stop working at once in this process too.
    this.cache.clear();
  }
}
