import path from 'node:path';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.ts';

export type PgDatabase = NodePgDatabase<typeof schema> & { $client: pg.Pool };

/** Connects a pool to PostgreSQL and applies pending migrations. */
export async function openPostgres(url: string, opts: { max?: number } = {}): Promise<PgDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  const db = drizzle(pool, { schema }) as PgDatabase;
  try {
    await migrate(db, { migrationsFolder: path.join(import.meta.dirname, 'migrations') });
  } catch (err) {
    await pool.end();
    throw err;
  }
  return db;
}
