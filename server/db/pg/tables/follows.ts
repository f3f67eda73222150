import { pgTable, index, primaryKey } from 'drizzle-orm/pg-core';
import { requiredRef, timestamp } from '../columns.ts';
import { users } from './accounts.ts';

/** A buyer following a shop (its host): one row per pair, so following twice changes nothing. */
export const follows = pgTable(
  'follows',
  {
    followerId: requiredRef('follower_id', () => users.id, 'cascade'),
    hostId: requiredRef('host_id', () => users.id, 'cascade'),
    at: timestamp('at').notNull()
  },
  // Counting a shop's followers reads by host; the primary key serves "does this buyer follow it".
  (t) => [primaryKey({ columns: [t.followerId, t.hostId] }), index('follows_host_idx').on(t.hostId)]
);
