import { sql } from 'drizzle-orm';
import { pgTable, text, integer, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/pg-core';
import { CURRENCIES } from '#shared/money.ts';
import { createdAt, requiredRef, timestamp } from '../columns.ts';
import { users } from './accounts.ts';
import { shows } from './shows.ts';
import { products } from './catalog.ts';

export const flashSales = pgTable(
  'flash_sales',
  {
    id: text('id').primaryKey(),
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    productId: requiredRef('product_id', () => products.id, 'cascade'),
    discountKind: text('discount_kind', { enum: ['price', 'percent'] }).notNull(),
    discountValue: integer('discount_value').notNull(),
    /** Units this sale may sell in total; `sold` counts held and paid units. */
    quantity: integer('quantity').notNull(),
    sold: integer('sold').notNull().default(0),
    perBuyerLimit: integer('per_buyer_limit').notNull(),
    startsAt: timestamp('starts_at').notNull(),
    endsAt: timestamp('ends_at').notNull(),
    createdAt: createdAt()
  },
  (t) => [index('flash_sales_show_idx').on(t.showId), check('flash_sales_not_oversold', sql`${t.sold} >= 0 AND ${t.sold} <= ${t.quantity}`)]
);

export const coupons = pgTable(
  'coupons',
  {
    id: text('id').primaryKey(),
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    code: text('code').notNull(),
    discountKind: text('discount_kind', { enum: ['amount', 'percent'] }).notNull(),
    discountValue: integer('discount_value').notNull(),
    /** An amount coupon's currency; it applies only to orders in that currency. */
    currency: text('currency', { enum: CURRENCIES }),
    maxClaims: integer('max_claims').notNull(),
    claimed: integer('claimed').notNull().default(0),
    expiresAt: timestamp('expires_at').notNull(),
    createdAt: createdAt()
  },
  (t) => [uniqueIndex('coupons_code_idx').on(t.showId, t.code), check('coupons_claims_bounded', sql`${t.claimed} <= ${t.maxClaims}`)]
);

export const couponClaims = pgTable(
  'coupon_claims',
  {
    couponId: requiredRef('coupon_id', () => coupons.id, 'cascade'),
    buyerId: requiredRef('buyer_id', () => users.id, 'cascade'),
    /** Set when an order uses the claim; a claim is good for one order. */
    orderId: text('order_id'),
    claimedAt: timestamp('claimed_at').notNull()
  },
  (t) => [primaryKey({ columns: [t.couponId, t.buyerId] })]
);

export type FlashSaleRow = typeof flashSales.$inferSelect;
export type CouponRow = typeof coupons.$inferSelect;
