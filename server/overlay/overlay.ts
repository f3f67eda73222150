import { and, asc, count, eq, gt } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
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

const log = logger('overlay');

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
  readonly #repo: Repo;
  readonly #shows: Shows;
  readonly #catalog: Catalog;
  readonly #inventory: Inventory;
  readonly #sales: FlashSales;
  readonly #coupons: Coupons;
  readonly #participation: Participation;
  readonly #now: () => number;
  readonly #current = new Map<string, Current>();

  constructor(opts: {
    repo: Repo; shows: Shows; catalog: Catalog; inventory: Inventory; sales: FlashSales; coupons: Coupons; participation: Participation; now?: () => number;
  }) {
    super();
    this.#repo = opts.repo;
    this.#shows = opts.shows;
    this.#catalog = opts.catalog;
    this.#inventory = opts.inventory;
    this.#sales = opts.sales;
    this.#coupons = opts.coupons;
    this.#participation = opts.participation;
    this.#now = opts.now ?? Date.now;
    opts.catalog.on('withdrawn', (productId, showIds) => {
      for (const showId of showIds) void this.#withdraw(showId, productId).catch((err: unknown) => log.error({ err, show: showId, product: productId }, 'withdrawing a product from the overlay failed'));
    });
  }

  async state(showId: string): Promise<OverlayState> {
    // Folded state is cached per show: only for shows that exist.
    await this.#shows.get(showId);
    return this.#view(showId);
  }

  async #view(showId: string): Promise<OverlayState> {
    const c = await this.#fold(showId);
    const now = this.#now();
    const drop = c.drop ? await this.#dropView(c.drop) : null;
    const coupon = c.couponId ? toCouponDto(await this.#coupons.get(c.couponId)) : null;
    return {
      rev: c.rev,
      notice: c.notice,
      pinned: await this.#catalog.many(c.pinned),
      drop,
      coupon: coupon && coupon.expiresAt > now ? coupon : null,
      poll: c.poll ? { ...c.poll, votes: await this.tally(c.poll.id, c.poll.options.length) } : null
    };
  }

  /** Everything pushed during a show with its time, for the replay timeline. */
  async timeline(showId: string): Promise<TimelineEntryDto[]> {
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(db.select().from(t.showEvents).where(eq(t.showEvents.showId, showId)).orderBy(asc(t.showEvents.id)));
    return rows.map((e) => ({ at: e.at, type: e.type, payload: e.payload }) as TimelineEntryDto);
  }

  // Each change checks that the actor runs the show before it writes anything (a sale, a coupon, the push).

  async setNotice(actor: PublicUser, showId: string, text: string): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    return this.#push(showId, { type: 'notice', text });
  }

  async pin(actor: PublicUser, showId: string, productIds: string[]): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    await this.#assertLineup(showId, productIds);
    return this.#push(showId, { type: 'pin', productIds });
  }

  /** Schedules a drop on the server clock; with a sale, the sale opens at the same instant. */
  async drop(actor: PublicUser, showId: string, productId: string, countdownSeconds: number, sale?: FlashSaleTerms): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    await this.#assertLineup(showId, [productId]);
    const dropAt = this.#now() + countdownSeconds * 1000;
    if (sale) await this.#assertSaleInStock(productId, sale.quantity);
    const saleRow = sale ? await this.#sales.create(showId, productId, (await this.#catalog.get(productId)).price, sale, dropAt) : null;
    return this.#push(showId, { type: 'drop', drop: { id: newId(), productId, dropAt, saleId: saleRow?.id ?? null } });
  }

  async pushCoupon(actor: PublicUser, showId: string, input: z.output<typeof createCouponSchema>): Promise<OverlayState> {
    await this.#assertCanPush(actor, showId);
    const coupon = await this.#coupons.create(showId, input);
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
    const poll = (await this.#fold(showId)).poll;
    if (!poll || poll.id !== pollId) throw new AppError('not_found', 'No such poll.');
    if (poll.endsAt <= this.#now()) throw new AppError('invalid_state', 'This poll has closed.', { reason: 'poll_closed' });
    if (option >= poll.options.length) throw new AppError('bad_request', 'No such option.');
    const { db, t } = this.#repo;
    const counted = await this.#repo.changes(db.insert(t.pollVotes).values({ pollId, voterId: voter.id, option }).onConflictDoNothing());
    if (counted !== 1) throw new AppError('conflict', 'You already voted.', { reason: 'already_voted' });
    const votes = await this.tally(pollId, poll.options.length);
    this.emit('pollResults', showId, pollId, votes);
    return votes;
  }

  async tally(pollId: string, options: number): Promise<number[]> {
    const votes = new Array<number>(options).fill(0);
    const { db, t } = this.#repo;
    for (const r of await this.#repo.all(db.select({ option: t.pollVotes.option, n: count() }).from(t.pollVotes).where(eq(t.pollVotes.pollId, pollId)).groupBy(t.pollVotes.option))) {
      if (r.option < options) votes[r.option] = Number(r.n);
    }
    return votes;
  }

  /** A product deleted or archived mid-show stops being offered: unpinned, its drop cleared, its sale ended. */
  async #withdraw(showId: string, productId: string): Promise<void> {
    const c = await this.#fold(showId);
    if (!c.pinned.includes(productId) && c.drop?.productId !== productId) return;
    await this.#sales.endFor(showId, productId, this.#now());
    await this.#push(showId, { type: 'withdraw', productId });
  }

  async #dropView(drop: DropDto): Promise<OverlayState['drop']> {
    try {
      const sale = drop.saleId ? toFlashSaleDto(await this.#inventory.sale(drop.saleId)) : null;
      return { ...drop, product: await this.#catalog.get(drop.productId), sale };
    } catch (err) {
      // The product was deleted since the drop: there is nothing left to show.
      if (err instanceof AppError && err.code === 'not_found') return null;
      throw err;
    }
  }

  async #assertLineup(showId: string, productIds: string[]): Promise<void> {
    for (const p of productIds) if (!(await this.#catalog.inLineup(showId, p))) throw new AppError('bad_request', 'Add the product to the show’s lineup first.');
  }

  /** A flash sale cannot promise more units than the product has (across its variants). */
  async #assertSaleInStock(productId: string, quantity: number): Promise<void> {
    const stock = (await this.#catalog.get(productId)).variants.reduce((n, v) => n + v.stock, 0);
    if (quantity > stock) {
      throw new AppError('conflict', `Only ${stock} in stock: a flash sale cannot offer more.`, { reason: 'only_left', left: stock, field: 'sale.quantity' });
    }
  }

  async #assertCanPush(actor: PublicUser, showId: string): Promise<void> {
    const show = await this.#shows.assertCanRun(actor, showId);
    if (show.status === 'ended') throw new AppError('invalid_state', 'This show has ended.', { reason: 'show_ended' });
  }

  /** Stores an authorised change with its time, folds it in and announces it. */
  async #push(showId: string, pushed: OverlayPush): Promise<OverlayState> {
    const { type, ...payload } = pushed;
    const at = this.#now();
    // One push per show at a time, under its show's row lock: a fold reads the pushes after the last id it saw,
    // and on PostgreSQL a push still committing could otherwise show its id only after a later one's.
    // (Rows naming the show, chat and orders, are still written meanwhile.)
    const rev = await this.#repo.tx(async () => {
      const { db, t } = this.#repo;
      await this.#repo.one(this.#repo.forUpdate(db.select({ id: t.shows.id }).from(t.shows).where(eq(t.shows.id, showId)), 'no key update'));
      return (await this.#repo.one(db.insert(t.showEvents).values({ showId, at, type, payload }).returning({ id: t.showEvents.id })))!.id;
    });
    const state = await this.#view(showId);
    this.emit('changed', showId, state, { rev, at, kind: type });
    return state;
  }

  /**
   * The show's overlay as its stored pushes fold up. Each node keeps the fold and reads only the pushes
   * stored since (by any node), so every node's view catches up with the others' pushes when it is read.
   */
  async #fold(showId: string): Promise<Current> {
    const known = this.#current.get(showId);
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(
      db
        .select()
        .from(t.showEvents)
        .where(and(eq(t.showEvents.showId, showId), gt(t.showEvents.id, known?.rev ?? 0)))
        .orderBy(asc(t.showEvents.id))
    );
    // Another read of the same show may have folded in some of these meanwhile.
    let c = this.#current.get(showId);
    if (!c) this.#current.set(showId, (c = { rev: 0, notice: null, pinned: [], drop: null, couponId: null, poll: null }));
    for (const e of rows) {
      if (e.id <= c.rev) continue;
      this.#apply(c, { type: e.type, ...(e.payload as object) } as OverlayPush);
      c.rev = e.id;
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
