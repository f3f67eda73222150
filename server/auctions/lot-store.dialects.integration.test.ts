import { expect, it } from 'vitest';
import { onEachDialect } from '../testing/dialects.ts';
import { Shows } from '../shows/shows.ts';
import { createLotSchema } from '#shared/auctions.ts';
import type { PublicUser } from '#shared/auth.ts';
import { LotStore } from './lot-store.ts';

const host: PublicUser = { id: 'h1', email: 'h@x.y', displayName: 'Host', role: 'host' };
const buyer: PublicUser = { id: 'b1', email: 'b@x.y', displayName: 'Bea', role: 'buyer' };

onEachDialect('lot store', (repo) => {
  it('reads back the log it appended, proxy flags and all', async () => {
    for (const u of [host, buyer]) await repo().changes(repo().db.insert(repo().t.users).values({ ...u, passwordHash: 'x' }));
    const showId = (await new Shows(repo()).create(host, { title: 'Log', description: '', scheduledAt: Date.now() })).id;
    const store = new LotStore(repo());
    const lot = await store.create(showId, host.id, createLotSchema.parse({ title: 'Vase', startingPrice: 100 }));
    expect((await store.create(showId, host.id, createLotSchema.parse({ title: 'Jug', startingPrice: 100 }))).position).toBe(lot.position + 1);
    const bidder = { id: buyer.id, displayName: buyer.displayName };
    await repo().tx(() =>
      store.append(lot.id, 0, [
        { type: 'start', at: 1 },
        { type: 'bid', at: 2, bidder, amount: 100, auto: false },
        { type: 'max', at: 3, bidder, amount: 500 },
        { type: 'bid', at: 3, bidder, amount: 110, auto: true }
      ], { status: 'live', endsAt: 60_000, price: 110, leaderId: buyer.id, seq: 4 })
    );
    expect(await store.log(lot.id)).toEqual([
      { type: 'start', at: 1 },
      { type: 'bid', at: 2, bidder, amount: 100, auto: false },
      { type: 'max', at: 3, bidder, amount: 500 },
      { type: 'bid', at: 3, bidder, amount: 110, auto: true }
    ]);
    expect(await store.get(lot.id)).toMatchObject({ status: 'live', endsAt: 60_000, price: 110, leaderId: buyer.id, seq: 4, closedAt: null });
    expect((await store.live()).map((r) => r.id)).toEqual([lot.id]);
    expect(await store.openings(showId)).toEqual(new Map([[lot.id, 1]]));
    await repo().tx(() => store.append(lot.id, 4, [{ type: 'close', at: 70_000 }], { status: 'sold', endsAt: 60_000, price: 110, leaderId: buyer.id, seq: 5, closedAt: 70_000 }));
    expect(await store.get(lot.id)).toMatchObject({ status: 'sold', seq: 5, closedAt: 70_000 });
    expect(await store.live()).toEqual([]);
    // An entry numbered twice is refused, and the transaction keeps nothing of it.
    await expect(repo().tx(() => store.append(lot.id, 3, [{ type: 'close', at: 80_000 }], { status: 'sold', endsAt: 60_000, price: 110, leaderId: buyer.id, seq: 6, closedAt: 80_000 }))).rejects.toThrow();
    expect(await store.get(lot.id)).toMatchObject({ seq: 5, closedAt: 70_000 });
  });
});
