import type { AuctionEvent, LotDto } from '$shared/auctions';
import type { RealtimeClient } from '$lib/realtime/realtime-client';
import { applyLotEvent, LotEventSequencer } from './lot-events';

export type AuctionMoment = 'outbid' | null;

/**
 * A show's running lot as this browser sees it. Events are applied strictly in
 * `seq` order (see `LotEventSequencer`), and every (re)join starts from a fresh snapshot.
 */
export class AuctionRoom {
  lot = $state<LotDto | null>(null);
  events = $state<AuctionEvent[]>([]);
  myMax = $state<number | null>(null);
  moment = $state<AuctionMoment>(null);

  readonly #showId: string;
  readonly #client: RealtimeClient;
  readonly #userId: string | null;
  #unsubscribe: (() => void)[] = [];
  readonly #sequencer = new LotEventSequencer({
    seqOf: (lotId) => (this.lot?.id === lotId ? this.lot.seq : null),
    apply: (e) => this.#apply(e),
    eventsAfter: async (lotId, afterSeq) => (await this.#client.request('lotEvents', { lotId, afterSeq })).events,
    snapshot: () => this.refresh()
  });

  constructor(showId: string, client: RealtimeClient, userId: string | null) {
    this.#showId = showId;
    this.#client = client;
    this.#userId = userId;
    this.#unsubscribe.push(
      client.on('auctionEvents', ({ lotId, events }) => void this.#sequencer.receive(lotId, events)),
      client.on('lotChanged', ({ lot }) => {
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
    const snap = await this.#client.request('auctionSnapshot', { showId: this.#showId });
    this.lot = snap.lot;
    this.events = snap.events;
    this.myMax = snap.myMax;
  }

  /** A one-tap bid at the shown next amount, or a typed amount. */
  async bid(amount?: number): Promise<void> {
    const lot = this.lot;
    if (!lot) return;
    await this.#client.request('bid', amount === undefined ? { lotId: lot.id, expected: lot.nextMinimum } : { lotId: lot.id, amount });
    this.moment = null;
  }

  async setMax(maxAmount: number): Promise<void> {
    if (!this.lot) return;
    const r = await this.#client.request('setMaxBid', { lotId: this.lot.id, maxAmount });
    this.myMax = r.myMax;
    this.moment = null;
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
  }

  #apply(e: AuctionEvent): void {
    const wasLeading = this.leading;
    applyLotEvent(this.lot!, e);
    if (e.type === 'bid' && wasLeading && !this.leading) this.moment = 'outbid';
    if (e.type === 'closed') this.moment = null;
    this.events.push(e);
  }
}
