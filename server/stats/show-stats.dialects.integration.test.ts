import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { TypedEmitter } from '../events.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import { Shows } from '../shows/shows.ts';
import { onEachDialect } from '../testing/dialects.ts';
import { ShowStatsTracker } from './show-stats.ts';

const MINUTE = 60_000;
let serial = 0;

/** A room as the tracker sees it: a show and its viewers, told when their number changes. */
class StandInRoom extends TypedEmitter<{ peerCountChanged: [count: number] }> {
  readonly showId: string;
  #viewers: { role: 'viewer' }[] = [];
  constructor(showId: string) {
    super();
    this.showId = showId;
  }
  peers() {
    return this.#viewers.values();
  }
  watchedBy(n: number): void {
    this.#viewers = Array.from({ length: n }, () => ({ role: 'viewer' }));
    this.emit('peerCountChanged', n);
  }
}

class StandInRooms extends TypedEmitter<{ roomOpened: [room: StandInRoom] }> {
  open(showId: string): StandInRoom {
    const room = new StandInRoom(showId);
    this.emit('roomOpened', room);
    return room;
  }
}

onEachDialect('show stats', (repo) => {
  const user = async (role: 'host' | 'buyer') => {
    const id = `${role}-${++serial}`;
    await repo().changes(repo().db.insert(repo().t.users).values({ id, email: `${id}@stats.test`, displayName: id, role, passwordHash: 'x' }));
    return { id, email: `${id}@stats.test`, displayName: id, role };
  };
  const newShow = async () => (await new Shows(repo()).create(await user('host'), { title: 'Stats', description: '', scheduledAt: Date.now() })).id;
  /** A tracker on its own node: its own rooms and counts, the shared database. */
  const node = (clock: () => number) => {
    const rooms = new StandInRooms();
    return { rooms, stats: new ShowStatsTracker({ repo: repo(), rooms: rooms as unknown as RoomRegistry, now: clock }) };
  };

  it('adds each write to its minute, sums the minutes and keeps the larger peak of a minute', async () => {
    const showId = await newShow();
    let now = 10 * MINUTE;
    const { rooms, stats } = node(() => now);
    const room = rooms.open(showId);
    room.watchedBy(3);
    stats.bids(showId, 2);
    stats.revenue(showId, 1500);
    await stats.flush();
    room.watchedBy(1);
    stats.bids(showId, 3);
    stats.hearts(showId, 4);
    await stats.flush();
    now += MINUTE;
    room.watchedBy(2);
    stats.message(showId);
    stats.revenue(showId, 2500);
    expect(await stats.minutes(showId)).toEqual([
      { minute: 10, viewers: 3, hearts: 4, messages: 0, bids: 5, orders: 0, revenue: 1500 },
      { minute: 11, viewers: 2, hearts: 0, messages: 1, bids: 0, orders: 0, revenue: 2500 }
    ]);
    expect(await stats.now(showId)).toMatchObject({ viewers: 2, peakViewers: 3, views: 4, hearts: 4, messages: 1, bids: 5, revenue: 4000 });
  });

  it('adds up what two nodes counted into the same minutes, and counts each buyer of the show once', async () => {
    const showId = await newShow();
    const now = 20 * MINUTE;
    const [a, b] = [node(() => now), node(() => now)];
    a.rooms.open(showId).watchedBy(4);
    b.rooms.open(showId).watchedBy(6);
    a.stats.bids(showId, 2);
    b.stats.bids(showId, 3);
    a.stats.hearts(showId, 10);
    const [ann, ben] = [await user('buyer'), await user('buyer')];
    for (const buyerId of [ann.id, ben.id, ann.id]) {
      await repo().changes(repo().db.insert(repo().t.orders).values({ id: `order-${++serial}`, buyerId, showId, status: 'pending_payment', currency: 'USD', total: 900, title: 'Mug' }));
      (buyerId === ben.id ? b : a).stats.order(showId);
    }
    // B has written nothing yet: A sees only its own counts and what is stored.
    expect(await a.stats.now(showId)).toMatchObject({ viewers: 4, peakViewers: 4, bids: 2, hearts: 10, orders: 2, buyers: 2 });
    expect(await b.stats.now(showId)).toMatchObject({ viewers: 6, peakViewers: 6, bids: 5, hearts: 10, orders: 3, buyers: 2 });
    expect(await a.stats.now(showId)).toMatchObject({ viewers: 4, peakViewers: 6, bids: 5, orders: 3 });
    expect(await a.stats.minutes(showId)).toEqual([{ minute: 20, viewers: 6, hearts: 10, messages: 0, bids: 5, orders: 3, revenue: 0 }]);
  });

  it('drops the late counts of a deleted show without an error', async () => {
    const showId = await newShow();
    const { stats } = node(() => 30 * MINUTE);
    stats.bids(showId, 2);
    await repo().changes(repo().db.delete(repo().t.shows).where(eq(repo().t.shows.id, showId)));
    await expect(stats.flush()).resolves.toBeUndefined();
    expect(await stats.minutes(showId)).toEqual([]);
  });
});
