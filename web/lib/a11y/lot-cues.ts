import type { AuctionEvent } from '$shared/auctions';

export type LotCue =
  | { kind: 'bid'; who: string; amount: number }
  | { kind: 'closed'; result: 'sold' | 'unsold' | 'cancelled'; price: number | null };

/**
 * What of a lot's events is worth saying to a screen reader: the newest bid and the close.
 * The events already there when a lot is first seen (its snapshot) count as heard, and a burst
 * of bids (max bids answering each other) is said as its last one.
 */
export class LotCues {
  /** undefined: nothing seen yet; null: seen with no lot. */
  #lotId: string | null | undefined = undefined;
  #lastSeq = 0;

  next(lotId: string | null, events: readonly AuctionEvent[]): LotCue[] {
    const newest = events.reduce((max, e) => Math.max(max, e.seq), 0);
    if (lotId !== this.#lotId) {
      this.#lotId = lotId;
      this.#lastSeq = newest;
      return [];
    }
    const fresh = events.filter((e) => e.seq > this.#lastSeq);
    this.#lastSeq = Math.max(this.#lastSeq, newest);
    const cues: LotCue[] = [];
    const bid = fresh.findLast((e) => e.type === 'bid');
    if (bid?.type === 'bid') cues.push({ kind: 'bid', who: bid.bidder.displayName, amount: bid.amount });
    const closed = fresh.find((e) => e.type === 'closed');
    if (closed?.type === 'closed') cues.push({ kind: 'closed', result: closed.result, price: closed.price });
    return cues;
  }
}
