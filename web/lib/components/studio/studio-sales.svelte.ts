import { api } from '$lib/api';
import type { RealtimeClient } from '$lib/realtime/realtime-client';
import type { Currency } from '$shared/money';
import type { OrderDto } from '$shared/orders';
import type { StockUpdate } from '$shared/commerce';
import { netRevenue, type Revenue } from '$shared/stats';

/** One line of the host's live feed: a bid, a lot's close, an order placed or paid, a new follower. */
export type FeedEntry =
  | { key: string; kind: 'bid'; who: string; amount: number; currency: Currency; auto: boolean }
  | { key: string; kind: 'sold'; who: string; amount: number; currency: Currency; title: string }
  | { key: string; kind: 'unsold'; title: string }
  | { key: string; kind: 'ordered' | 'paid'; title: string; amount: number; currency: Currency }
  | { key: string; kind: 'followed'; who: string };

/** Orders that count as sold: paid and not refunded. */
const SOLD = new Set<OrderDto['status']>(['paid', 'fulfilled']);
const FEED_LENGTH = 40;

/**
 * What the host's console counts while the show runs: the show's orders (reread whenever the
 * room says they changed), revenue per currency net of refunds, the latest stock per product,
 * and a feed of bids, closes and orders, newest first. `lotTitle` names the running lot.
 */
export class StudioSales {
  orders = $state<OrderDto[]>([]);
  stock = $state<Record<string, StockUpdate>>({});
  feed = $state<FeedEntry[]>([]);
  readonly #showId: string;
  readonly #unsubscribe: (() => void)[];
  #known = new Map<string, OrderDto['status']>();
  #loaded = false;

  constructor(showId: string, client: RealtimeClient, lotOf: (lotId: string) => { title: string; currency: Currency } | null) {
    this.#showId = showId;
    this.#unsubscribe = [
      client.on('salesChanged', ({ showId: id }) => {
        if (id === showId) void this.refresh().catch(() => {});
      }),
      client.on('stock', (u) => (this.stock[u.productId] = u)),
      // Once per follower per session: following, unfollowing and following again is one entry.
      client.on('newFollower', ({ follower }) => this.#add({ key: `follow:${follower.id}`, kind: 'followed', who: follower.displayName })),
      client.on('auctionEvents', ({ lotId, events }) => {
        const lot = lotOf(lotId);
        if (!lot) return;
        for (const e of events) {
          if (e.type === 'bid') this.#add({ key: `${lotId}:${e.seq}`, kind: 'bid', who: e.bidder.displayName, amount: e.amount, currency: lot.currency, auto: e.auto });
          else if (e.type === 'closed' && e.result === 'sold' && e.winner && e.price !== null)
            this.#add({ key: `${lotId}:${e.seq}`, kind: 'sold', who: e.winner.displayName, amount: e.price, currency: lot.currency, title: lot.title });
          else if (e.type === 'closed' && e.result === 'unsold') this.#add({ key: `${lotId}:${e.seq}`, kind: 'unsold', title: lot.title });
        }
      })
    ];
  }

  get soldCount(): number {
    return this.orders.filter((o) => SOLD.has(o.status)).length;
  }

  /** The same figure as the stats page: paid, per currency, net of refunds. */
  get revenue(): Revenue[] {
    return netRevenue(this.orders);
  }

  /** The order for a lot, if its winner got one. */
  orderForLot(lotId: string): OrderDto | undefined {
    return this.orders.find((o) => o.lotId === lotId);
  }

  async refresh(): Promise<void> {
    const { orders } = await api('GET /shows/:id/sales', { params: { id: this.#showId } });
    // Oldest first, so the newest ends on top; the first read (a reopened studio) fills the feed with what happened so far.
    for (const o of [...orders].sort((a, b) => a.createdAt - b.createdAt)) {
      const was = this.#loaded ? this.#known.get(o.id) : undefined;
      if (!this.#loaded || (was === undefined && !o.lotId)) this.#add({ key: `${o.id}:ordered`, kind: 'ordered', title: o.title, amount: o.total, currency: o.currency });
      if (SOLD.has(o.status) && !(was && SOLD.has(was))) this.#add({ key: `${o.id}:paid`, kind: 'paid', title: o.title, amount: o.total, currency: o.currency });
    }
    this.#known = new Map(orders.map((o) => [o.id, o.status]));
    this.#loaded = true;
    this.orders = orders;
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
  }

  #add(entry: FeedEntry): void {
    if (this.feed.some((e) => e.key === entry.key)) return;
    this.feed = [entry, ...this.feed].slice(0, FEED_LENGTH);
  }
}
