import { AsyncLocalStorage } from 'node:async_hooks';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { DatabaseConnection } from '#database';

/** The statements one measured call sent to the database, in order (BEGIN and COMMIT included). */
export interface StatementTrace {
  readonly statements: readonly string[];
  readonly count: number;
}

type Query = PGlite['query'];
type Exec = PGlite['exec'];
type Run = PGlite['transaction'];

/**
 * Counts the statements sent to the embedded PGlite by a measured call and what it started (its promises,
 * timers and queued tasks inherit the AsyncLocalStorage context), not by the gateway's own timers running
 * meanwhile (outbox poll, pipeline flush). Wraps the PGlite instance under Drizzle: every statement goes
 * through its `query`, `exec` or `transaction` (whose BEGIN and COMMIT / ROLLBACK are counted too).
 */
export class StatementCounter {
  private readonly context = new AsyncLocalStorage<{ readonly statements: string[]; open: boolean }>();
  private readonly restore: () => void;

  constructor(connection: DatabaseConnection) {
    const client = (connection.db as unknown as { $client?: unknown }).$client;
    if (!(client instanceof PGlite)) throw new TypeError('StatementCounter needs the embedded PGlite database');
    const query: Query = client.query.bind(client);
    const exec: Exec = client.exec.bind(client);
    const transaction: Run = client.transaction.bind(client);
    const note = (text: string) => {
      const store = this.context.getStore();
      if (store?.open) store.statements.push(text.replace(/\s+/g, ' ').trim());
    };
    const counted = (tx: Transaction): Transaction => {
      const txQuery: Transaction['query'] = (text, params, options) => {
        note(text);
        return tx.query(text, params, options);
      };
      const txExec: Transaction['exec'] = (text, options) => {
        note(text);
        return tx.exec(text, options);
      };
      return new Proxy(tx, {
        get: (target, key, receiver): unknown =>
          key === 'query' ? txQuery : key === 'exec' ? txExec : (Reflect.get(target, key, receiver) as unknown),
      });
    };
    const wrapped = {
      query: ((text, params, options) => {
        note(text);
        return query(text, params, options);
      }) as Query,
      exec: ((text, options) => {
        note(text);
        return exec(text, options);
      }) as Exec,
      transaction: (async (fn) => {
        note('BEGIN');
        try {
          const result = await transaction((tx) => fn(counted(tx)));
          note('COMMIT');
          return result;
        } catch (error) {
          note('ROLLBACK');
          throw error;
        }
      }) as Run,
    };
    Object.assign(client, wrapped);
    this.restore = () => {
      // The instance's own properties shadowed the prototype's methods: removing them restores those.
      const own = client as unknown as Record<string, unknown>;
      delete own['query'];
      delete own['exec'];
      delete own['transaction'];
    };
  }

  /** Runs `fn` and answers its result with the statements it (and what it started) sent until it resolved. */
  async measure<T>(fn: () => Promise<T>): Promise<{ result: T; trace: StatementTrace }> {
    const store = { statements: [] as string[], open: true };
    try {
      const result = await this.context.run(store, fn);
      return { result, trace: { statements: [...store.statements], count: store.statements.length } };
    } finally {
      // Work it left running is not this call's.
      store.open = false;
    }
  }

  dispose(): void {
    this.restore();
  }
}
