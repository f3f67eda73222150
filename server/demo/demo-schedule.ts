import type { Redis } from 'ioredis';
import type { Auctions } from '../auctions/auctions.ts';
import type { Chat } from '../chat/chat.ts';
import { onceAcrossCluster } from '../cluster/cluster-jobs.ts';
import type { Catalog } from '../commerce/catalog.ts';
import type { Orders } from '../commerce/orders.ts';
import { AppError } from '../errors.ts';
import { logger } from '../log.ts';
import type { Overlay } from '../overlay/overlay.ts';
import type { Shows } from '../shows/shows.ts';
import { createLotSchema } from '#shared/auctions.ts';
import { createCouponSchema, createDropSchema, createPollSchema, type OverlayState } from '#shared/commerce.ts';
import { nextDemoBidder } from './demo-bidding.ts';
import { DEMO_CHAT, DEMO_COUPON, DEMO_POLLS, DEMO_PRODUCTS } from './demo-content.ts';
import type { DemoPace } from './demo-pace.ts';
import type { DemoCast } from './demo-shop.ts';

const log = logger('demo-schedule');
const DAY_MS = 24 * 60 * 60_000;
/** Units each drop's flash sale offers; the product is restocked to its seeded stock when it runs low. */
const DROP_UNITS = 10;

export interface DemoScheduleDeps {
  cast: DemoCast;
  pace: DemoPace;
  shows: Shows;
  auctions: Auctions;
  orders: Orders;
  overlay: Overlay;
  catalog: Catalog;
  chat: Chat;
  now?: () => number;
}

/**
 * Runs the demo show's shop: a lot after another that the demo bidders bid up (and extend on soft
 * close) until it sells, a "3-2-1" drop after another, a poll, a coupon, and a few chat lines. Every
 * step goes through the same domain calls a host and buyers make, as the demo show's host or a demo
 * account, and each tick decides from what is stored, so a restart or another node picks up where
 * it stands. It acts on the demo show only.
 */
export class DemoSchedule {
  readonly #d: DemoScheduleDeps;
  readonly #now: () => number;
  /** Demo accounts that voted in the current poll (a vote again would only be refused). */
  #voted = { pollId: '', bidders: new Set<number>() };
  #chatDueAt = 0;
  #pruneDueAt = 0;

