import { Inject, Injectable } from '@nestjs/common';
import { and, asc, count, eq, isNull, ne } from 'drizzle-orm';
import { DATABASE, type Database, tables } from '#database';
import { singleRow } from '../shared/rows.js';

const { apiTokens } = tables;

export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type ApiTokenInsert = typeof apiTokens.$inferInsert;

/** What may be shown of a token: everything but its digest. */
const infoColumns = {
  id: apiTokens.id,
  role: apiTokens.role,
  name: apiTokens.name,
  technicianId: apiTokens.technicianId,
  customerId: apiTokens.customerId,
  createdAt: apiTokens.createdAt,
  revokedAt: apiTokens.revokedAt,
};
export type ApiTokenInfoRow = Omit<ApiTokenRow, 'digest'>;

/**
 * The `api_tokens` table. Methods that take part in the admin bootstrap accept the transaction
 * they run in (`db`), defaulting to the plain connection.
 */
@Injectable()
export class ApiTokenRepository {
  constructor(@Inject(DATABASE) private readonly db: Database) {}

  async insert(values: ApiTokenInsert, db: Database = this.db): Promise<ApiTokenInfoRow> {
    return singleRow(await db.insert(apiTokens).values(values).returning(infoColumns), 'insert api token');
  }

  /** The live (not revoked) token with this digest. */
  async findActiveByDigest(digest: Buffer): Promise<ApiTokenInfoRow | undefined> {
    const rows = await this.db
      .select(infoColumns)
      .from(apiTokens)
      .where(and(eq(apiTokens.digest, digest), isNull(apiTokens.revokedAt)))
      .limit(1);
    return rows[0];
  }

  async findById(id: string): Promise<ApiTokenInfoRow | undefined> {
    const rows = await this.db.select(infoColumns).from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
    return rows[0];
  }

  async list(): Promise<ApiTokenInfoRow[]> {
    return this.db.select(infoColumns).from(apiTokens).orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
  }

  /** Marks the token revoked (kept for the record); answers whether a live token was revoked. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    return rows.length > 0;
  }

  async countActiveAdmins(db: Database = this.db): Promise<number> {
    const [row] = await db
      .select({ n: count() })
      .from(apiTokens)
      .where(and(eq(apiTokens.role, 'admin'), isNull(apiTokens.revokedAt)));
    return row?.n ?? 0;
  }

  /** Removes the admin tokens of this name except the one with `keepDigest` (an env token replaced by a new value). */
  async deleteAdminsNamedExcept(name: string, keepDigest: Buffer, db: Database = this.db): Promise<number> {
    const rows = await db
      .delete(apiTokens)
      .where(and(eq(apiTokens.role, 'admin'), eq(apiTokens.name, name), ne(apiTokens.digest, keepDigest)))
      .returning({ id: apiTokens.id });
    return rows.length;
  }

  /**
   * Makes `digest` a live admin token named `name`, whatever row held it before (digests are
   * unique, so a value once used, revoked, and set again takes its old row back).
   */
  async upsertAdmin(name: string, digest: Buffer, db: Database = this.db): Promise<void> {
    await db
      .insert(apiTokens)
      .values({ role: 'admin', name, digest })
      .onConflictDoUpdate({
        target: apiTokens.digest,
        set: { role: 'admin', name, technicianId: null, customerId: null, revokedAt: null },
      });
  }
}
