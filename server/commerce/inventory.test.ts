import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { SqliteRepo } from '../db/sqlite-repo.ts';
import { flashSales, lineup, orderItems, orders, shows, users, variants } from '../db/schema.ts';
import { and, eq, inArray, sum, type SQL } from 'drizzle-orm';
import type { PublicUser } from '#shared/auth.ts';
import { Catalog } from './catalog.ts';
import { Inventory } from './inventory.ts';
import { Orders, RESERVATION_MS } from './orders.ts';
import { Purchases } from './purchases.ts';
import { LimitStore } from '../limits/shared-limits.ts';

const host: PublicUser = { id: 'host', email: 'h@x', displayName: 'Host', role: 'host' };
const buyers: PublicUser[] = [0, 1, 2, 3].map((i) => ({ id: `b${i}`, email: `b${i}@x`, displayName: `B${i}`, role: 'buyer' }));

async function world(stock: number, saleQuantity: number, perBuyerLimit: number) {
  let now = 1_000_000;
  const clock = () => now;
  const db = openDatabase(':memory:');
  for (const u of [host, ...buyers]) db.insert(users).values({ ...u, passwordHash: 'x' }).run();
  db.insert(shows).values({ id: 'show', hostId: host.id, title: 'S', scheduledAt: 0, status: 'live' }).run();
  const repo = new SqliteRepo(db);
  const catalog = new Catalog(repo);
  const inventory = new Inventory(repo);
  const orderBook = new Orders(repo, inventory, clock);
  const participation = { assertMayTakePart: async () => {} };
  const purchases = new Purchases({ repo, catalog, inventory, orders: orderBook, participation, limits: { buysPerMinute: 1_000_000, maxUnpaidUnits: 1_000_000 }, limitStore: new LimitStore(), now: clock });
  const product = await catalog.create(host, { title: 'Tee', description: '', currency: 'USD', price: 2000, stock, variants: [{ name: 'M', stock }, { name: 'L', stock }] });
  db.insert(lineup).values({ showId: 'show', productId: product.id, position: 0 }).run();
  db.insert(flashSales).values({ id: 'sale', showId: 'show', productId: product.id, discountKind: 'percent', discountValue: 50, quantity: saleQuantity, perBuyerLimit, startsAt: 0, endsAt: 10_000_000 }).run();
  return { db, catalog, orderBook, purchases, product, advance: (ms: number) => (now += ms) };
}

type Op =
  | { kind: 'buy'; buyer: number; variant: 0 | 1; qty: number; sale: boolean; key: number; together: boolean }
  | { kind: 'cancel'; pick: number }
  | { kind: 'time'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('buy' as const), buyer: fc.integer({ min: 0, max: 3 }), variant: fc.constantFrom(0 as const, 1 as const), qty: fc.integer({ min: 1, max: 3 }), sale: fc.boolean(), key: fc.integer({ min: 0, max: 30 }), together: fc.boolean() }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('time' as const), ms: fc.integer({ min: 0, max: RESERVATION_MS }) })
);

describe('inventory under random buys, cancels and expiries', () => {
  // A buy made `together` is not awaited before the next op, so runs of them commit as one group.
  it('never goes negative, never oversells a sale, never loses a unit, and one key is one order, also for buys committed together', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 3 }), fc.array(opArb, { maxLength: 60 }), async (stock, saleQty, limit, ops) => {
        const w = await world(stock, saleQty, limit);
        const keys = new Map<string, string>();
        const together: Promise<void>[] = [];
        for (const op of ops) {
          if (op.kind !== 'buy' || !op.together) await Promise.all(together.splice(0));
          if (op.kind === 'time') {
            w.advance(op.ms);
            await w.orderBook.expireOverdue();
          } else if (op.kind === 'cancel') {
            const open = w.db.select().from(orders).where(eq(orders.status, 'pending_payment')).all();
            const o = open[op.pick % Math.max(1, open.length)];
            if (o) await w.orderBook.cancel(o.buyerId, o.id);
          } else {
            const buyer = buyers[op.buyer]!;
            const key = `key-${op.buyer}-${op.key}`;
            const bought = (async () => {
              try {
                const order = await w.purchases.buy(buyer, { variantId: w.product.variants[op.variant]!.id, quantity: op.qty, saleId: op.sale ? 'sale' : undefined, idempotencyKey: key });
                if (keys.has(key)) expect(order.id).toBe(keys.get(key));
                keys.set(key, order.id);
              } catch (err) {
                expect((err as Error).name).toBe('AppError');
              }
            })();
            if (op.together) together.push(bought);
            else await bought;
            if (op.together) continue;
          }
          // Conservation: on-hand stock + units held by open or paid orders = what the host stocked.
          const held = (...conds: SQL[]) =>
            Number(
              w.db.select({ n: sum(orderItems.quantity) }).from(orderItems).innerJoin(orders, eq(orders.id, orderItems.orderId))
                .where(and(inArray(orders.status, ['pending_payment', 'paid', 'fulfilled']), ...conds)).get()?.n ?? 0
            );
          for (const v of w.product.variants) {
            const onHand = w.db.select().from(variants).where(eq(variants.id, v.id)).get()!.stock;
            expect(onHand).toBeGreaterThanOrEqual(0);
            expect(onHand + held(eq(orderItems.variantId, v.id))).toBe(stock);
          }
          const sale = w.db.select().from(flashSales).get()!;
          expect(sale.sold).toBe(held(eq(orderItems.saleId, 'sale')));
          expect(sale.sold).toBeLessThanOrEqual(saleQty);
          for (const b of buyers) expect(held(eq(orderItems.saleId, 'sale'), eq(orders.buyerId, b.id))).toBeLessThanOrEqual(limit);
        }
      }),
      { numRuns: 150 }
    );
  });

  it('gives clear errors for sold out, limits, own products and unknown variants', async () => {
    const w = await world(1, 5, 1);
    const v = w.product.variants[0]!.id;
    await w.purchases.buy(buyers[0]!, { variantId: v, quantity: 1, idempotencyKey: 'k-0000001' });
    await expect(w.purchases.buy(buyers[1]!, { variantId: v, quantity: 1, idempotencyKey: 'k-0000002' })).rejects.toThrow('Sold out.');
    const l = w.product.variants[1]!.id;
    await w.purchases.buy(buyers[1]!, { variantId: l, quantity: 1, saleId: 'sale', idempotencyKey: 'k-0000003' });
    await expect(w.purchases.buy(buyers[1]!, { variantId: l, quantity: 1, saleId: 'sale', idempotencyKey: 'k-0000004' })).rejects.toThrow(/1 per buyer/);
    await expect(w.purchases.buy(host, { variantId: l, quantity: 1, idempotencyKey: 'k-0000005' })).rejects.toThrow(/your own product/);
    await expect(w.purchases.buy(buyers[2]!, { variantId: 'nope', quantity: 1, idempotencyKey: 'k-0000006' })).rejects.toThrow(/No such product/);
    await expect(w.purchases.buy(null, { variantId: l, quantity: 1, idempotencyKey: 'k-0000007' })).rejects.toThrow(/Sign in/);
  });

  it('a double tap committed in the same group as its first tap returns the same order', async () => {
    const w = await world(5, 5, 1);
    const input = { variantId: w.product.variants[0]!.id, quantity: 1, saleId: 'sale', idempotencyKey: 'k-double-tap' };
    const [first, second] = await Promise.all([w.purchases.buy(buyers[0]!, input), w.purchases.buy(buyers[0]!, input)]);
    expect(second.id).toBe(first.id);
    expect(w.db.select().from(orders).all()).toHaveLength(1);
  });
});
