import { z } from 'zod';
import { CURRENCIES } from '$shared/money';
import type { CouponDto } from '$shared/commerce';
import type { OrderDto } from '$shared/orders';

const KEY = 'hawker.coupons';

const claimedSchema = z.object({
  showId: z.string().min(1),
  code: z.string().min(1).max(40),
  discountKind: z.enum(['amount', 'percent']),
  discountValue: z.number().int().nonnegative(),
  currency: z.enum(CURRENCIES).nullable(),
  expiresAt: z.number()
});
/** A coupon this browser's buyer claimed during a show; the server checks it again at payment. */
export type ClaimedCoupon = z.infer<typeof claimedSchema>;

export function readClaimed(saved: string | null): ClaimedCoupon[] {
  try {
    const raw: unknown = JSON.parse(saved ?? '[]');
    return Array.isArray(raw) ? raw.flatMap((c) => (claimedSchema.safeParse(c).data ?? [])) : [];
  } catch {
    return [];
  }
}

/** The claimed coupon that can apply to `order` (same show, not expired, right currency), if any. */
export function couponFor(claimed: readonly ClaimedCoupon[], order: Pick<OrderDto, 'showId' | 'currency'>, now: number): ClaimedCoupon | null {
  return claimed.find((c) => c.showId === order.showId && c.expiresAt > now && (c.discountKind === 'percent' || c.currency === order.currency)) ?? null;
}

/** The discount shown before paying; the server computes the same and charges its own figure. */
export function previewDiscount(coupon: Pick<ClaimedCoupon, 'discountKind' | 'discountValue'>, subtotal: number): number {
  const raw = coupon.discountKind === 'amount' ? coupon.discountValue : Math.round((subtotal * coupon.discountValue) / 100);
  return Math.max(0, Math.min(subtotal, raw));
}

export const loadClaimed = (): ClaimedCoupon[] => readClaimed(localStorage.getItem(KEY));

export function rememberClaim(showId: string, coupon: CouponDto): void {
  const others = loadClaimed().filter((c) => c.showId !== showId || c.code !== coupon.code);
  const { code, discountKind, discountValue, currency, expiresAt } = coupon;
  localStorage.setItem(KEY, JSON.stringify([...others, { showId, code, discountKind, discountValue, currency, expiresAt }]));
}

/** A coupon is good for one order: once paid with, checkout stops offering it. */
export function forgetClaim(showId: string | null, code: string): void {
  localStorage.setItem(KEY, JSON.stringify(loadClaimed().filter((c) => c.showId !== showId || c.code !== code.toUpperCase())));
}
