/** The PostgreSQL twin of ../schema.ts, table for table; drizzle.pg.config.ts reads them through this file. */
export * from './tables/accounts.ts';
export * from './tables/shows.ts';
export * from './tables/auctions.ts';
export * from './tables/catalog.ts';
export * from './tables/orders.ts';
export * from './tables/promotions.ts';
export * from './tables/chat.ts';
export * from './tables/follows.ts';
export * from './tables/integrations.ts';
export * from './tables/captions.ts';
