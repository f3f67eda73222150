import { sqliteTable, text, integer, blob, index, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { USER_ROLES } from '../../shared/auth.ts';
import { SHOW_STATUSES } from '../../shared/shows.ts';

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

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ShowRow = typeof shows.$inferSelect;
