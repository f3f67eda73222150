import type { AuctionEvent, LotDto } from '#shared/auctions.ts';

/** How the demo bidders pace themselves in a lot. */
export interface BiddingPace {
  /** A demo bid this long after the last event, while the lot is not closing. */
  bidEveryMs: number;
}

/**
 * Which demo bidder bids next in the running lot, if any: one every `bidEveryMs` while the lot runs,
 * then, once, a late bid halfway into the closing window, which the soft close answers by extending
 * the lot; after that they stop and the lot sells. They never bid against someone who is not one of
 * them: a real buyer who leads keeps the lead. Returns an index into `bidderIds`, or null.
 */
export function nextDemoBidder(lot: LotDto, events: readonly AuctionEvent[], bidderIds: readonly string[], now: number, pace: BiddingPace): number | null {
  if (lot.status !== 'live' || lot.endsAt === null || bidderIds.length < 2) return null;
  if (lot.leader && !bidderIds.includes(lot.leader.id)) return null;
  const closingMs = lot.counterBidSeconds * 1000;
  const remaining = lot.endsAt - now;
  if (remaining <= 0) return null;
  const bids = events.filter((e): e is Extract<AuctionEvent, { type: 'bid' }> => e.type === 'bid');
  if (remaining <= closingMs) {
    // A bid in the closing window resets the clock to exactly that window: the soft close already showed.
    const extended = bids.some((b) => b.endsAt === b.at + closingMs);
    if (extended || remaining > closingMs / 2) return null;
  } else {
    const last = events.at(-1)?.at ?? now;
    if (now - last < pace.bidEveryMs) return null;
  }
  // Round-robin, never the leader (one cannot outbid oneself).
  const leader = lot.leader ? bidderIds.indexOf(lot.leader.id) : -1;
  const next = (bids.length + 1) % bidderIds.length;
  return next === leader ? (next + 1) % bidderIds.length : next;
}
