import path from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { logger } from '../../log.ts';
import * as schema from './schema.ts';

const log = logger('postgres');
/** Nodes starting together take turns migrating: the first applies what is pending, the others find it done. */
const MIGRATION_LOCK = 0x6861776b; // 'hawk'

export type PgDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** Connects a pool to PostgreSQL and applies pending migrations. */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<PgDatabase> {
  // The pool holds the lock on one connection while the migrator uses another.
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, opts.max ?? 10) });
  // An idle connection the server dropped (a restart, a failover) is replaced on the next query, not fatal.
  pool.on('error', (err) => log.warn({ err }, 'an idle PostgreSQL connection failed'));
  const db = drizzle(pool, { schema }) as PgDatabase;
  try {
    const lock = await pool.connect();
    try {
      await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await migrate(db, { migrationsFolder: path.join(import.meta.dirname, 'migrations') });
    } finally {
      await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
      lock.release();
    }
  } catch (err) {
    await pool.end();
    throw err;
  }
  return db;
}
