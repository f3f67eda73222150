import type { RunResult } from 'better-sqlite3';
import { TransactionRollbackError } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type * as schema from './schema.ts';

/**
 * The one way domains reach the database, on either dialect: SQLite (embedded) or PostgreSQL (cluster).
 *
 * - Queries are built with drizzle on `repo.db` from the tables in `repo.t`, typed as the SQLite schema;
 *   the PostgreSQL tables are their twin (`dialects.test.ts` keeps them in step), cast at the boundary.
 *   Table values come from `repo.t`, never from schema.ts: each dialect maps its columns its own way.
 * - A builder is run by handing it to `one`, `all` or `changes`, never by its own `.get()/.all()/.run()`
 *   (SQLite's alone) or a bare `await` of a write (`{changes}` on SQLite, `{rowCount}` on PostgreSQL).
 * - `tx` is async on both; code called inside one keeps using the repo, which finds the transaction: a builder
 *   comes from `repo.db` read inside it (PostgreSQL refuses one read before, which would run outside it).
 */
export interface Repo {
  readonly dialect: 'sqlite' | 'pg';
  readonly t: Tables;
  /** Builds queries; inside `tx`, on the transaction. */
  readonly db: QueryDb;
  all<Q extends RowsQuery>(q: Q): Promise<Row<Q>[]>;
  /** The first row, or undefined. */
  one<Q extends RowsQuery>(q: Q): Promise<Row<Q> | undefined>;
  /** The rows an insert, update or delete without `.returning()` changed. */
  changes(q: WriteQuery): Promise<number>;
  /**
   * Locks the selected rows until the transaction ends (PostgreSQL); SQLite's transactions already hold its one write lock.
   * `no key update` still lets other transactions insert rows that refer to the locked ones.
   */
  forUpdate<Q>(q: Q, strength?: 'update' | 'no key update'): Q;
  /** A statement built and planned once; per-call values come in as `sql.placeholder`s. */
  prepare<Q extends PromiseLike<unknown>>(build: (db: QueryDb, t: Tables) => Q): Prepared<Q>;
  /** Runs `fn` in a transaction (a savepoint when one is open): committed when it resolves, rolled back when it throws. */
  tx<T>(fn: () => Promise<T>): Promise<T>;
  /** Resolves once the database answers a trivial query; rejects when it cannot. */
  ping(): Promise<void>;
}

export type Tables = typeof schema;

/** The builders domain code sees: SQLite-typed, without the ways to run SQL that only one dialect has. */
export type QueryDb = Omit<BaseSQLiteDatabase<'sync', RunResult, Tables>, 'transaction' | 'run' | 'all' | 'get' | 'values' | 'batch' | '$client'>;

export type Row<Q> = Awaited<Q> extends readonly (infer R)[] ? R : never;
export type Params = Record<string, unknown>;
/** A select, or a write with `.returning()`. */
type RowsQuery = PromiseLike<readonly unknown[]>;
/** A write without `.returning()`. */
type WriteQuery = PromiseLike<RunResult>;

export interface Prepared<Q> {
  one(params?: Params): Promise<Row<Q> | undefined>;
  all(params?: Params): Promise<Row<Q>[]>;
  changes(params?: Params): Promise<number>;
}

/** Ends the innermost transaction without an error of the domain's: `tx` rejects with it, and nothing is kept. */
export function rollback(): never {
  throw new TransactionRollbackError();
}
