import { openDatabase, type Synchronous } from './client.ts';
import { openPostgres } from './pg/client.ts';
import { PgRepo } from './pg/pg-repo.ts';
import type { Repo } from './repo.ts';
import { SqliteRepo } from './sqlite-repo.ts';

export interface OpenRepo {
  repo: Repo;
  /** Runs `fn` while no other node runs it (nodes starting together seed the database once); embedded, just runs it. */
  alone<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** 'seed': one key is enough while startup's seeding is the only work done alone. */
const ALONE_LOCK = 0x73656564;

/** The database this node runs on: the cluster's PostgreSQL when a URL is set, else the embedded SQLite file. */
export async function openRepo(opts: { databaseUrl?: string; databasePath: string; synchronous: Synchronous; poolSize?: number }): Promise<OpenRepo> {
  if (opts.databaseUrl) {
    const db = await openPostgres(opts.databaseUrl, { max: opts.poolSize });
    return {
      repo: new PgRepo(db),
      alone: async (fn) => {
        const lock = await db.$client.connect();
        try {
          await lock.query('select pg_advisory_lock($1)', [ALONE_LOCK]);
          return await fn();
        } finally {
          await lock.query('select pg_advisory_unlock($1)', [ALONE_LOCK]).catch(() => {});
          lock.release();
        }
      },
      close: () => db.$client.end()
    };
  }
  const db = openDatabase(opts.databasePath, { synchronous: opts.synchronous });
  return {
    repo: new SqliteRepo(db),
    alone: (fn) => fn(),
    close: async () => {
      db.$client.close();
    }
  };
}
