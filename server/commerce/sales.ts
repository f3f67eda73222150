import { and, desc, eq, isNotNull, type SQL } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
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
  readonly #repo: Repo;
  readonly #orders: Orders;

  constructor(repo: Repo, orders: Orders) {
    this.#repo = repo;
    this.#orders = orders;
  }

  async list(actor: PublicUser, filter: SalesFilter = {}): Promise<SaleDto[]> {
    const { db, t } = this.#repo;
    const where = this.#scope(actor);
    if (filter.status) where.push(eq(t.orders.status, filter.status));
    if (filter.showId) where.push(eq(t.orders.showId, filter.showId));
    const rows = await this.#repo.all(
      db
        .select({ order: t.orders, buyerName: t.users.displayName, showTitle: t.shows.title })
        .from(t.orders)
        .innerJoin(t.users, eq(t.users.id, t.orders.buyerId))
        .leftJoin(t.shows, eq(t.shows.id, t.orders.showId))
        .where(and(...where))
        .orderBy(desc(t.orders.createdAt))
        .limit(MAX_SALES)
    );
    const dtos = await this.#orders.dtos(rows.map((r) => r.order));
    return rows.map(({ order, buyerName, showTitle }, i) => ({ ...dtos[i]!, buyerName, showTitle, shippingAddress: order.shippingAddress ?? null }));
  }

  /** The shows this seller has orders from, newest first: the choices of the show filter. */
  async shows(actor: PublicUser): Promise<{ id: string; title: string }[]> {
    const { db, t } = this.#repo;
    const rows = await this.#repo.all(
      db
        .selectDistinct({ id: t.shows.id, title: t.shows.title, scheduledAt: t.shows.scheduledAt })
        .from(t.orders)
        .innerJoin(t.shows, eq(t.shows.id, t.orders.showId))
        .where(and(...this.#scope(actor), isNotNull(t.orders.showId)))
        .orderBy(desc(t.shows.scheduledAt))
        .limit(200)
    );
    return rows.map(({ id, title }) => ({ id, title }));
  }

  #scope(actor: PublicUser): SQL[] {
    return actor.role === 'admin' ? [] : [eq(this.#repo.t.orders.sellerId, actor.id)];
  }
}
