import type { AuctionEvent, LotDto } from '$shared/auctions';
import type { RealtimeClient } from '$lib/realtime/realtime-client';
import { applyLotEvent, LotEventSequencer } from './lot-events';
import { auctionStanding, type AuctionStanding } from './standing';

/**
 * A show's running lot as this browser sees it. Events are applied strictly in
 * `seq` order (see `LotEventSequencer`), and every (re)join starts from a fresh snapshot.
 */
export class AuctionRoom {
  lot = $state<LotDto | null>(null);
  events = $state<AuctionEvent[]>([]);
  myMax = $state<number | null>(null);
  /** The lot this browser's user has bid on (or led, or set a maximum for). */
  #tookPartIn = $state<string | null>(null);

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
  get standing(): AuctionStanding {
    return auctionStanding(this.lot, this.#userId, this.lot !== null && this.#tookPartIn === this.lot.id);
  }

  get leading(): boolean {
    return this.standing === 'leading';
  }

  async refresh(): Promise<void> {
    const snap = await this.#client.request('auctionSnapshot', { showId: this.#showId });
    this.lot = snap.lot;
    this.events = snap.events;
    this.myMax = snap.myMax;
    const me = this.#userId;
    if (snap.lot && (snap.myMax !== null || snap.lot.leader?.id === me || snap.events.some((e) => e.type === 'bid' && e.bidder.id === me))) {
      this.#tookPartIn = snap.lot.id;
    }
  }

  /** A one-tap bid at the shown next amount, or a typed amount. */
  async bid(amount?: number): Promise<void> {
    const lot = this.lot;
    if (!lot) return;
    await this.#client.request('bid', amount === undefined ? { lotId: lot.id, expected: lot.nextMinimum } : { lotId: lot.id, amount });
    this.#tookPartIn = lot.id;
  }

  async setMax(maxAmount: number): Promise<void> {
    if (!this.lot) return;
    const r = await this.#client.request('setMaxBid', { lotId: this.lot.id, maxAmount });
    this.myMax = r.myMax;
    this.#tookPartIn = this.lot.id;
  }

  close(): void {
    for (const u of this.#unsubscribe) u();
  }

  #apply(e: AuctionEvent): void {
    applyLotEvent(this.lot!, e);
    if (e.type === 'bid' && e.bidder.id === this.#userId) this.#tookPartIn = this.lot!.id;
    this.events.push(e);
  }
}
