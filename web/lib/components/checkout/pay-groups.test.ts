import { describe, expect, it } from 'vitest';
import { MAX_ORDERS_PAID_TOGETHER, type OrderDto } from '$shared/orders';
import { payGroups } from './pay-groups';

let n = 0;
const order = (o: Partial<OrderDto>): OrderDto => ({
  id: `o${++n}`, status: 'pending_payment', title: 'Lamp', currency: 'USD', subtotal: 2000, discount: 0, shipping: 500, taxRateBp: 0, tax: 0, total: 2500,
  lotId: null, showId: 'show-1', sellerId: 'seller-1', payBy: null, createdAt: 0, items: [], tracking: null, refundReason: null, ...o
});

describe('orders that can be paid together', () => {
  it('groups two or more unpaid orders from one show, seller and currency', () => {
    const [a, b, c] = [order({}), order({ lotId: 'lot-1' }), order({})];
    expect(payGroups([a, b, c])).toEqual([{ key: 'show-1|seller-1|USD', orders: [a, b, c] }]);
  });

  it('leaves out paid and cancelled orders, lone ones, and orders from elsewhere', () => {
    const orders = [
      order({}),
      order({ status: 'paid' }),
      order({ status: 'cancelled' }),
      order({ showId: 'show-2' }),
      order({ sellerId: 'seller-2' }),
      order({ currency: 'KRW' }),
      order({ showId: null })
    ];
    expect(payGroups(orders)).toEqual([]);
  });

  it('keeps each show’s group apart and caps a group at what one charge may pay for', () => {
    const many = Array.from({ length: MAX_ORDERS_PAID_TOGETHER + 2 }, () => order({ showId: 'show-3' }));
    const pair = [order({}), order({})];
    const groups = payGroups([...many, ...pair]);
    expect(groups.map((g) => [g.key, g.orders.length])).toEqual([['show-3|seller-1|USD', MAX_ORDERS_PAID_TOGETHER], ['show-1|seller-1|USD', 2]]);
  });
});
