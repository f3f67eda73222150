import { pgTable, text, integer, bigint, boolean, jsonb, index, primaryKey } from 'drizzle-orm/pg-core';
import { LOT_MODES, LOT_STATUSES, type IncrementTable } from '#shared/auctions.ts';
import { CURRENCIES } from '#shared/money.ts';
import { createdAt, requiredRef, timestamp } from '../columns.ts';
import { users } from './accounts.ts';
import { shows } from './shows.ts';

export const lots = pgTable(
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
    increments: jsonb('increments').$type<IncrementTable>().notNull(),
    // Milliseconds, bigint like every other column that holds them.
    durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
    counterBidMs: bigint('counter_bid_ms', { mode: 'number' }).notNull(),
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
export const auctionLog = pgTable(
  'auction_log',
  {
    lotId: requiredRef('lot_id', () => lots.id, 'cascade'),
    n: integer('n').notNull(),
    type: text('type', { enum: ['start', 'bid', 'max', 'close', 'cancel', 'resume'] }).notNull(),
    at: timestamp('at').notNull(),
    userId: text('user_id').references(() => users.id),
    amount: integer('amount'),
    auto: boolean('auto').notNull().default(false)
  },
  (t) => [primaryKey({ columns: [t.lotId, t.n] })]
);

export type LotRow = typeof lots.$inferSelect;
