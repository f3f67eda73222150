import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { pollVotes, showEvents } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { newId } from '../ids.ts';
import type { Catalog } from '../commerce/catalog.ts';
import type { Coupons } from '../commerce/coupons.ts';
import { toCouponDto } from '../commerce/coupons.ts';
import type { FlashSales } from '../commerce/flash-sales.ts';
import { toFlashSaleDto } from '../commerce/flash-sales.ts';
import type { Inventory } from '../commerce/inventory.ts';
import type { Shows } from '../shows/shows.ts';
import type { Participation } from '../chat/chat-moderation.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { DropDto, FlashSaleTerms, OverlayChange, OverlayPush, OverlayState, PollDto, TimelineEntryDto } from '#shared/commerce.ts';
import type { z } from 'zod';
import type { createCouponSchema, createPollSchema } from '#shared/commerce.ts';

interface Current {
  /** Id of the newest stored push folded in; 0 before any. */
  rev: number;
  notice: string | null;
  pinned: string[];
  drop: DropDto | null;
  couponId: string | null;
  poll: Omit<PollDto, 'votes'> | null;
}

export interface OverlayEvents extends Record<string, unknown[]> {
  /** A committed push: the whole new state, and what changed (the HLS stream marks it). */
  changed: [showId: string, state: OverlayState, change: OverlayChange];
  /** A vote was counted: the poll's tally now. */
  pollResults: [showId: string, pollId: string, votes: number[]];
}

/**
 * What the host puts over the video: notices, pinned products, 3-2-1 drops,
 * coupons and polls. Every push is stored with its server time (the replay's
 * timeline) before it is broadcast; late joiners get the folded current state.
 */
export class Overlay extends TypedEmitter<OverlayEvents> {
  readonly #db: Db;
  readonly #shows: Shows;
  readonly #catalog: Catalog;
  readonly #inventory: Inventory;
  readonly #sales: FlashSales;
  readonly #coupons: Coupons;
  readonly #participation: Participation;
  readonly #now: () => number;
  readonly #current = new Map<string, Current>();

  constructor(opts: {
    db: Db; shows: Shows; catalog: Catalog; inventory: Inventory; sales: FlashSales; coupons: Coupons; participation: Participation; now?: () => number;
  }) {
    super();
    this.#db = opts.db;
    this.#shows = opts.shows;
    this.#catalog = opts.catalog;
    this.#inventory = opts.inventory;
    this.#sales = opts.sales;
    this.#coupons = opts.coupons;
    this.#participation = opts.participation;
    this.#now = opts.now ?? Date.now;
    opts.catalog.on('withdrawn', (productId, showIds) => {
      for (const showId of showIds) this.#withdraw(showId, productId);
    });
  }

  async state(showId: string): Promise<OverlayState> {
    // Folded state is cached per show: only for shows that exist.
    await this.#shows.get(showId);
    return this.#view(showId);
  }

  #view(showId: string): OverlayState {
    const c = this.#fold(showId);
    const now = this.#now();
    const drop = c.drop ? this.#dropView(c.drop) : null;
    const coupon = c.couponId ? toCouponDto(this.#coupons.get(c.couponId)) : null;
    return {
      rev: c.rev,
      notice: c.notice,
      pinned: this.#catalog.many(c.pinned),
      drop,
      coupon: coupon && coupon.expiresAt > now ? coupon : null,
      poll: c.poll ? { ...c.poll, votes: this.tally(c.poll.id, c.poll.options.length) } : null
    };
  }

  /** Everything pushed during a show with its time, for the replay timeline. */
  timeline(showId: string): TimelineEntryDto[] {
    return this.#db.select().from(showEvents).where(eq(showEvents.showId, showId)).orderBy(asc(showEvents.id)).all().map((e) => ({ at: e.at, type: e.type, payload: e.payload }) as TimelineEntryDto);
  }

  // Each change checks that the actor runs the show before it writes anything (a sale, a coupon, the push).

