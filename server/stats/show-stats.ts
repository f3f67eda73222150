import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { showStats } from '../db/schema.ts';
import { larger } from '../db/portable-sql.ts';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { StatsMinute, StatsNow } from '#shared/stats.ts';

interface Live {
  viewers: number;
  peak: number;
  views: number;
  hearts: number;
  messages: number;
  bids: number;
  orders: number;
  revenue: number;
  buyers: Set<string>;
  recentMessages: number[];
}

const MINUTE = 60_000;
/** Counts reach SQLite at most this often: a bid storm or a join storm costs one write a second, not one per event. */
const WRITE_EVERY_MS = 1000;

type Counts = Omit<StatsMinute, 'minute'>;

/**
 * A live show's numbers for its host: counted as things happen, kept per minute
 * in SQLite (so the after-show summary survives restarts), current values in memory.
 */
export class ShowStatsTracker {
  readonly #db: Db;
  readonly #now: () => number;
  readonly #live = new Map<string, Live>();
  /** What each show added to its current minute since the last write. */
  readonly #unwritten = new Map<string, { minute: number } & Counts>();
  #writeTimer: NodeJS.Timeout | null = null;

  constructor(opts: { db: Db; rooms: RoomRegistry; now?: () => number }) {
    this.#db = opts.db;
    this.#now = opts.now ?? Date.now;
    opts.rooms.on('roomOpened', (room) => {
      let last = 0;
      room.on('peerCountChanged', () => {
        let viewers = 0;
        for (const p of room.peers()) if (p.role === 'viewer') viewers++;
        const s = this.#get(room.showId);
        if (viewers > last) s.views += viewers - last;
        last = viewers;
        s.viewers = viewers;
        s.peak = Math.max(s.peak, viewers);
        this.#bump(room.showId, {}, viewers);
      });
    });
  }

  hearts(showId: string, n: number): void {
    this.#get(showId).hearts += n;
    this.#bump(showId, { hearts: n });
  }

  message(showId: string): void {
    const s = this.#get(showId);
    s.messages++;
    s.recentMessages.push(this.#now());
    this.#bump(showId, { messages: 1 });
  }

  bids(showId: string, n: number): void {
    this.#get(showId).bids += n;
    this.#bump(showId, { bids: n });
  }

  order(showId: string, buyerId: string): void {
    const s = this.#get(showId);
    s.orders++;
    s.buyers.add(buyerId);
    this.#bump(showId, { orders: 1 });
  }

  revenue(showId: string, amount: number): void {
    this.#get(showId).revenue += amount;
    this.#bump(showId, { revenue: amount });
  }

  now(showId: string): StatsNow {
    const s = this.#get(showId);
    const since = this.#now() - MINUTE;
    s.recentMessages = s.recentMessages.filter((t) => t > since);
    return {
      viewers: s.viewers, peakViewers: s.peak, views: s.views, hearts: s.hearts, messages: s.messages,
      messagesPerMinute: s.recentMessages.length, bids: s.bids, orders: s.orders, buyers: s.buyers.size, revenue: s.revenue,
      conversion: s.views ? s.buyers.size / s.views : 0
    };
  }

  minutes(showId: string): StatsMinute[] {
    this.flush();
    return this.#db.select().from(showStats).where(eq(showStats.showId, showId)).orderBy(asc(showStats.minute)).all().map(({ showId: _s, ...m }) => m);
  }

  #get(showId: string): Live {
    let s = this.#live.get(showId);
    if (!s) {
      // After a restart the totals carry on from the stored minutes.
      const t = this.#db
        .select({ hearts: sql<number>`coalesce(sum(${showStats.hearts}),0)`, messages: sql<number>`coalesce(sum(${showStats.messages}),0)`, bids: sql<number>`coalesce(sum(${showStats.bids}),0)`, orders: sql<number>`coalesce(sum(${showStats.orders}),0)`, revenue: sql<number>`coalesce(sum(${showStats.revenue}),0)`, peak: sql<number>`coalesce(max(${showStats.viewers}),0)` })
        .from(showStats)
        .where(eq(showStats.showId, showId))
        .get()!;
      s = { viewers: 0, peak: t.peak, views: 0, hearts: t.hearts, messages: t.messages, bids: t.bids, orders: t.orders, revenue: t.revenue, buyers: new Set(), recentMessages: [] };
      this.#live.set(showId, s);
    }
    return s;
  }

  /** Writes what is counted so far (the timer does it each second; call it at shutdown). */
  flush(): void {
    if (this.#writeTimer) clearTimeout(this.#writeTimer);
    this.#writeTimer = null;
    for (const [showId, counts] of this.#unwritten) this.#write(showId, counts);
    this.#unwritten.clear();
  }

  /** Adds to the current minute's counts; `viewers` keeps the minute's peak. */
  #bump(showId: string, add: Partial<Omit<Counts, 'viewers'>>, viewers = 0): void {
    const minute = Math.floor(this.#now() / MINUTE);
    let u = this.#unwritten.get(showId);
    if (u && u.minute !== minute) this.#write(showId, u), (u = undefined);
    if (!u) this.#unwritten.set(showId, (u = { minute, viewers: 0, hearts: 0, messages: 0, bids: 0, orders: 0, revenue: 0 }));
    u.viewers = Math.max(u.viewers, viewers);
    u.hearts += add.hearts ?? 0;
    u.messages += add.messages ?? 0;
    u.bids += add.bids ?? 0;
    u.orders += add.orders ?? 0;
    u.revenue += add.revenue ?? 0;
    this.#writeTimer ??= setTimeout(() => this.flush(), WRITE_EVERY_MS).unref();
  }

  #write(showId: string, u: { minute: number } & Counts): void {
    const { viewers } = u;
    const inc = (col: AnySQLiteColumn, n: number) => (n ? sql`${col} + ${n}` : sql`${col}`);
    try {
      this.#db
        .insert(showStats)
        .values({ showId, ...u })
        .onConflictDoUpdate({
          target: [showStats.showId, showStats.minute],
          set: {
            viewers: larger(showStats.viewers, viewers),
            hearts: inc(showStats.hearts, u.hearts), messages: inc(showStats.messages, u.messages), bids: inc(showStats.bids, u.bids),
            orders: inc(showStats.orders, u.orders), revenue: inc(showStats.revenue, u.revenue)
          }
        })
        .run();
    } catch (err) {
      // The show was deleted while its last counts waited for the timer: they have nowhere to go.
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw err;
      this.#live.delete(showId);
    }
  }
}
