import { and, desc, eq, isNotNull, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { orders, shows, users } from '../db/schema.ts';
import type { PublicUser } from '#shared/auth.ts';
import type { SaleDto, SalesFilter } from '#shared/orders.ts';
import type { Orders } from './orders.ts';

/** The most orders one listing or export carries. */
export const MAX_SALES = 1000;

/**
 * What a seller sold, in shows or not and whether the show still runs: each order with
 * its buyer's name and shipping address. An admin sees every seller's orders.
 */
export class Sales {
  readonly #db: Db;
  readonly #orders: Orders;

  constructor(db: Db, orders: Orders) {
    this.#db = db;
    this.#orders = orders;
  }

  list(actor: PublicUser, filter: SalesFilter = {}): SaleDto[] {
    const where = this.#scope(actor);
    if (filter.status) where.push(eq(orders.status, filter.status));
    if (filter.showId) where.push(eq(orders.showId, filter.showId));
    return this.#db
      .select({ order: orders, buyerName: users.displayName, showTitle: shows.title })
      .from(orders)
      .innerJoin(users, eq(users.id, orders.buyerId))
      .leftJoin(shows, eq(shows.id, orders.showId))
      .where(and(...where))
      .orderBy(desc(orders.createdAt))
      .limit(MAX_SALES)
      .all()
      .map(({ order, buyerName, showTitle }) => ({ ...this.#orders.dto(order), buyerName, showTitle, shippingAddress: order.shippingAddress ?? null }));
  }

  /** The shows this seller has orders from, newest first: the choices of the show filter. */
  shows(actor: PublicUser): { id: string; title: string }[] {
    return this.#db
      .selectDistinct({ id: shows.id, title: shows.title, scheduledAt: shows.scheduledAt })
      .from(orders)
      .innerJoin(shows, eq(shows.id, orders.showId))
      .where(and(...this.#scope(actor), isNotNull(orders.showId)))
      .orderBy(desc(shows.scheduledAt))
      .limit(200)
      .all()
      .map(({ id, title }) => ({ id, title }));
  }

  #scope(actor: PublicUser): SQL[] {
    return actor.role === 'admin' ? [] : [eq(orders.sellerId, actor.id)];
  }
}
