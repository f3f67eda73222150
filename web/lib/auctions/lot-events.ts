import type { AuctionEvent, LotDto } from '$shared/auctions';

/** Folds one event into the lot it belongs to; the caller has checked it is the next in `seq`. */
export function applyLotEvent(lot: LotDto, e: AuctionEvent): void {
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
      break;
    case 'closed':
      lot.status = e.result;
      lot.winnerId = e.winner?.id ?? null;
      break;
  }
}

/** What the sequencer needs from the room that holds the lot. */
export interface LotEventTarget {
  /** The `seq` of the last event applied to `lotId`, or null when that is not the lot held. */
  seqOf(lotId: string): number | null;
  apply(e: AuctionEvent): void;
  /** The lot's events after `afterSeq`, from the server. */
  eventsAfter(lotId: string, afterSeq: number): Promise<AuctionEvent[]>;
  /** Replaces the held lot with the server's current one. */
  snapshot(): Promise<void>;
}

/**
 * Applies pushed auction events strictly in `seq` order: a duplicate is ignored, a gap is
 * filled from the server before anything later is applied, and when the gap cannot be
 * filled (or the events are for another lot) a fresh snapshot replaces the lot.
 * Batches are handled one at a time, in arrival order, so a fill never interleaves with
 * a later batch; a failed request gives up that batch only.
 */
export class LotEventSequencer {
  readonly #target: LotEventTarget;
  #queue: Promise<void> = Promise.resolve();

  constructor(target: LotEventTarget) {
    this.#target = target;
  }

  /** Resolves once this batch (and every earlier one) has been applied or given up. */
  receive(lotId: string, events: readonly AuctionEvent[]): Promise<void> {
    this.#queue = this.#queue.then(() => this.#receive(lotId, events)).catch(() => {});
    return this.#queue;
  }

  async #receive(lotId: string, events: readonly AuctionEvent[]): Promise<void> {
    const t = this.#target;
    for (const e of events) {
      const seq = t.seqOf(lotId);
      if (seq === null) return t.snapshot();
      if (e.seq <= seq) continue;
      if (e.seq > seq + 1) {
        for (const missed of await t.eventsAfter(lotId, seq)) {
          const at = t.seqOf(lotId);
          if (at !== null && missed.seq === at + 1) t.apply(missed);
        }
        const filled = t.seqOf(lotId);
        if (filled === null || e.seq > filled + 1) return t.snapshot();
        if (e.seq <= filled) continue;
      }
      t.apply(e);
    }
  }
}
