import { AppError } from '../errors.ts';
import { logger } from '../log.ts';
import { TypedEmitter } from '../events.ts';
import type { LimitStore, SharedLimit } from '../limits/shared-limits.ts';
import type { Orders } from '../commerce/orders.ts';
import type { Participation } from '../chat/chat-moderation.ts';
import type { Shows } from '../shows/shows.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { AuctionEvent, CreateLotInput, LotDto } from '#shared/auctions.ts';
import type { MediaMode } from '#shared/media.ts';
import type { OrderDto } from '#shared/orders.ts';
import { toOrderDto } from '../commerce/orders.ts';
import { Auction, lotDto } from './auction.ts';
import { effectiveCounterBidMs } from './counter-bid.ts';
import { LotStore } from './lot-store.ts';
import type { Bidder } from './lot-state.ts';

const log = logger('auctions');

/**
 * Live auctions inside shows: the host's lot queue, one Auction per live lot, and
 * the checks that sit outside the lot's own rules (who may do what, rate limits).
 */
export interface AuctionsEvents extends Record<string, unknown[]> {
  /** Bids accepted in a show (explicit and proxy). */
  bids: [showId: string, count: number];
  /** A live lot's accepted events, in order, after they were stored. */
  events: [showId: string, lotId: string, events: AuctionEvent[]];
  /** The show's lot queue changed: a lot was added or closed. */
  lotChanged: [showId: string, lot: LotDto];
}

/** How the show's viewers are watching right now; the counter-bid window waits for the slowest. */
export interface Audience {
  mediaModes(showId: string): Iterable<MediaMode>;
}

export class Auctions extends TypedEmitter<AuctionsEvents> {
  readonly #store: LotStore;
  readonly #shows: Shows;
  readonly #audience: Audience;
  readonly #orders: Orders;
  readonly #participation: Participation;
  readonly #live = new Map<string, Auction>();
  readonly #setAside = new Set<string>();
  readonly #bidLimit: SharedLimit;

