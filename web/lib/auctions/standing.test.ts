import { describe, expect, it } from 'vitest';
import { auctionStanding } from './standing';

const ann = { id: 'u-ann', displayName: 'Ann' };
const ben = { id: 'u-ben', displayName: 'Ben' };

describe('a bidder’s standing on a lot', () => {
  it('is leading while they hold the top bid, outbid once someone else does', () => {
    expect(auctionStanding({ status: 'live', leader: ann, winnerId: null }, ann.id, true)).toBe('leading');
    expect(auctionStanding({ status: 'live', leader: ben, winnerId: null }, ann.id, true)).toBe('outbid');
  });

  it('says nothing to someone who never bid, or is signed out', () => {
    expect(auctionStanding({ status: 'live', leader: ben, winnerId: null }, ann.id, false)).toBe(null);
    expect(auctionStanding({ status: 'sold', leader: ben, winnerId: ben.id }, ann.id, false)).toBe(null);
    expect(auctionStanding({ status: 'live', leader: ann, winnerId: null }, null, true)).toBe(null);
  });

  it('is won or lost once the lot closes', () => {
    expect(auctionStanding({ status: 'sold', leader: ann, winnerId: ann.id }, ann.id, true)).toBe('won');
    expect(auctionStanding({ status: 'sold', leader: ben, winnerId: ben.id }, ann.id, true)).toBe('lost');
    // The reserve was not met: the top bidder does not win either.
    expect(auctionStanding({ status: 'unsold', leader: ann, winnerId: null }, ann.id, true)).toBe('lost');
  });
});
