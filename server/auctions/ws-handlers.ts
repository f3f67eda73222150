import type { PublicUser } from '#shared/auth.ts';
import type { RequestHandlers } from '#shared/protocol.ts';
import type { Auctions } from './auctions.ts';

/** Auction requests over ws; the caller's identity comes from the socket's session. */
export function auctionHandlers(user: PublicUser | null, auctions: Auctions): Pick<RequestHandlers, 'auctionSnapshot' | 'bid' | 'setMaxBid' | 'lotEvents'> {
  return {
    auctionSnapshot: ({ showId }) => auctions.snapshot(showId, user?.id ?? null),
    bid: ({ lotId, amount, expected }) => auctions.bid(user, lotId, amount, expected),
    setMaxBid: ({ lotId, maxAmount }) => auctions.setMax(user, lotId, maxAmount),
    lotEvents: async ({ lotId, afterSeq }) => ({ events: await auctions.eventsAfter(lotId, afterSeq) })
  };
}
