import type { AuctionEvent, LotDto } from '$shared/auctions';
import type { RealtimeClient } from '$lib/realtime/realtime-client';

export type AuctionMoment = 'outbid' | null;

/**
 * A show's running lot as this browser sees it. Events are applied strictly in
 * `seq` order: a duplicate is ignored, a gap is filled from the server before
 * anything later is applied, and every (re)join starts from a fresh snapshot.
 */
export class AuctionRoom {
  lot = $state<LotDto | null>(null);
  events = $state<AuctionEvent[]>([]);
  myMax = $state<number | null>(null);
  moment = $state<AuctionMoment>(null);

  readonly #showId: string;
  readonly #signaling: RealtimeClient;
  readonly #userId: string | null;
  #unsubscribe: (() => void)[] = [];
  #catchingUp: Promise<void> | null = null;

  constructor(showId: string, signaling: RealtimeClient, userId: string | null) {
    this.#showId = showId;
    this.#signaling = signaling;
    this.#userId = userId;
    this.#unsubscribe.push(
      signaling.on('auctionEvents', ({ lotId, events }) => void this.#receive(lotId, events)),
      signaling.on('lotChanged', ({ lot }) => {
        if (lot.showId === showId && (lot.status === 'live' || lot.id === this.lot?.id)) void this.refresh();
      })
    );
  }

  /** Derived from the lot, not from the closing event: a snapshot taken after the close must say it too. */
  get won(): boolean {
    return this.#userId !== null && this.lot?.status === 'sold' && this.lot.winnerId === this.#userId;
  }

  get leading(): boolean {
    return this.#userId !== null && this.lot?.leader?.id === this.#userId;
  }

  async refresh(): Promise<void> {
    const snap = await this.#signaling.request('auctionSnapshot', { showId: this.#showId });
    this.lot = snap.lot;
    this.events = snap.events;
    this.myMax = snap.myMax;
  }

  /** A one-tap bid at the shown next amount, or a typed amount. */
  async bid(amount?: number): Promise<void> {
    const lot = this.lot;
    if (!lot) return;
    await this.#signaling.request('bid', amount === undefined ? { lotId: lot.id, expected: lot.nextMinimum } : { lotId: lot.id, amount });
    this.moment = null;
  }

  async setMax(maxAmount: number): Promise<void> {
    if (!this.lot) return;
    const r = await this.#signaling.request('setMaxBid', { lotId: this.lot.id, maxAmount });
    this.myMax = r.myMax;
    this.moment = null;
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
  }

  async #receive(lotId: string, events: AuctionEvent[]): Promise<void> {
    if (this.#catchingUp) await this.#catchingUp;
    if (!this.lot || lotId !== this.lot.id) return void this.refresh();
    for (const e of events) {
      const last = this.lot.seq;
      if (e.seq <= last) continue;
      if (e.seq > last + 1) {
        this.#catchingUp = this.#fill(lotId, last);
        await this.#catchingUp;
        this.#catchingUp = null;
        if (e.seq <= this.lot.seq) continue;
      }
      this.#apply(e);
    }
  }

  async #fill(lotId: string, afterSeq: number): Promise<void> {
    const { events } = await this.#signaling.request('lotEvents', { lotId, afterSeq });
    for (const e of events) if (this.lot && e.seq === this.lot.seq + 1) this.#apply(e);
  }

  #apply(e: AuctionEvent): void {
    const lot = this.lot!;
    const wasLeading = this.leading;
    lot.seq = e.seq;
    switch (e.type) {
      case 'started':
        lot.status = 'live';
        lot.endsAt = e.endsAt;
        lot.nextMinimum = e.nextMinimum;
        break;
      case 'resumed':
        lot.endsAt = e.endsAt;
        break;
      case 'bid':
        lot.price = e.amount;
        lot.leader = e.bidder;
        lot.endsAt = e.endsAt;
        lot.nextMinimum = e.nextMinimum;
        lot.reserveMet = e.reserveMet;
        lot.bidCount += 1;
        if (wasLeading && !this.leading) this.moment = 'outbid';
        break;
      case 'closed':
        lot.status = e.result;
        lot.winnerId = e.winner?.id ?? null;
        this.moment = null;
        break;
    }
    this.events.push(e);
  }
}
