import { describe, expect, it } from 'vitest';
import type { AuctionEvent, LotDto } from '#shared/auctions.ts';
import { nextDemoBidder } from './demo-bidding.ts';

const demo = ['d0', 'd1', 'd2'];
const pace = { bidEveryMs: 5_000 };
const lot = (over: Partial<LotDto> = {}): LotDto =>
  ({ id: 'lot', status: 'live', endsAt: 40_000, counterBidSeconds: 10, leader: null, ...over }) as LotDto;
const started: AuctionEvent = { seq: 1, at: 0, type: 'started', endsAt: 40_000, price: null, nextMinimum: 500 };
const bid = (at: number, bidder: string, endsAt = 40_000): AuctionEvent =>
  ({ seq: 2, at, type: 'bid', bidder: { id: bidder, displayName: bidder }, amount: 500, auto: false, endsAt, nextMinimum: 600, reserveMet: true });

describe('nextDemoBidder', () => {
  it('bids once the pace allows, and never as the leader', () => {
    expect(nextDemoBidder(lot(), [started], demo, 4_000, pace)).toBeNull();
    expect(nextDemoBidder(lot(), [started], demo, 5_000, pace)).toBe(1);
    const led = lot({ leader: { id: 'd2', displayName: 'd2' } });
    const events = [started, bid(5_000, 'd0'), bid(10_000, 'd2')];
    expect(nextDemoBidder(led, events, demo, 15_000, pace)).toBe(0);
  });

  it('steps aside for a real buyer who leads', () => {
    expect(nextDemoBidder(lot({ leader: { id: 'buyer', displayName: 'Ann' } }), [started], demo, 20_000, pace)).toBeNull();
  });

  it('bids once halfway into the closing window, and not again after the soft close extended the lot', () => {
    const events = [started, bid(25_000, 'd1')];
    const leader = { id: 'd1', displayName: 'd1' };
    expect(nextDemoBidder(lot({ leader }), events, demo, 33_000, pace)).toBeNull();
    expect(nextDemoBidder(lot({ leader }), events, demo, 36_000, pace)).toBe(2);
    const extended = [...events, bid(36_000, 'd2', 46_000)];
    expect(nextDemoBidder(lot({ leader: { id: 'd2', displayName: 'd2' }, endsAt: 46_000 }), extended, demo, 41_000, pace)).toBeNull();
  });

  it('does nothing on a lot that is not running', () => {
    expect(nextDemoBidder(lot({ status: 'sold' }), [started], demo, 10_000, pace)).toBeNull();
  });
});
