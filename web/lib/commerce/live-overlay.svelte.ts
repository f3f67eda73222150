import type { OverlayState, ProductDto, StockUpdate } from '$shared/commerce';
import type { SignalingClient } from '$lib/realtime/signaling-client';

/**
 * The commerce layer over a show's video as this browser sees it: the whole
 * overlay on every (re)join and every host change, stock and poll tallies as they
 * move. Stock updates carry absolute levels, so applying the latest is enough.
 */
export class LiveOverlay {
  state = $state<OverlayState>({ notice: null, pinned: [], drop: null, coupon: null, poll: null });
  myVote = $state<number | null>(null);
  readonly #unsubscribe: (() => void)[];
  readonly #signaling: SignalingClient;
  readonly #showId: string;
  /** How far behind live this viewer's video is; host changes wait that long so they land with the video. */
  #delayMs = 0;

  constructor(showId: string, signaling: SignalingClient) {
    this.#showId = showId;
    this.#signaling = signaling;
    this.#unsubscribe = [
      signaling.onJoined((id) => {
        if (id === showId) void this.refresh();
      }),
      signaling.on('overlay', (s) => {
        if (this.#delayMs > 0) setTimeout(() => this.#set(s), this.#delayMs);
        else this.#set(s);
      }),
      signaling.on('stock', (u) => this.#applyStock(u)),
      signaling.on('pollResults', ({ pollId, votes }) => {
        if (this.state.poll?.id === pollId) this.state.poll.votes = votes;
      }),
      signaling.on('couponRemaining', ({ couponId, remaining }) => {
        if (this.state.coupon?.id === couponId) this.state.coupon.remaining = remaining;
      })
    ];
  }

  async refresh(): Promise<void> {
    this.#set(await this.#signaling.request('overlaySnapshot', { showId: this.#showId }));
  }

  async vote(option: number): Promise<void> {
    const poll = this.state.poll;
    if (!poll) return;
    const { votes } = await this.#signaling.request('vote', { showId: this.#showId, pollId: poll.id, option });
    poll.votes = votes;
    this.myVote = option;
  }

  /** LL-HLS viewers see the host's pins and drops when their video shows the host making them. */
  setVideoDelay(seconds: number | null): void {
    this.#delayMs = seconds ? Math.round(seconds * 1000) : 0;
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
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