  constructor(opts: { store: LotStore; shows: Shows; audience: Audience; orders: Orders; participation: Participation; limits: LimitStore }) {
    super();
    this.#bidLimit = opts.limits.limit({ name: 'bids', limit: 5, windowSeconds: 1 });
    this.#store = opts.store;
    this.#shows = opts.shows;
    this.#audience = opts.audience;
    this.#orders = opts.orders;
    this.#participation = opts.participation;
    // A show that ends takes its running lot with it.
    this.#shows.on('statusChanged', (showId, status) => {
      if (status !== 'ended') return;
      for (const a of this.#live.values()) {
        if (a.showId === showId) a.cancel(Date.now()).catch((err: unknown) => log.error({ err, lot: a.lotId, show: showId }, 'stopping the lot of an ended show failed'));
      }
    });
  }

  /**
   * After a restart: reload every live lot from its log and give bidders a counter-bid window.
   * A lot whose log does not replay is set aside: left untouched in the database for an operator
   * to inspect (it resumes on a later start once repaired), not run, and reported.
   */
  async recover(now = Date.now()): Promise<number> {
    for (const row of await this.#store.live()) {
      try {
        await this.#register(await Auction.load(this.#store, this.#orders, row)).resume(now);
      } catch (err) {
        this.#live.get(row.id)?.dispose();
        this.#live.delete(row.id);
        this.#setAside.add(row.id);
        log.error({ err, lot: row.id, show: row.showId }, 'live lot does not replay from its log; set aside');
      }
    }
    if (this.#live.size) log.info({ lots: this.#live.size }, 'live lots recovered');
    return this.#live.size;
  }

  /** Live lots set aside at start because their logs do not replay. */
  get setAside(): ReadonlySet<string> {
    return this.#setAside;
  }

  async createLot(actor: PublicUser, showId: string, input: CreateLotInput): Promise<LotDto> {
    const show = await this.#shows.assertCanRun(actor, showId);
    if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.');
    const row = await this.#store.create(showId, show.host.id, input);
    this.#notifyLot(lotDto(row, null));
    return lotDto(row, null);
  }

  async lots(showId: string): Promise<LotDto[]> {
    await this.#shows.get(showId);
    const openings = await this.#store.openings(showId);
    return (await this.#store.forShow(showId)).map((row) => ({ ...lotDto(row, this.#live.get(row.id)?.state ?? null), openedAt: openings.get(row.id) ?? null }));
  }

  async start(actor: PublicUser, lotId: string, now?: number): Promise<LotDto> {
    const show = await this.#shows.assertCanRun(actor, (await this.#store.get(lotId)).showId);
    if (show.status !== 'live') throw new AppError('invalid_state', 'Go live before starting a lot.');
    // Checked and loaded in one transaction: two starts (on this node or another) cannot both pass.
    const auction = await this.#store.repo.tx(async () => {
      const row = await this.#store.lock(lotId);
      if (this.#live.has(lotId) || row.status !== 'queued') throw new AppError('invalid_state', 'This lot has already run.');
      // A set-aside lot is not running: it must not lock the show's auctions.
      if ((await this.#store.liveInShow(row.showId)).some((r) => !this.#setAside.has(r.id))) throw new AppError('conflict', 'Another lot is running; close it first.');
      // Fixed at start (and stored) so the lot replays the same way later.
      const counterBidMs = effectiveCounterBidMs(row.counterBidMs, this.#audience.mediaModes(row.showId));
      if (counterBidMs !== row.counterBidMs) await this.#store.setCounterBid(row.id, counterBidMs);
      return Auction.load(this.#store, this.#orders, { ...row, counterBidMs });
    });
    if ([...this.#live.values()].some((a) => a.showId === auction.showId)) throw new AppError('conflict', 'Another lot is running; close it first.');
    this.#register(auction);
    try {
      await auction.start(now ?? Date.now());
    } catch (err) {
      auction.dispose();
      this.#live.delete(lotId);
      throw err;
    }
    return auction.toDto();
  }

  async cancel(actor: PublicUser, lotId: string, now?: number): Promise<LotDto> {
    await this.#shows.assertCanRun(actor, (await this.#store.get(lotId)).showId);
    const live = this.#live.get(lotId);
    if (!live) throw new AppError('invalid_state', 'Only a running lot can be stopped.');
    await live.cancel(now ?? Date.now());
    return lotDto(await this.#store.get(lotId), null);
  }

  async bid(user: PublicUser | null, lotId: string, amount: number | undefined, expected: number | undefined, now?: number) {
    const { auction, bidder } = await this.#bidding(user, lotId);
    const result = await auction.bid(bidder, amount, expected, now ?? Date.now());
    return { ...result, leading: auction.state.leader?.id === bidder.id };
  }

  async setMax(user: PublicUser | null, lotId: string, maxAmount: number, now?: number) {
    const { auction, bidder } = await this.#bidding(user, lotId);
    const seq = await auction.setMax(bidder, maxAmount, now ?? Date.now());
    return { seq, leading: auction.state.leader?.id === bidder.id, myMax: maxAmount };
  }

  /** The running lot, else the most recent one that ran, with its history. */
  async snapshot(showId: string, userId: string | null): Promise<{ lot: LotDto | null; events: AuctionEvent[]; myMax: number | null }> {
    await this.#shows.get(showId);
    const live = [...this.#live.values()].find((a) => a.showId === showId);
    if (live) return { lot: live.toDto(), events: [...live.history], myMax: userId ? live.state.maxOf(userId) : null };
    const lastRun = (await this.#store.forShow(showId)).filter((r) => r.status !== 'queued' && !this.#setAside.has(r.id)).sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0))[0];
    if (!lastRun) return { lot: null, events: [], myMax: null };
    const { state, events } = await this.#store.replay(lastRun);
    return { lot: lotDto(lastRun, state), events, myMax: userId ? state.maxOf(userId) : null };
  }

  async eventsAfter(lotId: string, afterSeq: number): Promise<AuctionEvent[]> {
    if (this.#setAside.has(lotId)) throw new AppError('invalid_state', 'This lot is on hold.');
    const live = this.#live.get(lotId);
    const history = live ? live.history : (await this.#store.replay(await this.#store.get(lotId))).events;
    return history.filter((e) => e.seq > afterSeq);
  }

  /** Offers a sold lot to the runner-up at their highest bid, once the winner's order lapsed. */
  async offerToRunnerUp(actor: PublicUser, lotId: string): Promise<OrderDto> {
    await this.#shows.assertCanRun(actor, (await this.#store.get(lotId)).showId);
    // In one transaction on the locked lot: two offers at once cannot make two orders.
    const order = await this.#store.repo.tx(async () => {
      const row = await this.#store.lock(lotId);
      if (row.status !== 'sold') throw new AppError('invalid_state', 'Only a sold lot can be offered to the runner-up.');
      const orders = await this.#orders.forLot(lotId);
      if (orders.some((o) => o.status === 'pending_payment' || o.status === 'paid' || o.status === 'fulfilled')) {
        throw new AppError('conflict', 'The lot still has an open or paid order.');
      }
      const offered = new Set(orders.map((o) => o.buyerId));
      const next = (await this.#store.replay(row)).state.rankedBidders().find((b) => !offered.has(b.bidder.id));
      if (!next) throw new AppError('not_found', 'There is no other bidder to offer this lot to.');
      return this.#orders.createPending({ buyerId: next.bidder.id, showId: row.showId, lotId, title: row.title, currency: row.currency, total: next.amount });
    });
    return toOrderDto(order);
  }

  close(): void {
    for (const a of this.#live.values()) a.dispose();
    this.#live.clear();
  }

  /** The live lot and the bidder as everyone will see them (name only: never an email). */
  async #bidding(user: PublicUser | null, lotId: string): Promise<{ auction: Auction; bidder: Bidder }> {
    if (!user) throw new AppError('unauthenticated', 'Sign in to bid.');
    // Counted first (the bid limit is the cheapest refusal).
    if (!(await this.#bidLimit.take(user.id))) throw new AppError('rate_limited', 'You are bidding too fast; wait a moment.');
    await this.#participation.assertMayTakePart(this.#live.get(lotId)?.showId ?? (await this.#store.get(lotId)).showId, user.id);
    // Looked up after the waits: the bid acts on the lot as it is now, or learns that it closed.
    const auction = this.#live.get(lotId);
    if (!auction) {
      const row = await this.#store.get(lotId);
      throw new AppError('invalid_state', row.status === 'queued' ? 'Bidding has not opened on this lot yet.' : 'Bidding on this lot has closed.');
    }
    return { auction, bidder: { id: user.id, displayName: user.displayName } };
  }

  #register(auction: Auction): Auction {
    this.#live.set(auction.lotId, auction);
    auction.on('events', (events) => {
      const bids = events.filter((e) => e.type === 'bid').length;
      if (bids) this.emit('bids', auction.showId, bids);
      this.emit('events', auction.showId, auction.lotId, events);
    });
    auction.once('closed', () => {
      this.#live.delete(auction.lotId);
      this.#store
        .get(auction.lotId)
        .then((row) => this.#notifyLot(lotDto(row, auction.state)))
        .catch((err: unknown) => log.error({ err, lot: auction.lotId }, 'announcing a closed lot failed'));
    });
    return auction;
  }

  #notifyLot(lot: LotDto): void {
    this.emit('lotChanged', lot.showId, lot);
  }
}
