import type { OverlayState, ProductDto, StockUpdate } from '$shared/commerce';
import type { RealtimeClient } from '$lib/realtime/realtime-client';
import { OverlaySync } from './overlay-sync';

/**
 * The commerce layer over a show's video as this browser sees it: the whole
 * overlay on every (re)join and every host change, stock and poll tallies as they
 * move. Stock updates carry absolute levels, so applying the latest is enough.
 * Host changes are timed to this viewer's video (see OverlaySync).
 */
export class LiveOverlay {
  state = $state<OverlayState>({ rev: 0, notice: null, pinned: [], drop: null, coupon: null, poll: null });
  myVote = $state<number | null>(null);
  readonly #unsubscribe: (() => void)[];
  readonly #client: RealtimeClient;
  readonly #showId: string;
  readonly #sync = new OverlaySync<OverlayState>((s) => this.#set(s));

  constructor(showId: string, client: RealtimeClient) {
    this.#showId = showId;
    this.#client = client;
    this.#unsubscribe = [
      client.on('overlay', (s) => this.#sync.offer(s)),
      client.on('stock', (u) => this.#applyStock(u)),
      client.on('pollResults', ({ pollId, votes }) => {
        if (this.state.poll?.id === pollId) this.state.poll.votes = votes;
      }),
      client.on('couponRemaining', ({ couponId, remaining }) => {
        if (this.state.coupon?.id === couponId) this.state.coupon.remaining = remaining;
      })
    ];
  }

  async refresh(): Promise<void> {
    this.#sync.reset(await this.#client.request('overlaySnapshot', { showId: this.#showId }));
  }

  async vote(option: number): Promise<void> {
    const poll = this.state.poll;
    if (!poll) return;
    const { votes } = await this.#client.request('vote', { showId: this.#showId, pollId: poll.id, option });
    poll.votes = votes;
    this.myVote = option;
  }

  /** The video plays over LL-HLS this many seconds behind live (null until the player has measured it). */
  followStream(seconds: number | null): void {
    this.#sync.followStream(seconds);
  }

  /** The video is live (WebRTC). */
  followLive(): void {
    this.#sync.followLive();
  }

  /** The player has the stream's mark of overlay revision `rev` ahead on its timeline. */
  videoWillReach(rev: number): void {
    this.#sync.marked(rev);
  }

  /** The video reached the stream's mark of overlay revision `rev`. */
  videoReached(rev: number): void {
    this.#sync.reached(rev);
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
    this.#sync.close();
  }

  #set(s: OverlayState): void {
    if (s.poll?.id !== this.state.poll?.id) this.myVote = null;
    this.state = s;
  }

  #applyStock(u: StockUpdate): void {
    const patch = (p: ProductDto) => {
      if (p.id !== u.productId) return;
      for (const v of p.variants) v.stock = u.variants.find((x) => x.id === v.id)?.stock ?? v.stock;
    };
    this.state.pinned.forEach(patch);
    const drop = this.state.drop;
    if (drop) {
      patch(drop.product);
      if (drop.sale && u.sale?.id === drop.sale.id) drop.sale.remaining = u.sale.remaining;
    }
  }
}