  async setNotice(actor: PublicUser, showId: string, text: string): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    return this.#push(showId, { type: 'notice', text });
  }

  async pin(actor: PublicUser, showId: string, productIds: string[]): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    this.#assertLineup(showId, productIds);
    return this.#push(showId, { type: 'pin', productIds });
  }

  /** Schedules a drop on the server clock; with a sale, the sale opens at the same instant. */
  async drop(actor: PublicUser, showId: string, productId: string, countdownSeconds: number, sale?: FlashSaleTerms): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    this.#assertLineup(showId, [productId]);
    const dropAt = this.#now() + countdownSeconds * 1000;
    if (sale) this.#assertSaleInStock(productId, sale.quantity);
    const saleRow = sale ? this.#sales.create(showId, productId, this.#catalog.get(productId).price, sale, dropAt) : null;
    return this.#push(showId, { type: 'drop', drop: { id: newId(), productId, dropAt, saleId: saleRow?.id ?? null } });
  }

  async pushCoupon(actor: PublicUser, showId: string, input: z.output<typeof createCouponSchema>): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    const coupon = this.#coupons.create(showId, input);
    return this.#push(showId, { type: 'coupon', couponId: coupon.id });
  }

  async startPoll(actor: PublicUser, showId: string, input: z.output<typeof createPollSchema>): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    const poll = { id: newId(), question: input.question, options: input.options, endsAt: this.#now() + input.durationSeconds * 1000 };
    return this.#push(showId, { type: 'poll', poll });
  }

  async vote(voter: PublicUser | null, showId: string, pollId: string, option: number): Promise<number[]> {
    if (!voter) throw new AppError('unauthenticated', 'Sign in to vote.');
    await this.#shows.get(showId);
    await this.#participation.assertMayTakePart(showId, voter.id);
    const poll = this.#fold(showId).poll;
    if (!poll || poll.id !== pollId) throw new AppError('not_found', 'No such poll.');
    if (poll.endsAt <= this.#now()) throw new AppError('invalid_state', 'This poll has closed.', { reason: 'poll_closed' });
    if (option >= poll.options.length) throw new AppError('bad_request', 'No such option.');
    const r = this.#db.insert(pollVotes).values({ pollId, voterId: voter.id, option }).onConflictDoNothing().run();
    if (r.changes !== 1) throw new AppError('conflict', 'You already voted.', { reason: 'already_voted' });
    const votes = this.tally(pollId, poll.options.length);
    this.emit('pollResults', showId, pollId, votes);
    return votes;
  }

  tally(pollId: string, options: number): number[] {
    const votes = new Array<number>(options).fill(0);
    for (const r of this.#db.select({ option: pollVotes.option, n: sql<number>`count(*)` }).from(pollVotes).where(eq(pollVotes.pollId, pollId)).groupBy(pollVotes.option).all()) {
      if (r.option < options) votes[r.option] = r.n;
    }
    return votes;
  }

  /** A product deleted or archived mid-show stops being offered: unpinned, its drop cleared, its sale ended. */
  #withdraw(showId: string, productId: string): void {
    const c = this.#fold(showId);
    if (!c.pinned.includes(productId) && c.drop?.productId !== productId) return;
    this.#sales.endFor(showId, productId, this.#now());
    this.#push(showId, { type: 'withdraw', productId });
  }

  #dropView(drop: DropDto): OverlayState['drop'] {
    try {
      const sale = drop.saleId ? toFlashSaleDto(this.#inventory.sale(drop.saleId)) : null;
      return { ...drop, product: this.#catalog.get(drop.productId), sale };
    } catch {
      return null;
    }
  }

  #assertLineup(showId: string, productIds: string[]): void {
    for (const p of productIds) if (!this.#catalog.inLineup(showId, p)) throw new AppError('bad_request', 'Add the product to the show’s lineup first.');
  }

  /** A flash sale cannot promise more units than the product has (across its variants). */
  #assertSaleInStock(productId: string, quantity: number): void {
    const stock = this.#catalog.get(productId).variants.reduce((n, v) => n + v.stock, 0);
    if (quantity > stock) {
      throw new AppError('conflict', `Only ${stock} in stock: a flash sale cannot offer more.`, { reason: 'only_left', left: stock, field: 'sale.quantity' });
    }
  }

  async #assertCanPush(actor: PublicUser, showId: string): Promise<void> {
    const show = await this.#shows.assertCanRun(actor, showId);
    if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.', { reason: 'show_ended' });
  }

  /** Stores an authorised change with its time, folds it in and announces it. */
  #push(showId: string, pushed: OverlayPush): OverlayState {
    const { type, ...payload } = pushed;
    const at = this.#now();
    const rev = Number(this.#db.insert(showEvents).values({ showId, at, type, payload }).run().lastInsertRowid);
    const current = this.#fold(showId);
    this.#apply(current, pushed);
    current.rev = rev;
    const state = this.#view(showId);
    this.emit('changed', showId, state, { rev, at, kind: type });
    return state;
  }

  #fold(showId: string): Current {
    let c = this.#current.get(showId);
    if (!c) {
      c = { rev: 0, notice: null, pinned: [], drop: null, couponId: null, poll: null };
      for (const e of this.#db.select().from(showEvents).where(eq(showEvents.showId, showId)).orderBy(asc(showEvents.id)).all()) {
        this.#apply(c, { type: e.type, ...(e.payload as object) } as OverlayPush);
        c.rev = e.id;
      }
      this.#current.set(showId, c);
    }
    return c;
  }

  #apply(c: Current, p: OverlayPush): void {
    switch (p.type) {
      case 'notice':
        c.notice = p.text || null;
        break;
      case 'pin':
        c.pinned = p.productIds;
        break;
      case 'drop':
        c.drop = p.drop;
        break;
      case 'coupon':
        c.couponId = p.couponId;
        break;
      case 'poll':
        c.poll = p.poll;
        break;
      case 'withdraw':
        c.pinned = c.pinned.filter((id) => id !== p.productId);
        if (c.drop?.productId === p.productId) c.drop = null;
        break;
    }
  }
}
