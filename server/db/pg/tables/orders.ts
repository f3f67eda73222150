import { pgTable, text, integer, jsonb, index, uniqueIndex, primaryKey } from 'drizzle-orm/pg-core';
import { CURRENCIES } from '#shared/money.ts';
import { ORDER_STATUSES, PAYMENT_ATTEMPT_STATUSES, type ShippingAddress } from '#shared/orders.ts';
import { amountSum, createdAt, requiredRef, timestamp, updatedAt } from '../columns.ts';
import { users } from './accounts.ts';
import { shows } from './shows.ts';
import { lots } from './auctions.ts';
import { variants } from './catalog.ts';

export const orders = pgTable(
  'orders',
  {
    id: text('id').primaryKey(),
    buyerId: requiredRef('buyer_id', () => users.id, 'restrict'),
    showId: text('show_id').references(() => shows.id, { onDelete: 'set null' }),
    lotId: text('lot_id').references(() => lots.id, { onDelete: 'set null' }),
    /** Who sells: the product's owner or the lot's seller, decided by the server. Only they (or an admin) ship or refund. */
    sellerId: text('seller_id').references(() => users.id, { onDelete: 'restrict' }),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    total: amountSum('total').notNull(),
    title: text('title').notNull(),
    /** Payment must complete before this time or the order lapses (and its stock is released). */
    payBy: timestamp('pay_by'),
    /** A buyer's retry of the same purchase carries the same key and gets the same order. */
    idempotencyKey: text('idempotency_key'),
    subtotal: amountSum('subtotal').notNull().default(0),
    discount: amountSum('discount').notNull().default(0),
    couponId: text('coupon_id'),
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>(),
    paymentRef: text('payment_ref'),
    /** What the buyer is shown once the seller ships (carrier, tracking number) or refunds (why). */
    trackingCarrier: text('tracking_carrier'),
    trackingNumber: text('tracking_number'),
    refundReason: text('refund_reason'),
    /** The seller's terms when the order was made: shipping is fixed then, tax follows the discount at payment. */
    shipping: amountSum('shipping').notNull().default(0),
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    tax: amountSum('tax').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [
    index('orders_buyer_idx').on(t.buyerId),
    index('orders_lot_idx').on(t.lotId),
    index('orders_seller_idx').on(t.sellerId, t.createdAt),
    index('orders_status_idx').on(t.status, t.payBy),
    uniqueIndex('orders_idempotency_idx').on(t.buyerId, t.idempotencyKey)
  ]
);

export const orderItems = pgTable(
  'order_items',
  {
    orderId: requiredRef('order_id', () => orders.id, 'cascade'),
    variantId: requiredRef('variant_id', () => variants.id, 'restrict'),
    productId: text('product_id').notNull(),
    saleId: text('sale_id'),
    title: text('title').notNull(),
    unitPrice: integer('unit_price').notNull(),
    quantity: integer('quantity').notNull()
  },
  (t) => [primaryKey({ columns: [t.orderId, t.variantId] }), index('order_items_sale_idx').on(t.saleId)]
);

/** A charge attempt, written before the provider is called; its id is the charge's idempotency key, so one a crash left unrecorded is settled at start. */
export const paymentAttempts = pgTable(
  'payment_attempts',
  {
    id: text('id').primaryKey(),
    orderId: requiredRef('order_id', () => orders.id, 'restrict'),
    status: text('status', { enum: PAYMENT_ATTEMPT_STATUSES }).notNull(),
    amount: amountSum('amount').notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    discount: amountSum('discount').notNull(),
    couponId: text('coupon_id'),
    shippingAddress: jsonb('shipping_address').$type<ShippingAddress>().notNull(),
    chargeId: text('charge_id'), // one charge for several orders: shared by their attempts; null: the attempt's own id
    shipping: amountSum('shipping'), // the order's share of combined shipping; null: the order's own
    /** The provider's reference once the charge succeeded. */
    providerRef: text('provider_ref'),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [index('payment_attempts_order_idx').on(t.orderId), index('payment_attempts_status_idx').on(t.status), index('payment_attempts_charge_idx').on(t.chargeId)]
);

/** A seller's shipping prices and tax rate (basis points: 1000 is 10%), per currency they sell in. */
export const sellerTerms = pgTable(
  'seller_terms',
  {
    sellerId: requiredRef('seller_id', () => users.id, 'cascade'),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    shippingPerOrder: integer('shipping_per_order').notNull(),
    shippingPerExtraItem: integer('shipping_per_extra_item').notNull(),
    taxRateBp: integer('tax_rate_bp').notNull(),
    updatedAt: updatedAt()
  },
  (t) => [primaryKey({ columns: [t.sellerId, t.currency] })]
);

export type OrderRow = typeof orders.$inferSelect;
export type PaymentAttemptRow = typeof paymentAttempts.$inferSelect;