  constructor(deps: DemoScheduleDeps) {
    this.#d = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** Ticks on one node of a cluster at a time (every node on its own without Redis). Returns a stop function. */
  start(redis: Redis | null): () => void {
    return onceAcrossCluster(redis, 'demo-show', this.#d.pace.tickMs, () => this.tick());
  }

  async tick(): Promise<void> {
    const { cast, shows } = this.#d;
    const show = await shows.get(cast.showId);
    if (!show.isDemo || show.status !== 'live') return;
    const overlay = await this.#d.overlay.state(cast.showId);
    for (const [step, run] of [
      ['auction', () => this.#auction()],
      ['drop', () => this.#drop(overlay)],
      ['poll', () => this.#poll(overlay)],
      ['coupon', () => this.#coupon(overlay)],
      ['chat', () => this.#chat()],
      ['prune', () => this.#prune()]
    ] as const) {
      // One step failing (a refusal, a lost race with another node) does not hold up the others.
      await run().catch((err: unknown) => log.warn({ err: err instanceof AppError ? err.message : err, step, show: cast.showId }, 'demo step skipped'));
    }
  }

  async #auction(): Promise<void> {
    const { cast, auctions, orders, pace } = this.#d;
    const now = this.#now();
    const { lot, events } = await auctions.snapshot(cast.showId, null);
    const bidderIds = cast.bidders.map((b) => b.id);
    if (lot?.status === 'live') {
      const i = nextDemoBidder(lot, events, bidderIds, now, pace);
      if (i !== null) await auctions.bid(cast.bidders[i]!, lot.id, undefined, lot.nextMinimum);
      return;
    }
    // A demo account's win is declined at once: it holds nothing, and no one waits on its payment.
    const winner = lot?.status === 'sold' && lot.winnerId && cast.bidders.find((b) => b.id === lot.winnerId);
    const unpaid = winner && (await orders.unpaidForLot(winner.id, lot.id));
    if (winner && unpaid) await orders.cancel(winner.id, unpaid.id);
    const closedAt = events.filter((e) => e.type === 'closed').at(-1)?.at ?? 0;
    if (now - closedAt < pace.lotGapMs) return;
    // A lot queued but not started (by the host, or a tick cut short) goes first.
    const queued = (await auctions.lots(cast.showId)).find((l) => l.status === 'queued');
    const next = DEMO_PRODUCTS[(DEMO_PRODUCTS.findIndex((p) => p.lot.title === lot?.title) + 1) % DEMO_PRODUCTS.length]!;
    const input = createLotSchema.parse({ ...next.lot, currency: 'USD', durationSeconds: pace.lotSeconds, counterBidSeconds: pace.counterBidSeconds });
    await auctions.start(cast.host, (queued ?? (await auctions.createLot(cast.host, cast.showId, input))).id);
  }

  async #drop(overlay: OverlayState): Promise<void> {
    const { cast, catalog, pace } = this.#d;
    if (overlay.drop && overlay.drop.dropAt + pace.dropOpenMs > this.#now()) return;
    // The products take turns in the drop card; nothing is pinned beside it, so on a phone the auction stays in reach.
    const lineup = await catalog.lineup(cast.showId);
    if (!lineup.length) return;
    const product = lineup[(lineup.findIndex((p) => p.id === overlay.drop?.productId) + 1) % lineup.length]!;
    // Restocked from the seed's figure so drops go on however many buyers tried the test card.
    const seeded = DEMO_PRODUCTS.find((p) => p.name === product.title)?.stock ?? DROP_UNITS * 4;
    const variant = product.variants[0];
    if (variant && product.variants.reduce((n, v) => n + v.stock, 0) < DROP_UNITS) await catalog.setStock(cast.host, variant.id, Math.max(variant.stock, seeded));
    const drop = createDropSchema.parse({
      productId: product.id,
      countdownSeconds: pace.dropCountdownSeconds,
      sale: { discountKind: 'percent', discountValue: 20, durationSeconds: Math.ceil(pace.dropOpenMs / 1000), quantity: DROP_UNITS, perBuyerLimit: 1 }
    });
    await this.#d.overlay.drop(cast.host, cast.showId, drop.productId, drop.countdownSeconds, drop.sale);
  }

  async #poll(overlay: OverlayState): Promise<void> {
    const { cast, pace } = this.#d;
    const now = this.#now();
    const poll = overlay.poll;
    if (poll && poll.endsAt > now) return this.#vote(poll.id, poll.options.length, poll.endsAt);
    if (poll && now - poll.endsAt < pace.pollGapMs) return;
    const next = DEMO_POLLS[(DEMO_POLLS.findIndex((p) => p.question === poll?.question) + 1) % DEMO_POLLS.length]!;
    await this.#d.overlay.startPoll(cast.host, cast.showId, createPollSchema.parse({ question: next.question, options: [...next.options], durationSeconds: pace.pollSeconds }));
  }

  /** The demo accounts vote one after another through the poll's first half, so the bars move. */
  async #vote(pollId: string, options: number, endsAt: number): Promise<void> {
    const { cast, pace } = this.#d;
    if (this.#voted.pollId !== pollId) this.#voted = { pollId, bidders: new Set() };
    const elapsed = 1 - (endsAt - this.#now()) / (pace.pollSeconds * 1000);
    const due = Math.min(cast.bidders.length, Math.floor(elapsed * 2 * cast.bidders.length));
    for (let i = 0; i < due; i++) {
      if (this.#voted.bidders.has(i)) continue;
      this.#voted.bidders.add(i);
      // Mostly the first option, so the poll has a clear favourite.
      const option = (i * 3) % 4 < 2 ? 0 : (i % (options - 1)) + 1;
      await this.#d.overlay.vote(cast.bidders[i]!, cast.showId, pollId, option).catch((err: unknown) => {
        if (!(err instanceof AppError && err.code === 'conflict')) throw err;
      });
    }
  }

  /** One coupon a day (codes are unique in a show), running until the day ends on UTC. */
  async #coupon(overlay: OverlayState): Promise<void> {
    if (overlay.coupon) return;
    const now = this.#now();
    const day = Math.floor(now / DAY_MS);
    const secondsLeft = Math.floor(((day + 1) * DAY_MS - now) / 1000);
    if (secondsLeft < 10) return;
    const code = `DEMO10-${day.toString(36).toUpperCase()}`;
    await this.#d.overlay.pushCoupon(this.#d.cast.host, this.#d.cast.showId, createCouponSchema.parse({ ...DEMO_COUPON, code, durationSeconds: secondsLeft }));
  }

  async #chat(): Promise<void> {
    const { cast, chat, pace } = this.#d;
    const now = this.#now();
    if (now < this.#chatDueAt) return;
    this.#chatDueAt = now + pace.chatEveryMs;
    // Read back, so nodes taking turns in a cluster do not each post.
    const demo = new Set(cast.bidders.map((b) => b.id));
    const last = (await chat.state(cast.showId)).messages.filter((m) => demo.has(m.user.id)).at(-1);
    if (last && now - last.at < pace.chatEveryMs) return;
    const i = Math.floor(now / pace.chatEveryMs);
    await chat.send(cast.bidders[i % cast.bidders.length]!, cast.showId, DEMO_CHAT[i % DEMO_CHAT.length]!);
  }

  /** Closed lots and the demo accounts' declined orders go after a while: the show runs for ever. */
  async #prune(): Promise<void> {
    const { cast, pace } = this.#d;
    const now = this.#now();
    if (now < this.#pruneDueAt) return;
    this.#pruneDueAt = now + pace.keepClosedMs / 10;
    const before = now - pace.keepClosedMs;
    const lots = await this.#d.auctions.pruneClosed(cast.showId, before);
    const orders = await this.#d.orders.deleteLapsed(cast.bidders.map((b) => b.id), before);
    if (lots || orders) log.info({ show: cast.showId, lots, orders }, 'old demo lots and declined demo orders deleted');
  }
}
