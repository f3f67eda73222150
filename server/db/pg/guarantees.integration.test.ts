import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScratchPostgres, type ScratchPostgres } from '../../testing/postgres.ts';
import { larger, smaller } from '../portable-sql.ts';
import * as schema from './schema.ts';

const { orders, products, sessions, users, variants } = schema;

/** The PostgreSQL code of an error a statement failed with, or null. */
async function failure(run: Promise<unknown>): Promise<string | null> {
  try {
    await run;
    return null;
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause ?? (err as { code?: string });
    return cause.code ?? 'unknown';
  }
}

describe('the PostgreSQL schema holds what the SQLite one guarantees', () => {
  let server: ScratchPostgres;
  let pool: pg.Pool;
  let db: NodePgDatabase<typeof schema>;

  beforeAll(async () => {
    server = await startScratchPostgres();
    pool = new pg.Pool({ connectionString: server.url, max: 8 });
    db = drizzle(pool, { schema });
    await migrate(db, { migrationsFolder: path.join(import.meta.dirname, 'migrations') });
    await db.insert(users).values({ id: 'u1', email: 'seller@pg.test', displayName: 'Seller', passwordHash: 'x' });
    await db.insert(products).values({ id: 'p1', ownerId: 'u1', title: 'Mug', currency: 'USD', price: 900 });
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    server?.stop();
  });

  it('sells exactly the stock when takes race on separate connections, and never below zero', async () => {
    await db.insert(variants).values({ id: 'v1', productId: 'p1', stock: 3 });
    const take = () => db.update(variants).set({ stock: sql`${variants.stock} - 1` }).where(and(eq(variants.id, 'v1'), sql`${variants.stock} >= 1`)).returning({ id: variants.id });
    const taken = await Promise.all(Array.from({ length: 10 }, take));
    expect(taken.filter((rows) => rows.length === 1)).toHaveLength(3);
    expect((await db.select().from(variants).where(eq(variants.id, 'v1')))[0]!.stock).toBe(0);
    // The check constraint stands behind the conditional update: 23514 is check_violation.
    expect(await failure(db.update(variants).set({ stock: -1 }).where(eq(variants.id, 'v1')))).toBe('23514');
  });

  it('refuses a second order with a buyer’s idempotency key', async () => {
    const order = (id: string) =>
      db.insert(orders).values({ id, buyerId: 'u1', status: 'pending_payment', currency: 'USD', total: 900, title: 'Mug', idempotencyKey: 'tap-1' });
    await order('o1');
    // 23505 is unique_violation.
    expect(await failure(order('o2'))).toBe('23505');
  });

  it('keeps a session’s secret hash byte for byte, and ms timestamps past 2^31', async () => {
    const secretHash = Buffer.from([0, 1, 2, 254, 255]);
    const now = Date.now();
    await db.insert(sessions).values({ id: 's1', userId: 'u1', secretHash, createdAt: now, lastVerifiedAt: now });
    const row = (await db.select().from(sessions).where(eq(sessions.id, 's1')))[0]!;
    expect(Buffer.compare(row.secretHash, secretHash)).toBe(0);
    expect(row.lastVerifiedAt).toBe(now);
  });

  it('reads the portable larger and smaller as SQLite does', async () => {
    const pick = async (q: ReturnType<typeof larger>) => Number((await db.execute<{ v: string }>(sql`select ${q} as v`)).rows[0]!.v);
    for (const [a, b] of [[3, 7], [7, 3], [5, 5]] as const) {
      expect(await pick(larger(a, b))).toBe(Math.max(a, b));
      expect(await pick(smaller(a, b))).toBe(Math.min(a, b));
    }
  });
});
