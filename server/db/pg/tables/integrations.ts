import { pgTable, text, integer, jsonb, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { bytea, createdAt, logId, requiredRef, timestamp } from '../columns.ts';
import { users } from './accounts.ts';
import { shows } from './shows.ts';

/** A show's stream key for WHIP encoders (OBS): only its hash is kept, so a leaked database leaks no key. */
export const streamKeys = pgTable('stream_keys', {
  showId: requiredRef('show_id', () => shows.id, 'cascade').primaryKey(),
  secretHash: bytea('secret_hash').notNull(),
  createdAt: createdAt()
});

/** A host's personal API token: shown once, kept as a hash, limited to its scopes. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    userId: requiredRef('user_id', () => users.id, 'cascade'),
    name: text('name').notNull(),
    scopes: jsonb('scopes').$type<string[]>().notNull(),
    secretHash: bytea('secret_hash').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at'),
    revokedAt: timestamp('revoked_at')
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)]
);

/** Where a host wants to hear of events; the secret signs each delivery (Standard Webhooks), so it is kept as given. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: text('id').primaryKey(),
    hostId: requiredRef('host_id', () => users.id, 'cascade'),
    url: text('url').notNull(),
    events: jsonb('events').$type<string[]>().notNull(),
    secret: text('secret').notNull(),
    createdAt: createdAt(),
    disabledAt: timestamp('disabled_at')
  },
  (t) => [index('webhook_endpoints_host_idx').on(t.hostId)]
);

/** The outbox: each event written in the same transaction as what it reports, fanned out to endpoints afterwards. */
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: logId('id').primaryKey().generatedByDefaultAsIdentity(),
    hostId: requiredRef('host_id', () => users.id, 'cascade'),
    showId: text('show_id'),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    at: timestamp('at').notNull(),
    fannedOutAt: timestamp('fanned_out_at')
  },
  (t) => [index('webhook_events_pending_idx').on(t.fannedOutAt, t.id)]
);

/** One event to one endpoint: its attempts, the next one, and the last answer, for the studio's log and replays. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: logId('id').primaryKey().generatedByDefaultAsIdentity(),
    eventId: logId('event_id')
      .notNull()
      .references(() => webhookEvents.id, { onDelete: 'cascade' }),
    endpointId: requiredRef('endpoint_id', () => webhookEndpoints.id, 'cascade'),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at').notNull(),
    lastAttemptAt: timestamp('last_attempt_at'),
    lastStatus: integer('last_status'),
    lastResponse: text('last_response'),
    deliveredAt: timestamp('delivered_at')
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_endpoint_idx').on(t.eventId, t.endpointId),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id)
  ]
);
