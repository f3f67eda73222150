import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { CouponRow, OrderRow } from '../db/schema.ts';
import { AppError, brokenConstraint } from '../errors.ts';
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
  readonly #repo: Repo;
  readonly #participation: Participation;
  readonly #now: () => number;

  constructor(repo: Repo, participation: Participation, now: () => number = Date.now) {
    super();
    this.#repo = repo;
    this.#participation = participation;
    this.#now = now;
  }

  async create(showId: string, input: z.output<typeof createCouponSchema>): Promise<CouponDto> {
    const { db, t } = this.#repo;
    if (await this.#repo.one(db.select().from(t.coupons).where(and(eq(t.coupons.showId, showId), eq(t.coupons.code, input.code))))) {
      throw new AppError('conflict', 'This show already has a coupon with that code.');
    }
    const row = await this.#repo.one(
      db
        .insert(t.coupons)
        .values({ id: newId(), showId, code: input.code, discountKind: input.discountKind, discountValue: input.discountValue, currency: input.currency ?? null, maxClaims: input.maxClaims, expiresAt: this.#now() + input.durationSeconds * 1000 })
        .returning()
    );
    return toCouponDto(row!);
  }

  async get(id: string): Promise<CouponRow> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(db.select().from(t.coupons).where(eq(t.coupons.id, id)));
    if (!row) throw new AppError('not_found', 'No such coupon.');
    return row;
  }

  async claim(buyerId: string, couponId: string): Promise<CouponDto> {
    // Who may take part is asked before the transaction, which waits on nothing but the database.
    await this.#participation.assertMayTakePart((await this.get(couponId)).showId, buyerId);
    const now = this.#now();
    const claimed = await this.#repo.tx(async () => {
      const { db, t } = this.#repo;
      const coupon = await this.get(couponId);
      if (coupon.expiresAt <= now) throw new AppError('invalid_state', 'This coupon has expired.', { reason: 'coupon_expired' });
      // The claim row's key refuses a second claim however two requests interleave; this read only names the reason.
      if (await this.#repo.one(db.select().from(t.couponClaims).where(and(eq(t.couponClaims.couponId, couponId), eq(t.couponClaims.buyerId, buyerId))))) {
        throw new AppError('conflict', 'You already claimed this coupon.', { reason: 'coupon_claimed' });
      }
      const taken = await this.#repo.changes(
        db
          .update(t.coupons)
          .set({ claimed: sql`${t.coupons.claimed} + 1` })
          .where(and(eq(t.coupons.id, couponId), sql`${t.coupons.claimed} < ${t.coupons.maxClaims}`, gt(t.coupons.expiresAt, now)))
      );
      if (taken !== 1) throw new AppError('conflict', 'All of these coupons have been claimed.', { reason: 'coupons_gone' });
      try {
        await this.#repo.changes(db.insert(t.couponClaims).values({ couponId, buyerId, claimedAt: now }));
      } catch (err) {
        if (brokenConstraint(err) === 'unique') throw new AppError('conflict', 'You already claimed this coupon.', { reason: 'coupon_claimed' });
        throw err;
      }
      return this.get(couponId);
    });
    this.emit('claimed', claimed.showId, toCouponDto(claimed));
    return toCouponDto(claimed);
  }

  /**
   * The discount a claimed, unused, unexpired coupon gives on `order`: only an order bought in
   * the coupon's show from that show's host, in the coupon's currency, and at most `subtotal`.
   */
  async discountFor(buyerId: string, order: Pick<OrderRow, 'id' | 'showId' | 'sellerId' | 'currency'>, code: string, subtotal: number): Promise<{ couponId: string; discount: number }> {
    const { db, t } = this.#repo;
    const found = order.showId
      ? await this.#repo.one(
          db
            .select({ coupon: t.coupons, hostId: t.shows.hostId })
            .from(t.coupons)
            .innerJoin(t.shows, eq(t.shows.id, t.coupons.showId))
            .where(and(eq(t.coupons.showId, order.showId), eq(t.coupons.code, code.toUpperCase())))
        )
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
    const claim = await this.#repo.one(db.select().from(t.couponClaims).where(and(eq(t.couponClaims.couponId, coupon.id), eq(t.couponClaims.buyerId, buyerId))));
    if (!claim) throw new AppError('invalid_state', 'Claim this coupon during the show before using it.', { reason: 'coupon_not_claimed' });
    if (claim.orderId && claim.orderId !== order.id) throw new AppError('conflict', 'You already used this coupon.', { reason: 'coupon_used' });
    const raw = coupon.discountKind === 'amount' ? coupon.discountValue : Math.round((subtotal * coupon.discountValue) / 100);
    return { couponId: coupon.id, discount: Math.max(0, Math.min(subtotal, raw)) };
  }

  /**
   * Marks the buyer's claim used by this order in one conditional write, so two payments
   * racing with one coupon cannot both get it. Call inside the transaction that records the payment attempt.
   */
  async use(couponId: string, buyerId: string, orderId: string): Promise<void> {
    const { db, t } = this.#repo;
    const changed = await this.#repo.changes(
      db
        .update(t.couponClaims)
        .set({ orderId })
        .where(and(eq(t.couponClaims.couponId, couponId), eq(t.couponClaims.buyerId, buyerId), or(isNull(t.couponClaims.orderId), eq(t.couponClaims.orderId, orderId))))
    );
    if (changed !== 1) throw new AppError('conflict', 'You already used this coupon.', { reason: 'coupon_used' });
  }

  /** Gives the claim back after a payment that did not go through. */
  async release(couponId: string, buyerId: string, orderId: string): Promise<void> {
    const { db, t } = this.#repo;
    await this.#repo.changes(
      db.update(t.couponClaims).set({ orderId: null }).where(and(eq(t.couponClaims.couponId, couponId), eq(t.couponClaims.buyerId, buyerId), eq(t.couponClaims.orderId, orderId)))
    );
  }
}

export function toCouponDto(r: CouponRow): CouponDto {
  return { id: r.id, code: r.code, discountKind: r.discountKind, discountValue: r.discountValue, currency: r.currency, remaining: r.maxClaims - r.claimed, expiresAt: r.expiresAt };
}
