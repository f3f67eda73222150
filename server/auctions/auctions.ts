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
import type { LotRow } from '../db/schema.ts';
import { Auction, lotDto } from './auction.ts';
import { effectiveCounterBidMs } from './counter-bid.ts';
import { LotStore } from './lot-store.ts';
import type { Bidder, LotState } from './lot-state.ts';
import { bidReplySchema, forwardedSchema, maxReplySchema, type Forwarded } from './forwarded.ts';
import type { ResponseData } from '#shared/protocol.ts';

type BidReply = ResponseData['bid'];
type MaxReply = ResponseData['setMaxBid'];
/** Lots whose show #showOf remembers, oldest forgotten first. */
const LOT_SHOWS_KEPT = 10_000;
/** What #forward answers when the command is to run here. */
const HERE = Symbol('here');

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

/**
 * In a cluster, which node runs a show's lots (their single writers): commands that change a live lot
 * run there, forwarded from the node they reached. Without one, this node runs every lot.
 */
export interface ShowOwnership {
  mine(showId: string): boolean;
  /** `here` when this node runs the show now (it may just have taken it); else the owner's reply. */
  ask(showId: string, request: Forwarded): Promise<{ here: true } | { here: false; reply: unknown }>;
  /** The show ended: no node need run it any more. */
  release(showId: string): Promise<void>;
}

export class Auctions extends TypedEmitter<AuctionsEvents> {
  readonly #store: LotStore;
  readonly #shows: Shows;
  readonly #audience: Audience;
  readonly #orders: Orders;
  readonly #participation: Participation;
  readonly #live = new Map<string, Auction>();
  readonly #setAside = new Set<string>();
  readonly #lotShows = new Map<string, string>();
  readonly #bidLimit: SharedLimit;
  readonly #ownership: ShowOwnership | null;

  constructor(opts: { store: LotStore; shows: Shows; audience: Audience; orders: Orders; participation: Participation; limits: LimitStore; ownership?: ShowOwnership }) {
    super();
    this.#ownership = opts.ownership ?? null;
    this.#bidLimit = opts.limits.limit({ name: 'bids', limit: 5, windowSeconds: 1 });
    this.#store = opts.store;
    this.#shows = opts.shows;
    this.#audience = opts.audience;
    this.#orders = opts.orders;
    this.#participation = opts.participation;
    // A show that ends takes its running lot with it, wherever that runs.
    this.#shows.on('statusChanged', (showId, status) => {
      if (status !== 'ended') return;
      this.#route(showId, { op: 'showEnded', showId })
        .then((here) => (here ? this.#showEnded(showId) : undefined))
        .catch((err: unknown) => log.error({ err, show: showId }, 'stopping the lot of an ended show failed'));
    });
  }

