import { expect, it } from 'vitest';
import { onEachDialect } from '../testing/dialects.ts';
import { DEFAULT_INCREMENTS } from '#shared/auctions.ts';
import { Inventory } from './inventory.ts';
import { Orders } from './orders.ts';
import { Sales } from './sales.ts';

onEachDialect('orders know their seller', (repo) => {
  it('an auction win is sold by the lot’s seller, so only they (or an admin) ship or refund it', async () => {
    const { db, t } = repo();
    for (const id of ['host', 'seller', 'buyer']) {
      await repo().changes(db.insert(t.users).values({ id, email: `${id}@x`, displayName: id, passwordHash: 'x', role: id === 'buyer' ? 'buyer' : 'host' }));
    }
    await repo().changes(db.insert(t.shows).values({ id: 'show', hostId: 'host', title: 'S', scheduledAt: 0, status: 'live' }));
    await repo().changes(
      db.insert(t.lots).values({
        id: 'lot', showId: 'show', sellerId: 'seller', title: 'Vase', currency: 'USD', startingPrice: 100, increments: DEFAULT_INCREMENTS,
        durationMs: 30_000, counterBidMs: 10_000, mode: 'standard', position: 0
      })
    );
    const orders = new Orders(repo(), new Inventory(repo()));
    const won = await orders.createPending({ buyerId: 'buyer', showId: 'show', lotId: 'lot', title: 'Vase', currency: 'USD', total: 500 });
    expect(won.sellerId).toBe('seller');
    expect((await orders.dto(won)).sellerId).toBe('seller');
    const sales = new Sales(repo(), orders);
    const host = (id: string) => ({ id, email: `${id}@x`, displayName: id, role: 'host' as const });
    expect((await sales.list(host('seller'))).map((o) => o.id)).toEqual([won.id]);
    expect(await sales.list(host('host'))).toEqual([]);
    expect((await orders.forLot('lot')).map((o) => o.id)).toEqual([won.id]);
    // An order lapses once: the second cancel finds it already cancelled.
    expect((await orders.cancel('buyer', won.id)).status).toBe('cancelled');
    await expect(orders.cancel('buyer', won.id)).rejects.toMatchObject({ code: 'invalid_state' });
  });
});
