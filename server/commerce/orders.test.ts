import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { lots, shows, users } from '../db/schema.ts';
import { DEFAULT_INCREMENTS } from '#shared/auctions.ts';
import { Inventory } from './inventory.ts';
import { Orders } from './orders.ts';
import { Sales } from './sales.ts';

describe('orders know their seller', () => {
  it('an auction win is sold by the lot’s seller, so only they (or an admin) ship or refund it', () => {
    const db = openDatabase(':memory:');
    for (const id of ['host', 'seller', 'buyer']) db.insert(users).values({ id, email: `${id}@x`, displayName: id, passwordHash: 'x', role: id === 'buyer' ? 'buyer' : 'host' }).run();
    db.insert(shows).values({ id: 'show', hostId: 'host', title: 'S', scheduledAt: 0, status: 'live' }).run();
    db.insert(lots).values({
      id: 'lot', showId: 'show', sellerId: 'seller', title: 'Vase', currency: 'USD', startingPrice: 100, increments: DEFAULT_INCREMENTS,
      durationMs: 30_000, counterBidMs: 10_000, mode: 'standard', position: 0
    }).run();
    const orders = new Orders(db, new Inventory(db));
    const won = orders.createPending({ buyerId: 'buyer', showId: 'show', lotId: 'lot', title: 'Vase', currency: 'USD', total: 500 });
    expect(won.sellerId).toBe('seller');
    expect(orders.dto(won).sellerId).toBe('seller');
    const sales = new Sales(db, orders);
    const host = (id: string) => ({ id, email: `${id}@x`, displayName: id, role: 'host' as const });
    expect(sales.list(host('seller')).map((o) => o.id)).toEqual([won.id]);
    expect(sales.list(host('host'))).toEqual([]);
  });
});
