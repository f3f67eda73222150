import { pgTable, text, integer, boolean, jsonb, index, primaryKey } from 'drizzle-orm/pg-core';
import { SHOW_STATUSES } from '#shared/shows.ts';
import { amountSum, createdAt, logId, requiredRef, timestamp, updatedAt } from '../columns.ts';
import { users } from './accounts.ts';

export const shows = pgTable(
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
    isDemo: boolean('is_demo').notNull().default(false),
    /** Deleted by its host while it has orders: out of every list, still there for those orders. */
    archived: boolean('archived').notNull().default(false),
    startedAt: timestamp('started_at'),
    endedAt: timestamp('ended_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [index('shows_status_idx').on(t.status, t.scheduledAt), index('shows_host_idx').on(t.hostId)]
);

/** Everything the host pushes during a show, with its show time, for late joiners and the replay. */
export const showEvents = pgTable(
  'show_events',
  {
    id: logId('id').primaryKey().generatedByDefaultAsIdentity(),
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    at: timestamp('at').notNull(),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull()
  },
  (t) => [index('show_events_show_idx').on(t.showId, t.at)]
);

export const pollVotes = pgTable(
  'poll_votes',
  {
    pollId: text('poll_id').notNull(),
    voterId: requiredRef('voter_id', () => users.id, 'cascade'),
    option: integer('option').notNull()
  },
  (t) => [primaryKey({ columns: [t.pollId, t.voterId] })]
);

/** Per-minute show statistics, written as the show runs, for the after-show summary. */
export const showStats = pgTable(
  'show_stats',
  {
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    minute: integer('minute').notNull(),
    viewers: integer('viewers').notNull().default(0),
    hearts: integer('hearts').notNull().default(0),
    messages: integer('messages').notNull().default(0),
    bids: integer('bids').notNull().default(0),
    orders: integer('orders').notNull().default(0),
    revenue: amountSum('revenue').notNull().default(0)
  },
  (t) => [primaryKey({ columns: [t.showId, t.minute] })]
);

export type ShowRow = typeof shows.$inferSelect;
