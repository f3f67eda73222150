import { sql } from 'drizzle-orm';
import { sqliteTable, text, integer, blob, index, uniqueIndex, primaryKey, check } from 'drizzle-orm/sqlite-core';
import { USER_ROLES } from '#shared/auth.ts';
import { SHOW_STATUSES } from '#shared/shows.ts';
import { LOT_MODES, LOT_STATUSES, type IncrementTable } from '#shared/auctions.ts';
import { CURRENCIES } from '#shared/money.ts';
import { ORDER_STATUSES, PAYMENT_ATTEMPT_STATUSES, type ShippingAddress } from '#shared/orders.ts';

import { createdAt, requiredRef, timestamp, updatedAt } from './columns.ts';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: USER_ROLES }).notNull().default('buyer'),
    createdAt: createdAt()
  },
  (t) => [uniqueIndex('users_email_idx').on(t.email)]
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    createdAt: createdAt(),
    lastVerifiedAt: timestamp('last_verified_at').notNull()
  },
  (t) => [index('sessions_user_idx').on(t.userId)]
);

export const shows = sqliteTable(
  'shows',
  {
    id: text('id').primaryKey(),
    hostId: requiredRef('host_id', () => users.id, 'restrict'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    scheduledAt: timestamp('scheduled_at').notNull(),
    coverImage: text('cover_image'),
    status: text('status', { enum: SHOW_STATUSES }).notNull().default('scheduled'),
    /** The demo show's media comes from a server-side test source instead of a host's browser. */
    isDemo: integer('is_demo', { mode: 'boolean' }).notNull().default(false),
    startedAt: timestamp('started_at'),
    endedAt: timestamp('ended_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [index('shows_status_idx').on(t.status, t.scheduledAt), index('shows_host_idx').on(t.hostId)]
);

export const lots = sqliteTable(
  'lots',
  {
    id: text('id').primaryKey(),
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    sellerId: requiredRef('seller_id', () => users.id, 'restrict'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    imageUrl: text('image_url'),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    startingPrice: integer('starting_price').notNull(),
    reservePrice: integer('reserve_price'),
    increments: text('increments', { mode: 'json' }).$type<IncrementTable>().notNull(),
    durationMs: integer('duration_ms').notNull(),
    counterBidMs: integer('counter_bid_ms').notNull(),
    mode: text('mode', { enum: LOT_MODES }).notNull(),
    status: text('status', { enum: LOT_STATUSES }).notNull().default('queued'),
    /** Queue order within the show. */
    position: integer('position').notNull(),
    // Summary of the log, kept in the same transaction as each log entry.
    endsAt: timestamp('ends_at'),
    price: integer('price'),
    leaderId: text('leader_id').references(() => users.id),
    seq: integer('seq').notNull().default(0),
    closedAt: timestamp('closed_at'),
    createdAt: createdAt()
  },
  (t) => [index('lots_show_idx').on(t.showId, t.position), index('lots_status_idx').on(t.status)]
);

/** The auditable log of every accepted auction command, in order; a lot's state is a fold over it. */
export const auctionLog = sqliteTable(
  'auction_log',
  {
    lotId: requiredRef('lot_id', () => lots.id, 'cascade'),
    n: integer('n').notNull(),
    type: text('type', { enum: ['start', 'bid', 'max', 'close', 'cancel', 'resume'] }).notNull(),
    at: timestamp('at').notNull(),
    userId: text('user_id').references(() => users.id),
    amount: integer('amount'),
    auto: integer('auto', { mode: 'boolean' }).notNull().default(false)
  },
  (t) => [primaryKey({ columns: [t.lotId, t.n] })]
);

export const orders = sqliteTable(
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
    total: integer('total').notNull(),
    title: text('title').notNull(),
    /** Payment must complete before this time or the order lapses (and its stock is released). */
    payBy: timestamp('pay_by'),
    /** A buyer's retry of the same purchase carries the same key and gets the same order. */
    idempotencyKey: text('idempotency_key'),
    subtotal: integer('subtotal').notNull().default(0),
    discount: integer('discount').notNull().default(0),
    couponId: text('coupon_id'),
    shippingAddress: text('shipping_address', { mode: 'json' }).$type<ShippingAddress>(),
    paymentRef: text('payment_ref'),
    /** What the buyer is shown once the seller ships (carrier, tracking number) or refunds (why). */
    trackingCarrier: text('tracking_carrier'),
    trackingNumber: text('tracking_number'),
    refundReason: text('refund_reason'),
    /** The seller's terms when the order was made: shipping is fixed then, tax follows the discount at payment. */
    shipping: integer('shipping').notNull().default(0),
    taxRateBp: integer('tax_rate_bp').notNull().default(0),
    tax: integer('tax').notNull().default(0),
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

export const products = sqliteTable(
  'products',
  {
    id: text('id').primaryKey(),
    ownerId: requiredRef('owner_id', () => users.id, 'restrict'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    price: integer('price').notNull(),
    images: text('images', { mode: 'json' }).$type<string[]>().notNull().default([]),
    archived: integer('archived', { mode: 'boolean' }).notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [index('products_owner_idx').on(t.ownerId)]
);

/** Every product has at least one variant; stock lives here (a product without options has one unnamed variant). */
export const variants = sqliteTable(
  'variants',
  {
    id: text('id').primaryKey(),
    productId: requiredRef('product_id', () => products.id, 'cascade'),
    name: text('name').notNull().default(''),
    sku: text('sku'),
    /** Overrides the product price when set. */
    price: integer('price'),
    /** Units available to sell now; reserved units are already taken out. */
    stock: integer('stock').notNull()
  },
  (t) => [index('variants_product_idx').on(t.productId), check('variants_stock_nonnegative', sql`${t.stock} >= 0`)]
);

export const orderItems = sqliteTable(
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

/** A show's lineup: the products the host may pin, drop and sell during it. */
export const lineup = sqliteTable(
  'lineup',
  {
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    productId: requiredRef('product_id', () => products.id, 'cascade'),
    position: integer('position').notNull()
  },
  (t) => [primaryKey({ columns: [t.showId, t.productId] })]
);

export const flashSales = sqliteTable(
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

export const coupons = sqliteTable(
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

export const couponClaims = sqliteTable(
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

/** A seller's shipping prices and tax rate (basis points: 1000 is 10%), per currency they sell in. */
export const sellerTerms = sqliteTable(
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

/** A charge attempt, written before the provider is called; its id is the charge's idempotency key, so one a crash left unrecorded is settled at start. */
export const paymentAttempts = sqliteTable(
  'payment_attempts',
  {
    id: text('id').primaryKey(),
    orderId: requiredRef('order_id', () => orders.id, 'restrict'),
    status: text('status', { enum: PAYMENT_ATTEMPT_STATUSES }).notNull(),
    amount: integer('amount').notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    discount: integer('discount').notNull(),
    couponId: text('coupon_id'),
    shippingAddress: text('shipping_address', { mode: 'json' }).$type<ShippingAddress>().notNull(),
    chargeId: text('charge_id'), // one charge for several orders: shared by their attempts; null: the attempt's own id
    shipping: integer('shipping'), // the order's share of combined shipping; null: the order's own
    /** The provider's reference once the charge succeeded. */
    providerRef: text('provider_ref'),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [index('payment_attempts_order_idx').on(t.orderId), index('payment_attempts_status_idx').on(t.status), index('payment_attempts_charge_idx').on(t.chargeId)]
);

/** Everything the host pushes during a show, with its show time, for late joiners and the replay. */
export const showEvents = sqliteTable(
  'show_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    at: timestamp('at').notNull(),
    type: text('type').notNull(),
    payload: text('payload', { mode: 'json' }).notNull()
  },
  (t) => [index('show_events_show_idx').on(t.showId, t.at)]
);

export const pollVotes = sqliteTable(
  'poll_votes',
  {
    pollId: text('poll_id').notNull(),
    voterId: requiredRef('voter_id', () => users.id, 'cascade'),
    option: integer('option').notNull()
  },
  (t) => [primaryKey({ columns: [t.pollId, t.voterId] })]
);

export const chatMessages = sqliteTable(
  'chat_messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    text: text('text').notNull(),
    replyTo: integer('reply_to'),
    /** The sender marked it as a question, or it ends in a question mark. */
    question: integer('question', { mode: 'boolean' }).notNull().default(false),
    at: timestamp('at').notNull(),
    deletedAt: timestamp('deleted_at')
  },
  (t) => [index('chat_show_idx').on(t.showId, t.id)]
);

/** Per-show chat rules set by the host or a moderator. */
export const chatSettings = sqliteTable('chat_settings', {
  showId: text('show_id')
    .primaryKey()
    .references(() => shows.id, { onDelete: 'cascade' }),
  slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
  pinnedMessageId: integer('pinned_message_id'),
  blocklist: text('blocklist', { mode: 'json' }).$type<string[]>().notNull().default([])
});

/** A user kept out of one show's chat until a time (a timeout) or for good (a ban: until is null). */
export const showBans = sqliteTable(
  'show_bans',
  {
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    until: timestamp('until')
  },
  (t) => [primaryKey({ columns: [t.showId, t.userId] })]
);

/** A host's block: the user is kept out of every show of that host's channel. */
export const channelBlocks = sqliteTable(
  'channel_blocks',
  {
    hostId: requiredRef('host_id', () => users.id, 'cascade'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' })
  },
  (t) => [primaryKey({ columns: [t.hostId, t.userId] })]
);

/** Every moderation action and report, with who did it and why. */
export const moderationLog = sqliteTable(
  'moderation_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    showId: text('show_id').references(() => shows.id, { onDelete: 'cascade' }),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action', { enum: ['delete', 'timeout', 'ban', 'unban', 'block', 'report', 'slow_mode', 'pin', 'blocklist', 'filtered', 'nsfw_frame'] }).notNull(),
    targetUserId: text('target_user_id'),
    messageId: integer('message_id'),
    reason: text('reason').notNull().default(''),
    at: timestamp('at').notNull()
  },
  (t) => [index('moderation_show_idx').on(t.showId, t.id)]
);

/** Per-minute show statistics, written as the show runs, for the after-show summary. */
export const showStats = sqliteTable(
  'show_stats',
  {
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    minute: integer('minute').notNull(),
    viewers: integer('viewers').notNull().default(0),
    hearts: integer('hearts').notNull().default(0),
    messages: integer('messages').notNull().default(0),
    bids: integer('bids').notNull().default(0),
    orders: integer('orders').notNull().default(0),
    revenue: integer('revenue').notNull().default(0)
  },
  (t) => [primaryKey({ columns: [t.showId, t.minute] })]
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ShowRow = typeof shows.$inferSelect;
export type LotRow = typeof lots.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
export type ProductRow = typeof products.$inferSelect;
export type VariantRow = typeof variants.$inferSelect;
export type FlashSaleRow = typeof flashSales.$inferSelect;
export type CouponRow = typeof coupons.$inferSelect;
export type PaymentAttemptRow = typeof paymentAttempts.$inferSelect;
