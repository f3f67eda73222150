import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeConnection, settle } from '$lib/testing/fake-socket';
import type { OrderDto } from '$shared/orders';
import { StudioSales } from './studio-sales.svelte';

let orders: OrderDto[] = [];
vi.mock('$lib/api', () => ({ api: vi.fn(async () => ({ orders })) }));

const order = (id: string, status: OrderDto['status'], total: number): OrderDto => ({
  id, status, title: `Item ${id}`, currency: 'USD', subtotal: total, discount: 0, shipping: 0, taxRateBp: 0, tax: 0, total, lotId: null, showId: 's1', sellerId: 'h',
  payBy: null, createdAt: Number(id.slice(1)), items: [], tracking: null, refundReason: null
});

function setup() {
  const c = fakeConnection();
  const sales = new StudioSales('s1', c.client, (lotId) => (lotId === 'lot1' ? { title: 'Vase', currency: 'USD' } : null));
  c.socket.open();
  return { c, sales };
}

describe('the studio’s sales', () => {
  beforeEach(() => {
    orders = [];
  });

  it('counts paid orders and revenue net of refunds, rereading them when the room says they changed', async () => {
    const { c, sales } = setup();
    orders = [order('o1', 'paid', 5000)];
    await sales.refresh();
    expect(sales.soldCount).toBe(1);
    expect(sales.revenue).toEqual([{ currency: 'USD', amount: 5000 }]);

    orders = [order('o1', 'refunded', 5000), order('o2', 'pending_payment', 3000)];
    c.socket.notify('salesChanged', { showId: 's1' });
    await settle();
    expect(sales.soldCount).toBe(0);
    expect(sales.revenue).toEqual([]);
    expect(sales.feed[0]).toMatchObject({ kind: 'ordered', title: 'Item o2', amount: 3000 });

    orders = [order('o1', 'refunded', 5000), order('o2', 'paid', 3000)];
    c.socket.notify('salesChanged', { showId: 'another show' });
    await settle();
    expect(sales.soldCount).toBe(0);
    c.socket.notify('salesChanged', { showId: 's1' });
    await settle();
    expect(sales.feed[0]).toMatchObject({ kind: 'paid', title: 'Item o2' });
    expect(sales.revenue).toEqual([{ currency: 'USD', amount: 3000 }]);
    sales.close();
  });

  it('feeds the running lot’s bids and its close, newest first, once each', async () => {
    const { c, sales } = setup();
    const bid = { seq: 2, at: 1, type: 'bid' as const, bidder: { id: 'u1', displayName: 'Ann' }, amount: 1200, auto: false, endsAt: 9, nextMinimum: 1300, reserveMet: true };
    const closed = { seq: 3, at: 2, type: 'closed' as const, result: 'sold' as const, winner: { id: 'u1', displayName: 'Ann' }, price: 1200 };
    c.socket.notify('auctionEvents', { lotId: 'lot1', events: [bid] });
    c.socket.notify('auctionEvents', { lotId: 'lot1', events: [bid, closed] });
    c.socket.notify('auctionEvents', { lotId: 'unknown', events: [{ ...bid, seq: 9 }] });
    await settle();
    expect(sales.feed.map((e) => e.kind)).toEqual(['sold', 'bid']);
    expect(sales.feed[0]).toMatchObject({ who: 'Ann', amount: 1200, title: 'Vase' });
    sales.close();
  });

  it('feeds each new follower once', async () => {
    const { c, sales } = setup();
    c.socket.notify('newFollower', { follower: { id: 'u2', displayName: 'Ben' } });
    c.socket.notify('newFollower', { follower: { id: 'u2', displayName: 'Ben' } });
    await settle();
    expect(sales.feed).toEqual([{ key: 'follow:u2', kind: 'followed', who: 'Ben' }]);
    sales.close();
  });
});
