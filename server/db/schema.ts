import { sqliteTable, text, integer, blob, index, uniqueIndex, primaryKey } from 'drizzle-orm/sqlite-core';
import { USER_ROLES } from '../../shared/auth.ts';
import { SHOW_STATUSES } from '../../shared/shows.ts';
import { LOT_MODES, LOT_STATUSES, type IncrementTable } from '../../shared/auctions.ts';
import { CURRENCIES } from '../../shared/money.ts';
import { ORDER_STATUSES } from '../../shared/orders.ts';

/** Milliseconds since the epoch; the server's clock is the only one trusted. */
const timestamp = (name: string) => integer(name, { mode: 'number' });
const createdAt = () => timestamp('created_at').notNull().$defaultFn(() => Date.now());

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
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
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
    hostId: text('host_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
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
    updatedAt: timestamp('updated_at').notNull().$defaultFn(() => Date.now())
  },
  (t) => [index('shows_status_idx').on(t.status, t.scheduledAt), index('shows_host_idx').on(t.hostId)]
);

export const lots = sqliteTable(
  'lots',
  {
    id: text('id').primaryKey(),
    showId: text('show_id')
      .notNull()
      .references(() => shows.id, { onDelete: 'cascade' }),
    sellerId: text('seller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
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
    lotId: text('lot_id')
      .notNull()
      .references(() => lots.id, { onDelete: 'cascade' }),
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
    buyerId: text('buyer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    showId: text('show_id').references(() => shows.id, { onDelete: 'set null' }),
    lotId: text('lot_id').references(() => lots.id, { onDelete: 'set null' }),
    status: text('status', { enum: ORDER_STATUSES }).notNull(),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    total: integer('total').notNull(),
    title: text('title').notNull(),
    /** Payment must complete before this time or the order lapses. */
    payBy: timestamp('pay_by'),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at').notNull().$defaultFn(() => Date.now())
  },
  (t) => [index('orders_buyer_idx').on(t.buyerId), index('orders_lot_idx').on(t.lotId), index('orders_status_idx').on(t.status, t.payBy)]
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ShowRow = typeof shows.$inferSelect;
export type LotRow = typeof lots.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;
