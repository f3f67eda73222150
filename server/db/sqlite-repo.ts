import { AsyncLocalStorage } from 'node:async_hooks';
import type { RunResult } from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { Db } from './client.ts';
import type { Params, Prepared, QueryDb, Repo, Row, Tables } from './repo.ts';
import * as schema from './schema.ts';

interface OpenTx {
  token: object;
  done: Promise<void>;
  depth: number;
}

type Runnable = { get(p?: Params): unknown; all(p?: Params): unknown[]; run(p?: Params): RunResult };

/**
 * The repository on SQLite's one connection. A statement runs at once (better-sqlite3 is synchronous);
 * a transaction is BEGIN IMMEDIATE … COMMIT around an async body. Everything on the connection between
 * the two belongs to the transaction, so while one is open, statements from elsewhere wait for its end
 * and transactions queue one at a time. The body must await only this database: it then finishes within
 * one turn of the event loop; one that waited on anything else (a timer, the network) would hold every
 * other request, and is rolled back with an error instead. Code that still writes through the SQLite handle
 * itself is not held back like this, so while such code remains, domains keep to single statements.
 */
export class SqliteRepo implements Repo {
  readonly dialect = 'sqlite' as const;
  readonly t: Tables = schema;
  readonly #db: Db;
  readonly #inside = new AsyncLocalStorage<object>();
  #open: OpenTx | null = null;
  #queue: Promise<void> = Promise.resolve();

  constructor(db: Db) {
    this.#db = db;
  }

  get db(): QueryDb {
    return this.#db;
  }

  all<Q extends PromiseLike<readonly unknown[]>>(q: Q): Promise<Row<Q>[]> {
    return this.#when(() => (q as unknown as Runnable).all() as Row<Q>[]);
  }

  one<Q extends PromiseLike<readonly unknown[]>>(q: Q): Promise<Row<Q> | undefined> {
    return this.#when(() => (q as unknown as Runnable).get() as Row<Q> | undefined);
  }

  changes(q: PromiseLike<RunResult>): Promise<number> {
    return this.#when(() => (q as unknown as Runnable).run().changes);
  }

  forUpdate<Q>(q: Q): Q {
    return q;
  }

  prepare<Q extends PromiseLike<unknown>>(build: (db: QueryDb, t: Tables) => Q): Prepared<Q> {
    const p = (build(this.#db, this.t) as unknown as { prepare(): Runnable }).prepare();
    return {
      one: (params) => this.#when(() => p.get(params) as Row<Q> | undefined),
      all: (params) => this.#when(() => p.all(params) as Row<Q>[]),
      changes: (params) => this.#when(() => p.run(params).changes)
    };
  }

  async tx<T>(fn: () => Promise<T>): Promise<T> {
    const open = this.#open;
    if (open && this.#inside.getStore() === open.token) return this.#savepoint(open, fn);
    const previous = this.#queue;
    let release!: () => void;
    this.#queue = new Promise<void>((r) => (release = r));
    await previous;
    const token = {};
    let finished!: () => void;
    this.#open = { token, depth: 0, done: new Promise<void>((r) => (finished = r)) };
    let yielded = false;
    const probe = setImmediate(() => (yielded = true));
    try {
      this.#db.run(sql`begin immediate`);
      try {
        const result = await this.#inside.run(token, fn);
        if (yielded) throw new Error('A SQLite transaction awaited something other than the database; it was rolled back.');
        this.#db.run(sql`commit`);
        return result;
      } catch (err) {
        if (this.#db.$client.inTransaction) this.#db.run(sql`rollback`);
        throw err;
      }
    } finally {
      clearImmediate(probe);
      this.#open = null;
      finished();
      release();
    }
  }

  ping(): Promise<void> {
    return this.#when(() => void this.#db.get(sql`select 1`));
  }

  /**
   * Runs a statement once this caller may use the connection: nothing is open, or it runs inside what is.
   * The check and the statement run in one go: between an await and the statement, a transaction could open.
   */
  async #when<T>(statement: () => T): Promise<T> {
    while (this.#open && this.#inside.getStore() !== this.#open.token) await this.#open.done;
    return statement();
  }

  async #savepoint<T>(open: OpenTx, fn: () => Promise<T>): Promise<T> {
    const name = `sp${++open.depth}`;
    this.#db.run(sql.raw(`savepoint ${name}`));
    try {
      const result = await fn();
      this.#db.run(sql.raw(`release ${name}`));
      return result;
    } catch (err) {
      this.#db.run(sql.raw(`rollback to ${name}`));
      this.#db.run(sql.raw(`release ${name}`));
      throw err;
    } finally {
      open.depth--;
    }
  }
}
