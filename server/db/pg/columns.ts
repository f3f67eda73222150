import { bigint, customType, text, type AnyPgColumn } from 'drizzle-orm/pg-core';

/** Milliseconds since the epoch, as in SQLite: past 2^31, so bigint, read back as a JS number (exact to 2^53). */
export const timestamp = (name: string) => bigint(name, { mode: 'number' });
export const createdAt = () => timestamp('created_at').notNull().$defaultFn(() => Date.now());
export const updatedAt = () => timestamp('updated_at').notNull().$defaultFn(() => Date.now());
/** Each amount is at most MAX_AMOUNT, but a sum of them (quantities, shipping per extra item, a minute's revenue) can pass 2^31. */
export const amountSum = (name: string) => bigint(name, { mode: 'number' });
/** The id of an append-only log row (chat, show events, moderation), and any column that points at one: such logs can pass 2^31 rows. */
export const logId = (name: string) => bigint(name, { mode: 'number' });
/** A required id of a row in another table, and what deleting that row does here. */
export const requiredRef = (name: string, target: () => AnyPgColumn, onDelete: 'cascade' | 'restrict') => text(name).notNull().references(target, { onDelete });
/** pg-core has no bytea builder; node-postgres and postgres.js both read and write it as a Buffer, so no conversion is needed. */
export const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
