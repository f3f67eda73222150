import { describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { eq } from 'drizzle-orm';
import { shows, showStats, users } from '../db/schema.ts';
import { RoomRegistry } from '../rooms/room-registry.ts';
import type { WorkerPool } from '../sfu/worker-pool.ts';
import { SqliteRepo } from '../db/sqlite-repo.ts';
import { Shows } from '../shows/shows.ts';
import { testConfig } from '../testing/test-config.ts';
import type { PublicUser } from '#shared/auth.ts';
import { ShowStatsTracker } from './show-stats.ts';

const host: PublicUser = { id: 'h1', email: 'h@x.y', displayName: 'Host', role: 'host' };

async function world() {
  const db = openDatabase(':memory:');
  db.insert(users).values({ ...host, passwordHash: 'x' }).run();
  const showId = (await new Shows(new SqliteRepo(db)).create(host, { title: 'Stats', description: '', scheduledAt: Date.now() })).id;
  // No room opens in these tests: the registry is only listened to.
  const rooms = new RoomRegistry({ pool: {} as WorkerPool, rtc: testConfig().mediasoup });
  let now = 10 * 60_000;
  const stats = new ShowStatsTracker({ repo: new SqliteRepo(db), rooms, now: () => now });
  return { db, showId, stats, advance: (ms: number) => (now += ms) };
}

describe('show stats', () => {
  it('writes a storm of counts to SQLite once, not once per bid', async () => {
    const { db, showId, stats } = await world();
    const insert = vi.spyOn(db, 'insert');
    for (let i = 0; i < 500; i++) stats.bids(showId, 1);
    stats.hearts(showId, 3);
    expect(insert).not.toHaveBeenCalled();
    expect(await stats.minutes(showId)).toEqual([{ minute: 10, viewers: 0, hearts: 3, messages: 0, bids: 500, orders: 0, revenue: 0 }]);
    expect(await stats.now(showId)).toMatchObject({ bids: 500, hearts: 3 });
    expect(insert).toHaveBeenCalledTimes(1);
  });

  it('drops the waiting counts of a show deleted before they were written, without throwing from the timer', async () => {
    const { db, showId, stats } = await world();
    stats.bids(showId, 2);
    db.delete(shows).where(eq(shows.id, showId)).run();
    await expect(stats.flush()).resolves.toBeUndefined();
    expect(db.select().from(showStats).all()).toEqual([]);
  });

  it('keeps counting when a write fails, and settles the flush instead of rejecting', async () => {
    const { db, showId, stats } = await world();
    stats.bids(showId, 1);
    db.$client.close();
    await expect(stats.flush()).resolves.toBeUndefined();
    expect(() => stats.bids(showId, 1)).not.toThrow();
    await expect(stats.flush()).resolves.toBeUndefined();
  });

  it('keeps each minute apart and adds to a minute already written', async () => {
    const { showId, stats, advance } = await world();
    stats.bids(showId, 2);
    await stats.flush();
    stats.bids(showId, 1);
    advance(60_000);
    stats.order(showId);
    stats.revenue(showId, 1500);
    expect((await stats.minutes(showId)).map(({ minute, bids, orders, revenue }) => ({ minute, bids, orders, revenue }))).toEqual([
      { minute: 10, bids: 3, orders: 0, revenue: 0 },
      { minute: 11, bids: 0, orders: 1, revenue: 1500 }
    ]);
  });

  it('writes what it holds within a second without being asked', async () => {
    const { db, showId, stats } = await world();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      stats.message(showId);
      const insert = vi.spyOn(db, 'insert');
      vi.advanceTimersByTime(1000);
      expect(insert).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
