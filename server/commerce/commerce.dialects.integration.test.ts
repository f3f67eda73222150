import { eq, sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { onEachDialect } from '../testing/dialects.ts';
import { LimitStore } from '../limits/shared-limits.ts';
import type { PublicUser } from '#shared/auth.ts';
import { Catalog } from './catalog.ts';
import { Coupons } from './coupons.ts';
import { Inventory } from './inventory.ts';
import { Orders } from './orders.ts';
import { Purchases } from './purchases.ts';
import { SellerTerms } from './seller-terms.ts';

let serial = 0;
const participation = { assertMayTakePart: async () => {} };

onEachDialect('commerce', (repo) => {
  const person = async (role: PublicUser['role']): Promise<PublicUser> => {
    const id = `${role}-${++serial}`;
    const user = { id, email: `${id}@commerce.test`, displayName: id, role };
    await repo().changes(repo().db.insert(repo().t.users).values({ ...user, passwordHash: 'x' }));
    return user;
  };
  const shop = (maxUnpaidUnits = 100) => {
    const catalog = new Catalog(repo());
    const inventory = new Inventory(repo());
    const orders = new Orders(repo(), inventory);
    const purchases = new Purchases({ repo: repo(), catalog, inventory, orders, participation, limits: { buysPerMinute: 100, maxUnpaidUnits }, limitStore: new LimitStore() });
    const product = (host: PublicUser, title: string, stock: number) => catalog.create(host, { title, description: '', currency: 'USD', price: 1000, stock });
    return { catalog, inventory, orders, purchases, product };
  };
  const liveShow = async (host: PublicUser) => {
    const id = `show-${++serial}`;
    await repo().changes(repo().db.insert(repo().t.shows).values({ id, hostId: host.id, title: id, scheduledAt: 0, status: 'live' }));
    return id;
  };

  it('lists a host’s products in the order they were added, also after one is edited', async () => {
    const host = await person('host');
    const { catalog, product } = shop();
    const added: string[] = [];
    for (const title of ['Mug', 'Vase', 'Lamp']) {
      added.push((await product(host, title, 1)).id);
      // Products added within one millisecond have no order of their own.
      await new Promise((r) => setTimeout(r, 2));
    }
    // With statistics (autovacuum gathers them), PostgreSQL reads a table this small whole, where an edited row has moved last.
    if (repo().dialect === 'pg') await (repo().db as unknown as { execute(q: unknown): Promise<unknown> }).execute(sql`analyze products`);
    await catalog.update(host, added[0]!, { title: 'Big mug' });
    expect((await catalog.ownedBy(host.id)).map((p) => p.id)).toEqual(added);
  });

  it('keeps no product whose variants were refused', async () => {
    const host = await person('host');
    const { catalog, product } = shop();
    await expect(product(host, 'Mug', -1)).rejects.toThrow();
    expect(await catalog.ownedBy(host.id)).toEqual([]);
  });

  it('lists a seller’s shipping and tax terms by currency, also after one is edited', async () => {
    const seller = await person('host');
    const terms = new SellerTerms(repo());
    const usd = { currency: 'USD', shippingPerOrder: 500, shippingPerExtraItem: 100, taxRateBp: 0 } as const;
    const eur = { ...usd, currency: 'EUR' } as const;
    await terms.set(seller.id, usd);
    await terms.set(seller.id, eur);
    expect(await terms.set(seller.id, { ...usd, taxRateBp: 700 })).toEqual([eur, { ...usd, taxRateBp: 700 }]);
  });

  it('answers a double tap with the first tap’s order, also while the first is still being committed', async () => {
    const { db, t } = repo();
    const [host, ann] = [await person('host'), await person('buyer')];
    const { catalog, purchases, product } = shop();
    const mug = await product(host, 'Mug', 5);
    const input = { variantId: mug.variants[0]!.id, quantity: 1, idempotencyKey: 'double-tap' };
    const [first, second] = await Promise.all([purchases.buy(ann, input), purchases.buy(ann, input)]);
    expect(second.id).toBe(first.id);
    expect(await repo().all(db.select().from(t.orders).where(eq(t.orders.buyerId, ann.id)))).toHaveLength(1);
    expect((await catalog.get(mug.id)).variants[0]!.stock).toBe(4);
  });

  it('holds a buyer to their limit of unpaid items when they buy several things at once', async () => {
    const [host, ann] = [await person('host'), await person('buyer')];
    const { inventory, purchases, product } = shop(3);
    const variants: string[] = [];
    for (const title of ['Cup', 'Bowl', 'Plate', 'Jug', 'Pot', 'Vase', 'Tray', 'Dish']) variants.push((await product(host, title, 5)).variants[0]!.id);
    const outcomes = await Promise.allSettled(variants.map((variantId, i) => purchases.buy(ann, { variantId, quantity: 1, idempotencyKey: `limit-${i}` })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(await inventory.unpaidUnits(ann.id)).toBe(3);
  });

  it('lets carts holding the same things in other orders, a give-back beside a buy, and hosts buying from each other all go through', async () => {
    const { db, t } = repo();
    const [host, other] = [await person('host'), await person('host')];
    const { catalog, orders, purchases, product } = shop();
    const showId = await liveShow(host);
    const [a, b] = [await product(host, 'A', 100), await product(other, 'B', 100)];
    await repo().changes(db.insert(t.lineup).values({ showId, productId: a.id, position: 0 }));
    const saleId = `sale-${serial}`;
    await repo().changes(db.insert(t.flashSales).values({ id: saleId, showId, productId: a.id, discountKind: 'percent', discountValue: 10, quantity: 100, perBuyerLimit: 5, startsAt: 0, endsAt: Date.now() + 600_000 }));
    const [va, vb] = [a.variants[0]!.id, b.variants[0]!.id];
    const onSale = { variantId: va, quantity: 1, saleId, showId };
    for (let round = 0; round < 10; round++) {
      const [x, y, z] = [await person('buyer'), await person('buyer'), await person('buyer')];
      const held = await purchases.buy(z, { ...onSale, idempotencyKey: `held-${round}` });
      await Promise.all([
        purchases.checkoutCart(x, [{ variantId: va, quantity: 1 }, { variantId: vb, quantity: 1 }], `ab-${round}`),
        purchases.checkoutCart(y, [{ variantId: vb, quantity: 1 }, { variantId: va, quantity: 1 }], `ba-${round}`),
        orders.cancel(z.id, held.id),
        purchases.buy(x, { ...onSale, idempotencyKey: `sale-${round}` }),
        purchases.buy(host, { variantId: vb, quantity: 1, idempotencyKey: `host-${round}` }),
        purchases.buy(other, { variantId: va, quantity: 1, idempotencyKey: `other-${round}` })
      ]);
    }
    // Per round, A goes to both carts, the sale and the other host; the held unit came back.
    expect((await catalog.get(a.id)).variants[0]!.stock).toBe(100 - 10 * 4);
  });

  it('gives out exactly a coupon’s claims when more buyers than connections claim at once', async () => {
    const host = await person('host');
    const coupons = new Coupons(repo(), participation);
    const coupon = await coupons.create(await liveShow(host), { code: 'RUSH', discountKind: 'percent', discountValue: 10, maxClaims: 10, durationSeconds: 600 });
    const buyers = await Promise.all(Array.from({ length: 20 }, () => person('buyer')));
    const outcomes = await Promise.allSettled(buyers.map((b) => coupons.claim(b.id, coupon.id)));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { params?: { reason?: string } }).params?.reason] : []))).toEqual(Array(10).fill('coupons_gone'));
    expect((await coupons.get(coupon.id)).claimed).toBe(10);
  });
});
