import type { LotDto } from '$shared/auctions';

/** Where this bidder stands on the lot: exactly one of these, or null when they have not taken part. */
export type AuctionStanding = 'leading' | 'outbid' | 'won' | 'lost' | null;

/**
 * Derived from the lot alone, so a snapshot, a replayed event and a live push all say the same:
 * a bidder is never "leading" and "outbid" at once.
 */
export function auctionStanding(
  lot: Pick<LotDto, 'status' | 'winnerId' | 'leader'> | null,
  userId: string | null,
  tookPart: boolean
): AuctionStanding {
  if (!lot || userId === null) return null;
  switch (lot.status) {
    case 'live':
      if (lot.leader?.id === userId) return 'leading';
      return tookPart ? 'outbid' : null;
    case 'sold':
      if (lot.winnerId === userId) return 'won';
      return tookPart ? 'lost' : null;
    case 'unsold':
    case 'cancelled':
      return tookPart ? 'lost' : null;
    case 'queued':
      return null;
  }
}
