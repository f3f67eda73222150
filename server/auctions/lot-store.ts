import { and, asc, eq, max, min, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { auctionLog, lots, users, type LotRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { DEFAULT_INCREMENTS, type AuctionEvent, type CreateLotInput } from '#shared/auctions.ts';
import { LotState, type Bidder, type LogEntry, type LotRules } from './lot-state.ts';

/** Lots and their logs in SQLite. Appends run inside the caller's transaction. */
export class LotStore {
  readonly #db: Db;
  /** Every bid runs these two: prepared once, since building and compiling them per bid cost more than the writes. */
  readonly #appendEntry;
  readonly #updateLiveSummary;

  constructor(db: Db) {
    this.#db = db;
    const p = (name: string) => sql.placeholder(name);
    this.#appendEntry = db
      .insert(auctionLog)
      .values({ lotId: p('lotId'), n: p('n'), type: p('type'), at: p('at'), userId: p('userId'), amount: p('amount'), auto: p('auto') })
      .prepare();
    // An update's set() takes SQL, not a bare placeholder.
    const v = (name: string) => sql`${p(name)}`;
    this.#updateLiveSummary = db
      .update(lots)
      .set({ status: v('status'), endsAt: v('endsAt'), price: v('price'), leaderId: v('leaderId'), seq: v('seq') })
      .where(eq(lots.id, p('lotId')))
      .prepare();
  }

  get db(): Db {
    return this.#db;
  }

  create(showId: string, sellerId: string, input: CreateLotInput): LotRow {
    const position = (this.#db.select({ p: max(lots.position) }).from(lots).where(eq(lots.showId, showId)).get()?.p ?? 0) + 1;
    return this.#db
      .insert(lots)
      .values({
        id: newId(),
        showId,
        sellerId,
        title: input.title,
        description: input.description,
        imageUrl: input.imageUrl ?? null,
        currency: input.currency,
        startingPrice: input.startingPrice,
        reservePrice: input.reservePrice ?? null,
        increments: input.increments ?? DEFAULT_INCREMENTS,
        durationMs: input.durationSeconds * 1000,
        counterBidMs: input.counterBidSeconds * 1000,
        mode: input.mode,
        position
      })
      .returning()
      .get();
  }

  get(id: string): LotRow {
    const row = this.#db.select().from(lots).where(eq(lots.id, id)).get();
    if (!row) throw new AppError('not_found', 'No such lot.');
    return row;
  }

  forShow(showId: string): LotRow[] {
    return this.#db.select().from(lots).where(eq(lots.showId, showId)).orderBy(asc(lots.position)).all();
  }

  /** When each of the show's lots opened (its log's first start), by lot id. */
  openings(showId: string): Map<string, number> {
    const rows = this.#db
      .select({ lotId: auctionLog.lotId, at: min(auctionLog.at) })
      .from(auctionLog)
      .innerJoin(lots, eq(lots.id, auctionLog.lotId))
      .where(and(eq(lots.showId, showId), eq(auctionLog.type, 'start')))
      .groupBy(auctionLog.lotId)
      .all();
    return new Map(rows.flatMap((r) => (r.at === null ? [] : [[r.lotId, r.at] as const])));
  }

  live(): LotRow[] {
    return this.#db.select().from(lots).where(eq(lots.status, 'live')).all();
  }

  liveInShow(showId: string): LotRow[] {
    return this.#db.select().from(lots).where(and(eq(lots.showId, showId), eq(lots.status, 'live'))).all();
  }

  setCounterBid(id: string, counterBidMs: number): void {
    this.#db.update(lots).set({ counterBidMs }).where(eq(lots.id, id)).run();
  }

  displayName(userId: string): string {
    return this.#db.select({ n: users.displayName }).from(users).where(eq(users.id, userId)).get()?.n ?? 'Someone';
  }

  /** Appends entries after `fromN` and updates the lot's summary; call inside a transaction. */
  append(
    lotId: string,
    fromN: number,
    entries: readonly LogEntry[],
    summary: Pick<LotRow, 'status' | 'endsAt' | 'price' | 'leaderId' | 'seq'> & { closedAt?: number }
  ): void {
    let n = fromN;
    for (const e of entries) {
      n++;
      this.#appendEntry.run({
        lotId,
        n,
        type: e.type,
        at: e.at,
        userId: 'bidder' in e ? e.bidder.id : null,
        amount: 'amount' in e ? e.amount : null,
        // SQLite stores the flag as 0/1; a placeholder skips drizzle's boolean mapping.
        auto: e.type === 'bid' && e.auto ? 1 : 0
      });
    }
    if (summary.closedAt === undefined) this.#updateLiveSummary.run({ lotId, ...summary });
    else this.#db.update(lots).set(summary).where(eq(lots.id, lotId)).run();
  }

  log(lotId: string): LogEntry[] {
    const rows = this.#db
      .select({ entry: auctionLog, name: users.displayName })
      .from(auctionLog)
      .leftJoin(users, eq(users.id, auctionLog.userId))
      .where(eq(auctionLog.lotId, lotId))
      .orderBy(asc(auctionLog.n))
      .all();
    return rows.map(({ entry: r, name }) => {
      const bidder: Bidder = { id: r.userId ?? '', displayName: name ?? 'Someone' };
      switch (r.type) {
        case 'bid':
          return { type: 'bid', at: r.at, bidder, amount: r.amount!, auto: r.auto };
        case 'max':
          return { type: 'max', at: r.at, bidder, amount: r.amount! };
        default:
          return { type: r.type, at: r.at };
      }
    });
  }

  /**
   * A lot as its log says it is, through the pure rules: how a lot that is not
   * running is read. Nothing is armed and nothing is written.
   */
  replay(row: LotRow): { state: LotState; events: AuctionEvent[] } {
    return LotState.replay(LotStore.rules(row), this.log(row.id));
  }

  static rules(row: LotRow): LotRules {
    return {
      sellerId: row.sellerId,
      currency: row.currency,
      startingPrice: row.startingPrice,
      reservePrice: row.reservePrice,
      increments: row.increments,
      mode: row.mode,
      durationMs: row.durationMs,
      counterBidMs: row.counterBidMs
    };
  }
}
