import { asc, countDistinct, eq, sql, type SQLWrapper } from 'drizzle-orm';
import type { AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Repo } from '../db/repo.ts';
import { larger } from '../db/portable-sql.ts';
import { brokenConstraint } from '../errors.ts';
import { logger } from '../log.ts';
import type { RoomRegistry } from '../rooms/room-registry.ts';
import type { StatsMinute, StatsNow } from '#shared/stats.ts';

const log = logger('stats');

/** What only this node sees: its own viewers and the chat messages it carried in the last minute. */
interface Live {
  viewers: number;
  views: number;
  recentMessages: number[];
}

const MINUTE = 60_000;
/** Counts reach the database at most this often: a bid storm or a join storm costs one write a second, not one per event. */
const WRITE_EVERY_MS = 1000;

type Counts = Omit<StatsMinute, 'minute'>;
type Unwritten = { minute: number } & Counts;

/** PostgreSQL's sum() of integers is a bigint, which node-postgres hands over as a string. */
const total = (col: SQLWrapper) => sql`coalesce(sum(${col}), 0)`.mapWith(Number);

/**
 * A live show's numbers for its host: counted as things happen and added per minute to the
 * database, so the after-show summary survives restarts and every node of a cluster adds to the same rows.
 */
export class ShowStatsTracker {
  readonly #repo: Repo;
  readonly #now: () => number;
  readonly #live = new Map<string, Live>();
  /** What each show added to its current minute since the last write. */
  readonly #unwritten = new Map<string, Unwritten>();
  readonly #writing = new Set<Promise<void>>();
  #writeTimer: NodeJS.Timeout | null = null;

  constructor(opts: { repo: Repo; rooms: RoomRegistry; now?: () => number }) {
    this.#repo = opts.repo;
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
        this.#bump(room.showId, {}, viewers);
      });
    });
  }

  hearts(showId: string, n: number): void {
    this.#bump(showId, { hearts: n });
  }

  message(showId: string): void {
    this.#get(showId).recentMessages.push(this.#now());
    this.#bump(showId, { messages: 1 });
  }

  bids(showId: string, n: number): void {
    this.#bump(showId, { bids: n });
  }

  /** Buyers are counted from the show's orders, so only the order itself is counted here. */
  order(showId: string): void {
    this.#bump(showId, { orders: 1 });
  }

  revenue(showId: string, amount: number): void {
    this.#bump(showId, { revenue: amount });
  }

  /**
   * The show's numbers across the cluster: the stored minutes of every node plus what this one has not
   * written yet, and buyers from the orders. Viewers, views and messages per minute are this node's own.
   */
  async now(showId: string): Promise<StatsNow> {
    await this.flush();
    const { db, t } = this.#repo;
    const [stored, sold] = await Promise.all([
      this.#repo.one(
        db
          .select({ hearts: total(t.showStats.hearts), messages: total(t.showStats.messages), bids: total(t.showStats.bids), orders: total(t.showStats.orders), revenue: total(t.showStats.revenue), peak: sql`coalesce(max(${t.showStats.viewers}), 0)`.mapWith(Number) })
          .from(t.showStats)
          .where(eq(t.showStats.showId, showId))
      ),
      this.#repo.one(db.select({ buyers: countDistinct(t.orders.buyerId) }).from(t.orders).where(eq(t.orders.showId, showId)))
    ]);
    // Counted while the reads ran: not in them, and not written before the next flush.
    const u = this.#unwritten.get(showId);
    const s = this.#get(showId);
    const since = this.#now() - MINUTE;
    s.recentMessages = s.recentMessages.filter((at) => at > since);
    const buyers = sold?.buyers ?? 0;
    return {
      viewers: s.viewers, peakViewers: Math.max(stored?.peak ?? 0, u?.viewers ?? 0), views: s.views,
      hearts: (stored?.hearts ?? 0) + (u?.hearts ?? 0), messages: (stored?.messages ?? 0) + (u?.messages ?? 0), messagesPerMinute: s.recentMessages.length,
      bids: (stored?.bids ?? 0) + (u?.bids ?? 0), orders: (stored?.orders ?? 0) + (u?.orders ?? 0), buyers, revenue: (stored?.revenue ?? 0) + (u?.revenue ?? 0),
      conversion: s.views ? buyers / s.views : 0
    };
  }

  async minutes(showId: string): Promise<StatsMinute[]> {
    await this.flush();
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(db.select().from(t.showStats).where(eq(t.showStats.showId, showId)).orderBy(asc(t.showStats.minute)));
    return rows.map(({ showId: _s, ...m }) => m);
  }

  /** Writes what is counted so far and waits for every write under way (the timer flushes each second; await it at shutdown). */
  async flush(): Promise<void> {
    if (this.#writeTimer) clearTimeout(this.#writeTimer);
    this.#writeTimer = null;
    for (const [showId, counts] of this.#unwritten) this.#write(showId, counts);
    this.#unwritten.clear();
    await Promise.all(this.#writing);
  }

  #get(showId: string): Live {
    let s = this.#live.get(showId);
    if (!s) this.#live.set(showId, (s = { viewers: 0, views: 0, recentMessages: [] }));
    return s;
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
    this.#writeTimer ??= setTimeout(() => void this.flush(), WRITE_EVERY_MS).unref();
  }

  /** Starts adding `u` to its stored minute; `flush` waits for it. Never rejects: a lost second of counts is logged, not thrown at a timer. */
  #write(showId: string, u: Unwritten): void {
    const write = this.#upsert(showId, u).catch((err: unknown) => {
      // The show was deleted while its last counts waited for the timer: they have nowhere to go.
      if (brokenConstraint(err) === 'foreign_key') this.#live.delete(showId);
      else log.error({ err, show: showId }, 'show stats not written');
    });
    this.#writing.add(write);
    void write.finally(() => this.#writing.delete(write));
  }

  async #upsert(showId: string, u: Unwritten): Promise<void> {
    const { db, t } = this.#repo;
    const inc = (col: AnySQLiteColumn, n: number) => (n ? sql`${col} + ${n}` : sql`${col}`);
    await this.#repo.changes(
      db
        .insert(t.showStats)
        .values({ showId, ...u })
        .onConflictDoUpdate({
          target: [t.showStats.showId, t.showStats.minute],
          set: {
            viewers: larger(t.showStats.viewers, u.viewers),
            hearts: inc(t.showStats.hearts, u.hearts), messages: inc(t.showStats.messages, u.messages), bids: inc(t.showStats.bids, u.bids),
            orders: inc(t.showStats.orders, u.orders), revenue: inc(t.showStats.revenue, u.revenue)
          }
        })
    );
  }
}
