import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { couponClaims, coupons, shows, type CouponRow, type OrderRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import { TypedEmitter } from '../events.ts';
import type { Participation } from '../chat/chat-moderation.ts';
import type { CouponDto } from '#shared/commerce.ts';
import type { z } from 'zod';
import type { createCouponSchema } from '#shared/commerce.ts';

/**
 * Show coupons: limited claims (taken atomically), one claim per buyer, each good for one
 * order of the show's host, never for more than that order's items.
 */
export interface CouponsEvents extends Record<string, unknown[]> {
  claimed: [showId: string, coupon: CouponDto];
}

export class Coupons extends TypedEmitter<CouponsEvents> {
  readonly #db: Db;
  readonly #participation: Participation;
  readonly #now: () => number;

  constructor(db: Db, participation: Participation, now: () => number = Date.now) {
    super();
    this.#db = db;
    this.#participation = participation;
    this.#now = now;
  }

  create(showId: string, input: z.output<typeof createCouponSchema>): CouponDto {
    if (this.#db.select().from(coupons).where(and(eq(coupons.showId, showId), eq(coupons.code, input.code))).get()) {
      throw new AppError('conflict', 'This show already has a coupon with that code.');
    }
    const row = this.#db
      .insert(coupons)
      .values({ id: newId(), showId, code: input.code, discountKind: input.discountKind, discountValue: input.discountValue, currency: input.currency ?? null, maxClaims: input.maxClaims, expiresAt: this.#now() + input.durationSeconds * 1000 })
      .returning()
      .get();
    return toCouponDto(row);
  }

  get(id: string): CouponRow {
    const row = this.#db.select().from(coupons).where(eq(coupons.id, id)).get();
    if (!row) throw new AppError('not_found', 'No such coupon.');
    return row;
  }

  async claim(buyerId: string, couponId: string): Promise<CouponDto> {
    // Who may take part is asked before the transaction, which runs in one go.
    await this.#participation.assertMayTakePart(this.get(couponId).showId, buyerId);
    const now = this.#now();
    const claimed = this.#db.transaction(() => {
      const coupon = this.get(couponId);
      if (coupon.expiresAt <= now) throw new AppError('invalid_state', 'This coupon has expired.', { reason: 'coupon_expired' });
      if (this.#db.select().from(couponClaims).where(and(eq(couponClaims.couponId, couponId), eq(couponClaims.buyerId, buyerId))).get()) {
        throw new AppError('conflict', 'You already claimed this coupon.', { reason: 'coupon_claimed' });
      }
      const r = this.#db
        .update(coupons)
        .set({ claimed: sql`${coupons.claimed} + 1` })
        .where(and(eq(coupons.id, couponId), sql`${coupons.claimed} < ${coupons.maxClaims}`, gt(coupons.expiresAt, now)))
        .run();
      if (r.changes !== 1) throw new AppError('conflict', 'All of these coupons have been claimed.', { reason: 'coupons_gone' });
      this.#db.insert(couponClaims).values({ couponId, buyerId, claimedAt: now }).run();
      return this.get(couponId);
    });
    this.emit('claimed', claimed.showId, toCouponDto(claimed));
    return toCouponDto(claimed);
  }

  /**
   * The discount a claimed, unused, unexpired coupon gives on `order`: only an order bought in
   * the coupon's show from that show's host, in the coupon's currency, and at most `subtotal`.
   */
  discountFor(buyerId: string, order: Pick<OrderRow, 'id' | 'showId' | 'sellerId' | 'currency'>, code: string, subtotal: number): { couponId: string; discount: number } {
    const found = order.showId
      ? this.#db.select({ coupon: coupons, hostId: shows.hostId }).from(coupons).innerJoin(shows, eq(shows.id, coupons.showId)).where(and(eq(coupons.showId, order.showId), eq(coupons.code, code.toUpperCase()))).get()
      : undefined;
    if (!found || found.hostId !== order.sellerId) throw new AppError('not_found', 'That coupon code does not apply to this order.', { reason: 'coupon_not_applicable' });
    const { coupon } = found;
    if (coupon.expiresAt <= this.#now()) throw new AppError('invalid_state', 'This coupon has expired.', { reason: 'coupon_expired' });
    if (coupon.discountKind === 'amount' && coupon.currency !== order.currency) {
      throw new AppError('invalid_state', `This coupon is for orders in ${coupon.currency ?? 'another currency'}.`, {
        reason: 'coupon_currency',
        ...(coupon.currency && { currency: coupon.currency })
      });
    }
    const claim = this.#db.select().from(couponClaims).where(and(eq(couponClaims.couponId, coupon.id), eq(couponClaims.buyerId, buyerId))).get();
    if (!claim) throw new AppError('invalid_state', 'Claim this coupon during the show before using it.', { reason: 'coupon_not_claimed' });
    if (claim.orderId && claim.orderId !== order.id) throw new AppError('conflict', 'You already used this coupon.', { reason: 'coupon_used' });
    const raw = coupon.discountKind === 'amount' ? coupon.discountValue : Math.round((subtotal * coupon.discountValue) / 100);
    return { couponId: coupon.id, discount: Math.max(0, Math.min(subtotal, raw)) };
  }

  /**
   * Marks the buyer's claim used by this order in one conditional write, so two payments
   * racing with one coupon cannot both get it. Call inside the transaction that records the payment attempt.
   */
  use(couponId: string, buyerId: string, orderId: string): void {
    const r = this.#db
      .update(couponClaims)
      .set({ orderId })
      .where(and(eq(couponClaims.couponId, couponId), eq(couponClaims.buyerId, buyerId), or(isNull(couponClaims.orderId), eq(couponClaims.orderId, orderId))))
      .run();
    if (r.changes !== 1) throw new AppError('conflict', 'You already used this coupon.', { reason: 'coupon_used' });
  }

  /** Gives the claim back after a payment that did not go through. */
  release(couponId: string, buyerId: string, orderId: string): void {
    this.#db.update(couponClaims).set({ orderId: null }).where(and(eq(couponClaims.couponId, couponId), eq(couponClaims.buyerId, buyerId), eq(couponClaims.orderId, orderId))).run();
  }
}

export function toCouponDto(r: CouponRow): CouponDto {
  return { id: r.id, code: r.code, discountKind: r.discountKind, discountValue: r.discountValue, currency: r.currency, remaining: r.maxClaims - r.claimed, expiresAt: r.expiresAt };
}
