import { and, eq, gte, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { onEachDialect } from '../testing/dialects.ts';
import { openDatabase } from './client.ts';
import { rollback } from './repo.ts';
import { SqliteRepo } from './sqlite-repo.ts';

let serial = 0;
const id = (prefix: string) => `${prefix}-${++serial}`;

onEachDialect('the repository', (repo) => {
  /** A seller with one product of one variant holding `stock` units. */
  async function variantWith(stock: number): Promise<string> {
    const { users, products, variants } = repo().t;
    const [user, product, variant] = [id('u'), id('p'), id('v')];
    await repo().changes(repo().db.insert(users).values({ id: user, email: `${user}@repo.test`, displayName: 'Seller', passwordHash: 'x' }));
    await repo().changes(repo().db.insert(products).values({ id: product, ownerId: user, title: 'Mug', currency: 'USD', price: 900, images: ['a.png'] }));
    await repo().changes(repo().db.insert(variants).values({ id: variant, productId: product, stock }));
    return variant;
  }
  const stockOf = async (variant: string) => {
    const { variants } = repo().t;
    return (await repo().one(repo().db.select({ stock: variants.stock }).from(variants).where(eq(variants.id, variant))))?.stock;
  };

  it('runs selects and writes the same way on both: rows, the first row, counts of changed rows, columns mapped', async () => {
    const { products, variants } = repo().t;
    const variant = await variantWith(5);
    const row = await repo().one(repo().db.select().from(variants).where(eq(variants.id, variant)));
    expect(row).toMatchObject({ id: variant, stock: 5, name: '', price: null });
    const product = await repo().one(repo().db.select().from(products).where(eq(products.id, row!.productId)));
    expect(product).toMatchObject({ images: ['a.png'], archived: false, price: 900 });
    expect(typeof product!.createdAt).toBe('number');
    expect(await repo().one(repo().db.select().from(variants).where(eq(variants.id, 'none')))).toBeUndefined();
    expect(await repo().changes(repo().db.update(variants).set({ stock: 4 }).where(eq(variants.id, variant)))).toBe(1);
    expect(await repo().changes(repo().db.update(variants).set({ stock: 4 }).where(eq(variants.id, 'none')))).toBe(0);
    const returned = await repo().all(repo().db.update(variants).set({ stock: sql`${variants.stock} - 1` }).where(eq(variants.id, variant)).returning({ stock: variants.stock }));
    expect(returned).toEqual([{ stock: 3 }]);
  });

  it('runs a prepared statement with placeholders, inside and outside a transaction', async () => {
    const take = repo().prepare((db, t) =>
      db.update(t.variants).set({ stock: sql`${t.variants.stock} - 1` }).where(and(eq(t.variants.id, sql.placeholder('id')), gte(t.variants.stock, 1)))
    );
    const read = repo().prepare((db, t) => db.select({ stock: t.variants.stock }).from(t.variants).where(eq(t.variants.id, sql.placeholder('id'))));
    const variant = await variantWith(2);
    expect(await take.changes({ id: variant })).toBe(1);
    await repo().tx(async () => {
      expect(await take.changes({ id: variant })).toBe(1);
      expect(await read.one({ id: variant })).toEqual({ stock: 0 });
    });
    expect(await take.changes({ id: variant })).toBe(0);
    expect(await read.all({ id: variant })).toEqual([{ stock: 0 }]);
  });

  it('commits a transaction that resolves, keeps nothing of one that throws, and rolls a savepoint back alone', async () => {
    const variant = await variantWith(10);
    const { variants } = repo().t;
    const set = (stock: number) => repo().changes(repo().db.update(variants).set({ stock }).where(eq(variants.id, variant)));
    await repo().tx(async () => void (await set(9)));
    expect(await stockOf(variant)).toBe(9);
    await expect(repo().tx(async () => (await set(1), rollback()))).rejects.toThrow();
    await expect(repo().tx(async () => (await set(2), Promise.reject(new Error('refused'))))).rejects.toThrow('refused');
    expect(await stockOf(variant)).toBe(9);
    await repo().tx(async () => {
      await set(8);
      await expect(repo().tx(async () => (await set(0), rollback()))).rejects.toThrow();
      expect(await stockOf(variant)).toBe(8);
    });
    expect(await stockOf(variant)).toBe(8);
  });

  it('sells exactly the stock when buyers race, each in a transaction of its own', async () => {
    const variant = await variantWith(3);
    const { variants } = repo().t;
    const attempts = Array.from({ length: 12 }, () =>
      repo().tx(async () => {
        const row = await repo().one(repo().forUpdate(repo().db.select({ stock: variants.stock }).from(variants).where(eq(variants.id, variant))));
        if (!row || row.stock < 1) return false;
        return (await repo().changes(repo().db.update(variants).set({ stock: row.stock - 1 }).where(eq(variants.id, variant)))) === 1;
      })
    );
    expect((await Promise.all(attempts)).filter(Boolean)).toHaveLength(3);
    expect(await stockOf(variant)).toBe(0);
  });

  it('keeps a statement from outside an open transaction out of it: the transaction’s rollback does not take it along', async () => {
    const { variants } = repo().t;
    const [inTx, outside] = [await variantWith(5), await variantWith(5)];
    const tx = repo().tx(async () => {
      await repo().changes(repo().db.update(variants).set({ stock: 0 }).where(eq(variants.id, inTx)));
      for (let i = 0; i < 5; i++) await stockOf(inTx);
      rollback();
    });
    const write = repo().changes(repo().db.update(variants).set({ stock: 1 }).where(eq(variants.id, outside)));
    await expect(tx).rejects.toThrow();
    expect(await write).toBe(1);
    expect([await stockOf(inTx), await stockOf(outside)]).toEqual([5, 1]);
  });

  it('runs a query only where it was built: SQLite has one connection, PostgreSQL refuses one built before its transaction', async () => {
    const { variants } = repo().t;
    const variant = await variantWith(5);
    const early = repo().db.update(variants).set({ stock: 0 }).where(eq(variants.id, variant));
    const tx = repo().tx(async () => repo().changes(early));
    if (repo().dialect === 'pg') await expect(tx).rejects.toThrow(/outside the current transaction/);
    else expect(await tx).toBe(1);
  });

  it('answers a ping (readiness asks it)', async () => {
    await expect(repo().ping()).resolves.toBeUndefined();
  });
});

describe('the repository on SQLite', () => {
  it('rolls back, with an error, a transaction that waited on something other than the database', async () => {
    const repo = new SqliteRepo(openDatabase(':memory:'));
    const { users } = repo.t;
    const insert = () => repo.changes(repo.db.insert(users).values({ id: id('u'), email: `${id('e')}@repo.test`, displayName: 'A', passwordHash: 'x' }));
    await expect(repo.tx(async () => (await insert(), await new Promise((r) => setTimeout(r, 5))))).rejects.toThrow(/awaited something other than the database/);
    expect(await repo.all(repo.db.select().from(users))).toEqual([]);
    await repo.tx(async () => void (await insert()));
    expect(await repo.all(repo.db.select().from(users))).toHaveLength(1);
  });
});
