import { and, asc, eq, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { Currency } from '#shared/money.ts';
import { shippingFor, type SellerTermsDto } from '#shared/orders.ts';

/** A seller's shipping prices and tax rate per currency; none set means free shipping and no tax. */
export class SellerTerms {
  readonly #repo: Repo;
  // Read for every order a drop's rush creates.
  readonly #forSeller;

  constructor(repo: Repo) {
    this.#repo = repo;
    this.#forSeller = repo.prepare((db, t) =>
      db.select().from(t.sellerTerms).where(and(eq(t.sellerTerms.sellerId, sql.placeholder('sellerId')), eq(t.sellerTerms.currency, sql.placeholder('currency'))))
    );
  }

  /** By currency, as SQLite reads them along the key (PostgreSQL, unordered, would move an edited one last). */
  list(sellerId: string): Promise<SellerTermsDto[]> {
    const { db, t } = this.#repo;
    return this.#repo.all(
      db
        .select({ currency: t.sellerTerms.currency, shippingPerOrder: t.sellerTerms.shippingPerOrder, shippingPerExtraItem: t.sellerTerms.shippingPerExtraItem, taxRateBp: t.sellerTerms.taxRateBp })
        .from(t.sellerTerms)
        .where(eq(t.sellerTerms.sellerId, sellerId))
        .orderBy(asc(t.sellerTerms.currency))
    );
  }

  async set(sellerId: string, terms: SellerTermsDto): Promise<SellerTermsDto[]> {
    const { currency, ...values } = terms;
    const { db, t } = this.#repo;
    await this.#repo.changes(
      db
        .insert(t.sellerTerms)
        .values({ sellerId, currency, ...values, updatedAt: Date.now() })
        .onConflictDoUpdate({ target: [t.sellerTerms.sellerId, t.sellerTerms.currency], set: { ...values, updatedAt: Date.now() } })
    );
    return this.list(sellerId);
  }

  /** What a new order of `units` items owes for shipping, and the tax rate it will pay. */
  async forOrder(sellerId: string | null, currency: Currency, units: number): Promise<{ shipping: number; taxRateBp: number }> {
    if (!sellerId) return { shipping: 0, taxRateBp: 0 };
    const terms = await this.#forSeller.one({ sellerId, currency });
    return { shipping: shippingFor(terms, units), taxRateBp: terms?.taxRateBp ?? 0 };
  }
}
