import { integer, text, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';

/** Milliseconds since the epoch; the server's clock is the only one trusted. */
export const timestamp = (name: string) => integer(name, { mode: 'number' });
export const createdAt = () => timestamp('created_at').notNull().$defaultFn(() => Date.now());
export const updatedAt = () => timestamp('updated_at').notNull().$defaultFn(() => Date.now());
/** A required id of a row in another table, and what deleting that row does here. */
export const requiredRef = (name: string, target: () => AnySQLiteColumn, onDelete: 'cascade' | 'restrict') => text(name).notNull().references(target, { onDelete });
