import { sql } from 'drizzle-orm';
import { pgTable, text, integer, boolean, jsonb, index, primaryKey, check } from 'drizzle-orm/pg-core';
import { CURRENCIES } from '#shared/money.ts';
import { createdAt, requiredRef, updatedAt } from '../columns.ts';
import { users } from './accounts.ts';
import { shows } from './shows.ts';

export const products = pgTable(
  'products',
  {
    id: text('id').primaryKey(),
    ownerId: requiredRef('owner_id', () => users.id, 'restrict'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    currency: text('currency', { enum: CURRENCIES }).notNull(),
    price: integer('price').notNull(),
    images: jsonb('images').$type<string[]>().notNull().default([]),
    archived: boolean('archived').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt()
  },
  (t) => [index('products_owner_idx').on(t.ownerId)]
);

/** Every product has at least one variant; stock lives here (a product without options has one unnamed variant). */
export const variants = pgTable(
  'variants',
  {
    id: text('id').primaryKey(),
    productId: requiredRef('product_id', () => products.id, 'cascade'),
    name: text('name').notNull().default(''),
    sku: text('sku'),
    /** Overrides the product price when set. */
    price: integer('price'),
    /** Units available to sell now; reserved units are already taken out. */
    stock: integer('stock').notNull(),
    /** Where the variant is listed among its product's (the order the host gave them). */
    position: integer('position').notNull().default(0)
  },
  (t) => [index('variants_product_idx').on(t.productId), check('variants_stock_nonnegative', sql`${t.stock} >= 0`)]
);

/** A show's lineup: the products the host may pin, drop and sell during it. */
export const lineup = pgTable(
  'lineup',
  {
    showId: requiredRef('show_id', () => shows.id, 'cascade'),
    productId: requiredRef('product_id', () => products.id, 'cascade'),
    position: integer('position').notNull()
  },
  (t) => [primaryKey({ columns: [t.showId, t.productId] })]
);

export type ProductRow = typeof products.$inferSelect;
export type VariantRow = typeof variants.$inferSelect;
