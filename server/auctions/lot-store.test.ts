import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { users } from '../db/schema.ts';
import { SqliteRepo } from '../db/sqlite-repo.ts';
import { Shows } from '../shows/shows.ts';
import { createLotSchema } from '#shared/auctions.ts';
import type { PublicUser } from '#shared/auth.ts';
import { LotStore } from './lot-store.ts';

const host: PublicUser = { id: 'h1', email: 'h@x.y', displayName: 'Host', role: 'host' };
const buyer: PublicUser = { id: 'b1', email: 'b@x.y', displayName: 'Bea', role: 'buyer' };

describe('lot store', () => {
  it('reads back the log it appended, proxy flags and all', async () => {
    const db = openDatabase(':memory:');
    for (const u of [host, buyer]) db.insert(users).values({ ...u, passwordHash: 'x' }).run();
    const showId = (await new Shows(new SqliteRepo(db)).create(host, { title: 'Log', description: '', scheduledAt: Date.now() })).id;
    const store = new LotStore(db);
    const lot = store.create(showId, host.id, createLotSchema.parse({ title: 'Vase', startingPrice: 100 }));
    const bidder = { id: buyer.id, displayName: buyer.displayName };
    db.transaction(() =>
      store.append(lot.id, 0, [
        { type: 'start', at: 1 },
        { type: 'bid', at: 2, bidder, amount: 100, auto: false },
        { type: 'max', at: 3, bidder, amount: 500 },
        { type: 'bid', at: 3, bidder, amount: 110, auto: true }
      ], { status: 'live', endsAt: 60_000, price: 110, leaderId: buyer.id, seq: 4 })
    );
    expect(store.log(lot.id)).toEqual([
      { type: 'start', at: 1 },
      { type: 'bid', at: 2, bidder, amount: 100, auto: false },
      { type: 'max', at: 3, bidder, amount: 500 },
      { type: 'bid', at: 3, bidder, amount: 110, auto: true }
    ]);
    expect(store.get(lot.id)).toMatchObject({ status: 'live', endsAt: 60_000, price: 110, leaderId: buyer.id, seq: 4, closedAt: null });
    db.transaction(() => store.append(lot.id, 4, [{ type: 'close', at: 70_000 }], { status: 'sold', endsAt: 60_000, price: 110, leaderId: buyer.id, seq: 5, closedAt: 70_000 }));
    expect(store.get(lot.id)).toMatchObject({ status: 'sold', seq: 5, closedAt: 70_000 });
  });
});
