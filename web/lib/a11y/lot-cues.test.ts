import { describe, expect, it } from 'vitest';
import type { AuctionEvent } from '$shared/auctions';
import { LotCues } from './lot-cues';

const bid = (seq: number, who: string, amount: number): AuctionEvent => ({
  seq, at: seq, type: 'bid', bidder: { id: who, displayName: who }, amount, auto: false, endsAt: 0, nextMinimum: amount + 100, reserveMet: true
});
const started: AuctionEvent = { seq: 1, at: 1, type: 'started', endsAt: 0, price: null, nextMinimum: 1000 };

describe('LotCues', () => {
  it('counts the snapshot as heard and says each new bid after it', () => {
    const cues = new LotCues();
    expect(cues.next(null, [])).toEqual([]);
    const events = [started, bid(2, 'Ann', 1000)];
    expect(cues.next('lot1', events)).toEqual([]);
    events.push(bid(3, 'Ben', 1100));
    expect(cues.next('lot1', events)).toEqual([{ kind: 'bid', who: 'Ben', amount: 1100 }]);
    expect(cues.next('lot1', events)).toEqual([]);
  });

  it('says a burst of bids as its last one, then the close', () => {
    const cues = new LotCues();
    const events: AuctionEvent[] = [started];
    cues.next('lot1', events);
    events.push(bid(2, 'Ann', 1000), bid(3, 'Ben', 1100), bid(4, 'Ann', 1200));
    events.push({ seq: 5, at: 5, type: 'closed', result: 'sold', winner: { id: 'Ann', displayName: 'Ann' }, price: 1200 });
    expect(cues.next('lot1', events)).toEqual([
      { kind: 'bid', who: 'Ann', amount: 1200 },
      { kind: 'closed', result: 'sold', price: 1200 }
    ]);
  });

  it('starts over, silently, on the next lot', () => {
    const cues = new LotCues();
    cues.next('lot1', [started]);
    expect(cues.next('lot2', [started, bid(2, 'Cy', 500)])).toEqual([]);
    expect(cues.next('lot2', [started, bid(2, 'Cy', 500), bid(3, 'Di', 600)])).toEqual([{ kind: 'bid', who: 'Di', amount: 600 }]);
  });
});
