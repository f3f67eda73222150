import { pgTable, text, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { USER_ROLES } from '#shared/auth.ts';
import { bytea, createdAt, requiredRef, timestamp } from '../columns.ts';

export const users = pgTable(
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

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    secretHash: bytea('secret_hash').notNull(),
    createdAt: createdAt(),
    lastVerifiedAt: timestamp('last_verified_at').notNull()
  },
  (t) => [index('sessions_user_idx').on(t.userId)]
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
