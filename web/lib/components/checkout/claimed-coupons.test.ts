import { describe, expect, it } from 'vitest';
import { couponFor, previewDiscount, readClaimed, type ClaimedCoupon } from './claimed-coupons';

const tenPercent: ClaimedCoupon = { showId: 'show-1', code: 'TEN', discountKind: 'percent', discountValue: 10, currency: null, expiresAt: 2_000 };
const fiveDollars: ClaimedCoupon = { showId: 'show-1', code: 'FIVE', discountKind: 'amount', discountValue: 500, currency: 'USD', expiresAt: 2_000 };

describe('a claimed coupon at checkout', () => {
  it('applies to an order from its show, unexpired and in its currency', () => {
    expect(couponFor([tenPercent], { showId: 'show-1', currency: 'KRW' }, 1_000)).toBe(tenPercent);
    expect(couponFor([tenPercent], { showId: 'show-2', currency: 'USD' }, 1_000)).toBe(null);
    expect(couponFor([tenPercent], { showId: 'show-1', currency: 'USD' }, 2_000)).toBe(null);
    expect(couponFor([fiveDollars], { showId: 'show-1', currency: 'KRW' }, 1_000)).toBe(null);
  });

  it('shows the discount the server will give: a percentage rounded, never more than the subtotal', () => {
    expect(previewDiscount(tenPercent, 5_005)).toBe(501);
    expect(previewDiscount(fiveDollars, 5_000)).toBe(500);
    expect(previewDiscount(fiveDollars, 300)).toBe(300);
  });

  it('reads back only well-formed saved coupons', () => {
    expect(readClaimed(JSON.stringify([tenPercent, { code: 'X' }]))).toEqual([tenPercent]);
    expect(readClaimed('not json')).toEqual([]);
    expect(readClaimed(null)).toEqual([]);
  });
});
