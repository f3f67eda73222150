import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunResult } from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Params, Prepared, QueryDb, Repo, Row, Tables } from '../repo.ts';
import { dbErrorCode } from '../../errors.ts';
import { logger } from '../../log.ts';
import * as schema from './schema.ts';

type PgDb = NodePgDatabase<typeof schema>;
/** drizzle's transaction: the same builders as the database, on one pooled connection. */
type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];
type PgPrepared = { execute(params?: Params): Promise<unknown> };

let statements = 0;

const log = logger('db');
/** deadlock_detected and serialization_failure: the database chose this transaction to give way. */
const RETRYABLE = new Set(['40P01', '40001']);
const TX_ATTEMPTS = 4;

/** The repository on a PostgreSQL pool: each statement on a pooled connection, a transaction on one of its own. */
export class PgRepo implements Repo {
  readonly dialect = 'pg' as const;
  // The twin tables under the SQLite tables' type: same names and columns (dialects.test.ts), pg's mapping at run time.
  readonly t = schema as unknown as Tables;
  readonly #root: PgDb;
  readonly #inside = new AsyncLocalStorage<PgTx>();

  constructor(db: PgDb) {
    this.#root = db;
  }

  get #current(): PgDb | PgTx {
    return this.#inside.getStore() ?? this.#root;
  }

  get db(): QueryDb {
    return this.#current as unknown as QueryDb;
  }

  async all<Q extends PromiseLike<readonly unknown[]>>(q: Q): Promise<Row<Q>[]> {
    return (await this.#here(q)) as Row<Q>[];
  }

  async one<Q extends PromiseLike<readonly unknown[]>>(q: Q): Promise<Row<Q> | undefined> {
    // SQLite stops at the first row by itself; PostgreSQL would send them all.
    const select = this.#here(q) as unknown as { limit?: (n: number) => PromiseLike<readonly unknown[]> };
    const rows = await (typeof select.limit === 'function' ? select.limit(1) : q);
    return rows[0] as Row<Q> | undefined;
  }

  async changes(q: PromiseLike<RunResult>): Promise<number> {
    return ((await this.#here(q)) as unknown as { rowCount: number | null }).rowCount ?? 0;
  }

  forUpdate<Q>(q: Q, strength: 'update' | 'no key update' = 'update'): Q {
    return (q as unknown as { for(strength: 'update' | 'no key update'): Q }).for(strength);
  }

  prepare<Q extends PromiseLike<unknown>>(build: (db: QueryDb, t: Tables) => Q): Prepared<Q> {
    // A prepared query belongs to the client it was prepared on: one made on the pool would run outside an
    // open transaction (and wait on its locks for ever). So one per client, named, parsed once per connection.
    const name = `hawker_${++statements}`;
    const byClient = new WeakMap<object, PgPrepared>();
    const statement = (): PgPrepared => {
      const db = this.#current;
      const client = (db as unknown as { session: { client: object } }).session.client;
      let p = byClient.get(client);
      if (!p) byClient.set(client, (p = (build(db as unknown as QueryDb, this.t) as unknown as { prepare(name: string): PgPrepared }).prepare(name)));
      return p;
    };
    return {
      one: async (params) => ((await statement().execute(params)) as Row<Q>[])[0],
      all: async (params) => (await statement().execute(params)) as Row<Q>[],
      changes: async (params) => ((await statement().execute(params)) as { rowCount: number | null }).rowCount ?? 0
    };
  }

  async tx<T>(fn: () => Promise<T>): Promise<T> {
    // Inside a transaction, drizzle's transaction() is a savepoint, and a retry is the outer transaction's.
    if (this.#inside.getStore()) return this.#current.transaction((tx) => this.#inside.run(tx, fn));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#root.transaction((tx) => this.#inside.run(tx, fn));
      } catch (err) {
        // PostgreSQL rolled the whole transaction back and asks for it again: nothing of it was kept.
        const code = dbErrorCode(err);
        if (attempt >= TX_ATTEMPTS || !RETRYABLE.has(code ?? '')) throw err;
        log.warn({ code, attempt }, 'transaction rolled back by the database; running it again');
        await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * Refuses a query built on another connection than the caller's: one built from `db` before a transaction
   * began would run outside it on the pool (SQLite's one connection hides this), and could wait there for a
   * connection that open transactions, waiting in turn for it, all hold.
   */
  #here<Q>(q: Q): Q {
    const built = (q as { session?: unknown }).session;
    if (built !== (this.#current as unknown as { session: unknown }).session) throw new Error('A query built outside the current transaction (or inside an ended one) was run; take repo.db where it runs.');
    return q;
  }

  async ping(): Promise<void> {
    // On the pool, never an open transaction's connection: the answer is about the database, not one request.
    await this.#root.execute(sql`select 1`);
  }
}
