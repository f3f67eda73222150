import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScratchPostgres, type ScratchPostgres } from '../../testing/postgres.ts';
import { openPostgres, type PgDatabase } from './client.ts';
import { PgRepo } from './pg-repo.ts';

describe('PostgreSQL transactions', () => {
  let server: ScratchPostgres;
  let db: PgDatabase;
  let repo: PgRepo;
  beforeAll(async () => {
    server = await startScratchPostgres();
    db = await openPostgres(server.url, { max: 8 });
    repo = new PgRepo(db);
    const { users, products, variants } = repo.t;
    await repo.changes(repo.db.insert(users).values({ id: 'u', email: 'u@pg.test', displayName: 'Seller', passwordHash: 'x' }));
    await repo.changes(repo.db.insert(products).values({ id: 'p', ownerId: 'u', title: 'Mug', currency: 'USD', price: 900 }));
    await repo.changes(repo.db.insert(variants).values([{ id: 'a', productId: 'p', stock: 10 }, { id: 'b', productId: 'p', stock: 10 }]));
  }, 60_000);
  afterAll(async () => {
    await db?.$client.end();
    server?.stop();
  });

  it('runs again, from the start, the transaction the database picked to end a deadlock, so both commit', async () => {
    const { variants } = repo.t;
    const take = (id: string) => repo.changes(repo.db.update(variants).set({ stock: sql`${variants.stock} - 1` }).where(eq(variants.id, id)));
    // Each first attempt waits until the other holds its first row: then each asks for the other's.
    let held = 0;
    let bothHold!: () => void;
    const both = new Promise<void>((r) => (bothHold = r));
    const runs: number[] = [];
    const crosswise = (first: string, second: string, who: number) =>
      repo.tx(async () => {
        runs.push(who);
        await take(first);
        if (++held === 2) bothHold();
        await both;
        await take(second);
      });
    await Promise.all([crosswise('a', 'b', 1), crosswise('b', 'a', 2)]);
    // Three runs: the deadlock's victim ran twice, and its first run left nothing behind.
    expect(runs).toHaveLength(3);
    const stock = await repo.all(repo.db.select({ id: variants.id, stock: variants.stock }).from(variants).orderBy(variants.id));
    expect(stock).toEqual([{ id: 'a', stock: 8 }, { id: 'b', stock: 8 }]);
  }, 20_000);
});
