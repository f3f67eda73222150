import { describe, expect, it } from 'vitest';
import type { AuctionEvent, LotDto } from '$shared/auctions';
import type { RealtimeClient } from '$lib/realtime/realtime-client';
import { AuctionRoom } from './auction-room.svelte';

const ann = { id: 'u-ann', displayName: 'Ann' };
const ben = { id: 'u-ben', displayName: 'Ben' };

const liveLot: LotDto = {
  id: 'lot-1', showId: 'show-1', title: 'Vase', description: '', imageUrl: null, currency: 'USD', startingPrice: 1000,
  hasReserve: false, reserveMet: true, durationSeconds: 60, counterBidSeconds: 10, mode: 'standard',
  increments: [{ increment: 100 }], status: 'live', position: 0, endsAt: 61_000, price: 1000, leader: ann,
  nextMinimum: 1100, bidCount: 1, seq: 2, winnerId: null
};

const bid = (seq: number, amount: number, bidder: typeof ann): AuctionEvent =>
  ({ seq, at: seq, type: 'bid', bidder, amount, auto: false, endsAt: 61_000, nextMinimum: amount + 100, reserveMet: true });

/** The requests and notifications an AuctionRoom uses, answered from a server-side event log. */
function fakeClient(log: AuctionEvent[]) {
  const handlers = new Map<string, (data: never) => void>();
  const requests: string[] = [];
  const client = {
    on: (name: string, handler: (data: never) => void) => (handlers.set(name, handler), () => handlers.delete(name)),
    request: async (method: string, data: { afterSeq?: number }) => {
      requests.push(method);
      if (method === 'auctionSnapshot') return { lot: structuredClone(liveLot), events: [], myMax: null };
      if (method === 'lotEvents') return { events: log.filter((e) => e.seq > data.afterSeq!) };
      throw new Error(`unexpected ${method}`);
    }
  };
  const push = async (events: AuctionEvent[]) => {
    handlers.get('auctionEvents')!({ lotId: 'lot-1', events } as never);
    await new Promise((r) => setTimeout(r, 0));
  };
  return { client: client as unknown as RealtimeClient, requests, push };
}

describe('a bidder’s view of the running lot', () => {
  it('tells the leader they were outbid, and the winner that they won', async () => {
    const log = [bid(3, 1100, ben), { seq: 4, at: 4, type: 'closed', result: 'sold', winner: ben, price: 1100 } as const];
    const { client, push } = fakeClient(log);
    const asAnn = new AuctionRoom('show-1', client, ann.id);
    await asAnn.refresh();
    expect(asAnn.leading).toBe(true);

    await push([log[0]!]);
    expect(asAnn.lot).toMatchObject({ price: 1100, leader: ben, bidCount: 2, seq: 3 });
    expect(asAnn.leading).toBe(false);
    expect(asAnn.standing).toBe('outbid');

    await push([log[1]!]);
    expect(asAnn.standing).toBe('lost');
    expect(asAnn.events.map((e) => e.seq)).toEqual([3, 4]);
    asAnn.close();
  });

  it('fills a gap from the lot’s events rather than skipping a bid', async () => {
    const log = [bid(3, 1100, ben), bid(4, 1200, ann)];
    const { client, push, requests } = fakeClient(log);
    const asBen = new AuctionRoom('show-1', client, ben.id);
    await asBen.refresh();
    await push([log[1]!]);
    expect(requests).toEqual(['auctionSnapshot', 'lotEvents']);
    expect(asBen.events.map((e) => e.seq)).toEqual([3, 4]);
    expect(asBen.lot).toMatchObject({ price: 1200, leader: ann, bidCount: 3, seq: 4 });
    expect(asBen.standing).toBe('outbid');
    asBen.close();
  });

  it('shows one standing at a time: a maximum that bids back makes the bidder lead, not outbid', async () => {
    const log = [bid(3, 1100, ben), { ...bid(4, 1200, ann), auto: true }];
    const { client, push } = fakeClient(log);
    const asAnn = new AuctionRoom('show-1', client, ann.id);
    await asAnn.refresh();
    await push([log[0]!]);
    expect(asAnn.standing).toBe('outbid');
    await push([log[1]!]);
    expect(asAnn.standing).toBe('leading');
    asAnn.close();
  });

  it('says nothing to a watcher who never bid', async () => {
    const { client, push } = fakeClient([bid(3, 1100, ben)]);
    const asCy = new AuctionRoom('show-1', client, 'u-cy');
    await asCy.refresh();
    await push([bid(3, 1100, ben)]);
    expect(asCy.standing).toBe(null);
    asCy.close();
  });
});