  /** After a restart, without a cluster: every live lot resumes here. */
  async recover(now = Date.now()): Promise<number> {
    for (const row of await this.#store.live()) await this.#resume(row, now);
    if (this.#live.size) log.info({ lots: this.#live.size }, 'live lots recovered');
    return this.#live.size;
  }

  /** This node now runs the show (it went live, or its owner died): its live lots resume here, with a counter-bid window. */
  async adopt(showId: string, now = Date.now()): Promise<void> {
    for (const row of await this.#store.liveInShow(showId)) if (!this.#live.has(row.id)) await this.#resume(row, now);
  }

  /** This node no longer runs the show: its lots stop here at once, and their new owner loads them from the log. */
  abandon(showId: string): void {
    for (const a of this.#live.values()) {
      if (a.showId !== showId) continue;
      a.abandon();
      this.#live.delete(a.lotId);
    }
  }

  /** Runs a command another node forwarded, as if it had come here. */
  async serve(payload: unknown): Promise<unknown> {
    const r = forwardedSchema.parse(payload);
    switch (r.op) {
      case 'bid':
        return this.#bidHere(r.caller, r.lotId, r.amount, r.expected, Date.now());
      case 'setMax':
        return this.#setMaxHere(r.caller, r.lotId, r.maxAmount, Date.now());
      case 'start':
        return void (await this.#startHere(r.caller, r.lotId, Date.now()));
      case 'cancel':
        return void (await this.#cancelHere(r.lotId, Date.now()));
      case 'showEnded':
        return this.#showEnded(r.showId);
    }
  }

  /**
   * A live lot resumes from its log. One whose log does not replay is set aside: left untouched in the
   * database for an operator to inspect (it resumes on a later start once repaired), not run, and reported.
   */
  async #resume(row: LotRow, now: number): Promise<void> {
    try {
      await this.#register(await Auction.load(this.#store, this.#orders, row)).resume(now);
    } catch (err) {
      this.#live.get(row.id)?.dispose();
      this.#live.delete(row.id);
      this.#setAside.add(row.id);
      log.error({ err, lot: row.id, show: row.showId }, 'live lot does not replay from its log; set aside');
    }
  }

  async #showEnded(showId: string): Promise<void> {
    for (const a of [...this.#live.values()]) if (a.showId === showId) await a.cancel(Date.now());
    await this.#ownership?.release(showId);
  }

  /** True when the command runs here; otherwise the show's owner ran it (a refusal comes back as its error). */
  async #route(showId: string, request: Forwarded): Promise<boolean> {
    return (await this.#forward(showId, request)) === HERE;
  }

  /** HERE when the command runs here; otherwise the owner's reply. */
  async #forward(showId: string, request: Forwarded): Promise<unknown> {
    const asked = this.#ownership ? await this.#ownership.ask(showId, request) : ({ here: true } as const);
    return asked.here ? HERE : asked.reply;
  }

  /** A lot never changes show: remembered (for a bounded number of lots) so a forwarded bid reads nothing first. */
  async #showOf(lotId: string): Promise<string> {
    const known = this.#live.get(lotId)?.showId ?? this.#lotShows.get(lotId);
    if (known) return known;
    const { showId } = await this.#store.get(lotId);
    if (this.#lotShows.size >= LOT_SHOWS_KEPT) this.#lotShows.delete(this.#lotShows.keys().next().value!);
    this.#lotShows.set(lotId, showId);
    return showId;
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
    const lots: LotDto[] = [];
    for (const row of await this.#store.forShow(showId)) lots.push({ ...lotDto(row, await this.#stateOf(row)), openedAt: openings.get(row.id) ?? null });
    return lots;
  }

  /** A running lot's state: here, or as its log has it when another node runs it (its leader, bids and next minimum). */
  async #stateOf(row: LotRow): Promise<LotState | null> {
    const here = this.#live.get(row.id);
    if (here) return here.state;
    if (row.status !== 'live' || this.#setAside.has(row.id)) return null;
    return (await this.#store.replay(row)).state;
  }

  async start(actor: PublicUser, lotId: string, now?: number): Promise<LotDto> {
    const showId = (await this.#store.get(lotId)).showId;
    if (!(await this.#route(showId, { op: 'start', caller: actor, lotId }))) return lotDto(await this.#store.get(lotId), null);
    return (await this.#startHere(actor, lotId, now ?? Date.now())).toDto();
  }

  async #startHere(actor: PublicUser, lotId: string, now: number): Promise<Auction> {
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
      await auction.start(now);
    } catch (err) {
      auction.dispose();
      this.#live.delete(lotId);
      throw err;
    }
    return auction;
  }

  async cancel(actor: PublicUser, lotId: string, now?: number): Promise<LotDto> {
    const showId = (await this.#store.get(lotId)).showId;
    await this.#shows.assertCanRun(actor, showId);
    if (await this.#route(showId, { op: 'cancel', caller: actor, lotId })) await this.#cancelHere(lotId, now ?? Date.now());
    return lotDto(await this.#store.get(lotId), null);
  }

  async #cancelHere(lotId: string, now: number): Promise<void> {
    const live = this.#live.get(lotId);
    if (!live) throw new AppError('invalid_state', 'Only a running lot can be stopped.');
    await live.cancel(now);
  }

  async bid(user: PublicUser | null, lotId: string, amount: number | undefined, expected: number | undefined, now?: number): Promise<BidReply> {
    if (!user) throw new AppError('unauthenticated', 'Sign in to bid.');
    const reply = await this.#forward(await this.#showOf(lotId), { op: 'bid', caller: user, lotId, amount, expected });
    return reply === HERE ? this.#bidHere(user, lotId, amount, expected, now ?? Date.now()) : bidReplySchema.parse(reply);
  }

  async #bidHere(user: PublicUser, lotId: string, amount: number | undefined, expected: number | undefined, now: number): Promise<BidReply> {
    const { auction, bidder } = await this.#bidding(user, lotId);
    const result = await auction.bid(bidder, amount, expected, now);
    return { ...result, leading: auction.state.leader?.id === bidder.id };
  }

  async setMax(user: PublicUser | null, lotId: string, maxAmount: number, now?: number): Promise<MaxReply> {
    if (!user) throw new AppError('unauthenticated', 'Sign in to bid.');
    const reply = await this.#forward(await this.#showOf(lotId), { op: 'setMax', caller: user, lotId, maxAmount });
    return reply === HERE ? this.#setMaxHere(user, lotId, maxAmount, now ?? Date.now()) : maxReplySchema.parse(reply);
  }

  async #setMaxHere(user: PublicUser, lotId: string, maxAmount: number, now: number): Promise<MaxReply> {
    const { auction, bidder } = await this.#bidding(user, lotId);
    const seq = await auction.setMax(bidder, maxAmount, now);
    return { seq, leading: auction.state.leader?.id === bidder.id, myMax: maxAmount };
  }

  /** The running lot, else the most recent one that ran, with its history. */
  async snapshot(showId: string, userId: string | null): Promise<{ lot: LotDto | null; events: AuctionEvent[]; myMax: number | null }> {
    await this.#shows.get(showId);
    const live = [...this.#live.values()].find((a) => a.showId === showId);
    if (live) return { lot: live.toDto(), events: [...live.history], myMax: userId ? live.state.maxOf(userId) : null };
    // Not run here (in a cluster, another node runs it): the running lot as committed, else the last that ran.
    const rows = (await this.#store.forShow(showId)).filter((r) => r.status !== 'queued' && !this.#setAside.has(r.id));
    const lastRun = rows.find((r) => r.status === 'live') ?? rows.sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0))[0];
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

  /** Forgets the show's lots that closed before `before` (the always-live demo show's, which would pile up). */
  async pruneClosed(showId: string, before: number): Promise<number> {
    return this.#store.deleteClosedBefore(showId, before);
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
  async #bidding(user: PublicUser, lotId: string): Promise<{ auction: Auction; bidder: Bidder }> {
    // Counted first (the bid limit is the cheapest refusal).
    if (!(await this.#bidLimit.take(user.id))) throw new AppError('rate_limited', 'You are bidding too fast; wait a moment.');
    await this.#participation.assertMayTakePart(this.#live.get(lotId)?.showId ?? (await this.#store.get(lotId)).showId, user.id);
    // Looked up after the waits: the bid acts on the lot as it is now, or learns that it closed.
    const auction = this.#live.get(lotId);
    if (!auction) {
      const row = await this.#store.get(lotId);
      if (this.#setAside.has(lotId)) throw new AppError('invalid_state', 'This lot is on hold.');
      // Live but not run here: the show is moving between nodes.
      if (row.status === 'live') throw new AppError('unavailable', 'This auction is moving to another server; try again in a moment.');
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
