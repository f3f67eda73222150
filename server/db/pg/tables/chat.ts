import { pgTable, text, integer, boolean, jsonb, index, primaryKey } from 'drizzle-orm/pg-core';
import { logId, requiredRef, timestamp } from '../columns.ts';
import { users } from './accounts.ts';
import { shows } from './shows.ts';

export const chatMessages = pgTable(
  'chat_messages',
  {
    id: logId('id').primaryKey().generatedByDefaultAsIdentity(),
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    text: text('text').notNull(),
    replyTo: logId('reply_to'),
    /** The sender marked it as a question, or it ends in a question mark. */
    question: boolean('question').notNull().default(false),
    at: timestamp('at').notNull(),
    deletedAt: timestamp('deleted_at')
  },
  (t) => [index('chat_show_idx').on(t.showId, t.id)]
);

/** Per-show chat rules set by the host or a moderator. */
export const chatSettings = pgTable('chat_settings', {
  showId: text('show_id')
    .primaryKey()
    .references(() => shows.id, { onDelete: 'cascade' }),
  slowModeSeconds: integer('slow_mode_seconds').notNull().default(0),
  pinnedMessageId: logId('pinned_message_id'),
  blocklist: jsonb('blocklist').$type<string[]>().notNull().default([])
});

/** A user kept out of one show's chat until a time (a timeout) or for good (a ban: until is null). */
export const showBans = pgTable(
  'show_bans',
  {
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    until: timestamp('until')
  },
  (t) => [primaryKey({ columns: [t.showId, t.userId] })]
);

/** A host's block: the user is kept out of every show of that host's channel. */
export const channelBlocks = pgTable(
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
export const moderationLog = pgTable(
  'moderation_log',
  {
    id: logId('id').primaryKey().generatedByDefaultAsIdentity(),
    showId: text('show_id').references(() => shows.id, { onDelete: 'cascade' }),
    actorId: text('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action', { enum: ['delete', 'timeout', 'ban', 'unban', 'block', 'report', 'slow_mode', 'pin', 'blocklist', 'filtered', 'nsfw_frame'] }).notNull(),
    targetUserId: text('target_user_id'),
    messageId: logId('message_id'),
    reason: text('reason').notNull().default(''),
    at: timestamp('at').notNull()
  },
  (t) => [index('moderation_show_idx').on(t.showId, t.id)]
);
