import type { Auctions } from '../auctions/auctions.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { Handlers } from './connection.ts';

/** Auction requests over ws; the caller's identity comes from the socket's session. */
export function auctionHandlers(user: PublicUser | null, auctions: Auctions): Pick<Handlers, 'auctionSnapshot' | 'bid' | 'setMaxBid' | 'lotEvents'> {
  return {
    auctionSnapshot: ({ showId }) => auctions.snapshot(showId, user?.id ?? null),
    bid: ({ lotId, amount, expected }) => auctions.bid(user, lotId, amount, expected),
    setMaxBid: ({ lotId, maxAmount }) => auctions.setMax(user, lotId, maxAmount),
    lotEvents: ({ lotId, afterSeq }) => ({ events: auctions.eventsAfter(lotId, afterSeq) })
  };
}
