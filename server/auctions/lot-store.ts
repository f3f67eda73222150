import { and, asc, eq, inArray, lt, max, min, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { LotRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { DEFAULT_INCREMENTS, type AuctionEvent, type CreateLotInput } from '#shared/auctions.ts';
import { LotState, type Bidder, type LogEntry, type LotRules } from './lot-state.ts';

/** Lots and their logs in the database. Appends run inside the caller's transaction. */
export class LotStore {
  readonly repo: Repo;
  /** Every bid runs these two: prepared once, since building and compiling them per bid cost more than the writes. */
  readonly #appendEntry;
  readonly #updateLiveSummary;
  readonly #byId;

  constructor(repo: Repo) {
    this.repo = repo;
    const p = (name: string) => sql.placeholder(name);
    this.#appendEntry = repo.prepare((db, t) =>
      db.insert(t.auctionLog).values({ lotId: p('lotId'), n: p('n'), type: p('type'), at: p('at'), userId: p('userId'), amount: p('amount'), auto: p('auto') })
    );
    // An update's set() takes SQL, not a bare placeholder.
    const v = (name: string) => sql`${p(name)}`;
    this.#updateLiveSummary = repo.prepare((db, t) =>
      db.update(t.lots).set({ status: v('status'), endsAt: v('endsAt'), price: v('price'), leaderId: v('leaderId'), seq: v('seq') }).where(eq(t.lots.id, p('lotId')))
    );
    this.#byId = repo.prepare((db, t) => db.select().from(t.lots).where(eq(t.lots.id, p('id'))));
  }

  async create(showId: string, sellerId: string, input: CreateLotInput): Promise<LotRow> {
    const { db, t } = this.repo;
    const last = await this.repo.one(db.select({ p: max(t.lots.position) }).from(t.lots).where(eq(t.lots.showId, showId)));
    const row = await this.repo.one(
      db
        .insert(t.lots)
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
          position: (last?.p ?? 0) + 1
        })
        .returning()
    );
    return row!;
  }

  async get(id: string): Promise<LotRow> {
    const row = await this.#byId.one({ id });
    if (!row) throw new AppError('not_found', 'No such lot.');
    return row;
  }

  /** The lot's row, locked until the transaction ends. */
  async lock(id: string): Promise<LotRow> {
    const { db, t } = this.repo;
    const row = await this.repo.one(this.repo.forUpdate(db.select().from(t.lots).where(eq(t.lots.id, id))));
    if (!row) throw new AppError('not_found', 'No such lot.');
    return row;
  }

  forShow(showId: string): Promise<LotRow[]> {
    const { db, t } = this.repo;
    return this.repo.all(db.select().from(t.lots).where(eq(t.lots.showId, showId)).orderBy(asc(t.lots.position)));
  }

  /** When each of the show's lots opened (its log's first start), by lot id. */
  async openings(showId: string): Promise<Map<string, number>> {
    const { db, t } = this.repo;
    const rows = await this.repo.all(
      db
        .select({ lotId: t.auctionLog.lotId, at: min(t.auctionLog.at) })
        .from(t.auctionLog)
        .innerJoin(t.lots, eq(t.lots.id, t.auctionLog.lotId))
        .where(and(eq(t.lots.showId, showId), eq(t.auctionLog.type, 'start')))
        .groupBy(t.auctionLog.lotId)
    );
    return new Map(rows.flatMap((r) => (r.at === null ? [] : [[r.lotId, Number(r.at)] as const])));
  }

  live(): Promise<LotRow[]> {
    const { db, t } = this.repo;
    return this.repo.all(db.select().from(t.lots).where(eq(t.lots.status, 'live')));
  }

  liveInShow(showId: string): Promise<LotRow[]> {
    const { db, t } = this.repo;
    return this.repo.all(db.select().from(t.lots).where(and(eq(t.lots.showId, showId), eq(t.lots.status, 'live'))));
  }

  /** Deletes the show's lots that closed before `before`, with their logs; orders keep their own copy of the title. */
  async deleteClosedBefore(showId: string, before: number): Promise<number> {
    const { db, t } = this.repo;
    return this.repo.changes(db.delete(t.lots).where(and(eq(t.lots.showId, showId), inArray(t.lots.status, ['sold', 'unsold', 'cancelled']), lt(t.lots.closedAt, before))));
  }

  async setCounterBid(id: string, counterBidMs: number): Promise<void> {
    const { db, t } = this.repo;
    await this.repo.changes(db.update(t.lots).set({ counterBidMs }).where(eq(t.lots.id, id)));
  }

  /** Appends entries after `fromN` and updates the lot's summary; call inside a transaction. */
  async append(
    lotId: string,
    fromN: number,
    entries: readonly LogEntry[],
    summary: Pick<LotRow, 'status' | 'endsAt' | 'price' | 'leaderId' | 'seq'> & { closedAt?: number }
  ): Promise<void> {
    const rows = entries.map((e, i) => ({
      lotId,
      n: fromN + i + 1,
      type: e.type,
      at: e.at,
      userId: 'bidder' in e ? e.bidder.id : null,
      amount: 'amount' in e ? e.amount : null,
      auto: e.type === 'bid' && e.auto
    }));
    // A round of one command (the common case) takes the prepared statement; a busy round's many
    // entries go in one statement, so a round costs the same few round trips however many bids it holds.
    if (rows.length === 1) {
      const [row] = rows;
      // A placeholder skips drizzle's boolean mapping: SQLite stores the flag as 0/1.
      await this.#appendEntry.changes({ ...row, auto: this.repo.dialect === 'sqlite' ? Number(row!.auto) : row!.auto });
    } else if (rows.length > 1) {
      await this.repo.changes(this.repo.db.insert(this.repo.t.auctionLog).values(rows));
    }
    if (summary.closedAt === undefined) await this.#updateLiveSummary.changes({ lotId, ...summary });
    else await this.repo.changes(this.repo.db.update(this.repo.t.lots).set(summary).where(eq(this.repo.t.lots.id, lotId)));
  }

  async log(lotId: string): Promise<LogEntry[]> {
    const { db, t } = this.repo;
    const rows = await this.repo.all(
      db
        .select({ entry: t.auctionLog, name: t.users.displayName })
        .from(t.auctionLog)
        .leftJoin(t.users, eq(t.users.id, t.auctionLog.userId))
        .where(eq(t.auctionLog.lotId, lotId))
        .orderBy(asc(t.auctionLog.n))
    );
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
  async replay(row: LotRow): Promise<{ state: LotState; events: AuctionEvent[] }> {
    return LotState.replay(LotStore.rules(row), await this.log(row.id));
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
