import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { openPostgres, type PgDatabase } from '../db/pg/client.ts';
import { PgRepo } from '../db/pg/pg-repo.ts';
import type { Repo } from '../db/repo.ts';
import { SqliteRepo } from '../db/sqlite-repo.ts';
import { startScratchPostgres, type ScratchPostgres } from './postgres.ts';

/**
 * Runs the same tests on SQLite (in memory) and on PostgreSQL (a scratch server of Debian's package),
 * each on a freshly migrated database; `repo()` is the current dialect's repository.
 */
export function onEachDialect(name: string, tests: (repo: () => Repo) => void): void {
  describe(`${name} (SQLite)`, () => {
    let repo: Repo;
    beforeAll(() => {
      repo = new SqliteRepo(openDatabase(':memory:'));
    });
    tests(() => repo);
  });

  describe(`${name} (PostgreSQL)`, () => {
    let server: ScratchPostgres;
    let db: PgDatabase;
    let repo: Repo;
    beforeAll(async () => {
      server = await startScratchPostgres();
      db = await openPostgres(server.url, { max: 8 });
      repo = new PgRepo(db);
    }, 60_000);
    afterAll(async () => {
      await db?.$client.end();
      server?.stop();
    });
    tests(() => repo);
  });
}
