import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { sellerTerms } from '../db/schema.ts';
import type { Currency } from '#shared/money.ts';
import { shippingFor, type SellerTermsDto } from '#shared/orders.ts';

/** A seller's shipping prices and tax rate per currency; none set means free shipping and no tax. */
export class SellerTerms {
  readonly #db: Db;
  // Read for every order a drop's rush creates.
  readonly #forSeller;

  constructor(db: Db) {
    this.#db = db;
    this.#forSeller = db.select().from(sellerTerms).where(and(eq(sellerTerms.sellerId, sql.placeholder('sellerId')), eq(sellerTerms.currency, sql.placeholder('currency')))).prepare();
  }

  list(sellerId: string): SellerTermsDto[] {
    return this.#db
      .select({ currency: sellerTerms.currency, shippingPerOrder: sellerTerms.shippingPerOrder, shippingPerExtraItem: sellerTerms.shippingPerExtraItem, taxRateBp: sellerTerms.taxRateBp })
      .from(sellerTerms)
      .where(eq(sellerTerms.sellerId, sellerId))
      .all();
  }

  set(sellerId: string, terms: SellerTermsDto): SellerTermsDto[] {
    const { currency, ...values } = terms;
    this.#db
      .insert(sellerTerms)
      .values({ sellerId, currency, ...values, updatedAt: Date.now() })
      .onConflictDoUpdate({ target: [sellerTerms.sellerId, sellerTerms.currency], set: { ...values, updatedAt: Date.now() } })
      .run();
    return this.list(sellerId);
  }

  /** What a new order of `units` items owes for shipping, and the tax rate it will pay. */
  forOrder(sellerId: string | null, currency: Currency, units: number): { shipping: number; taxRateBp: number } {
    if (!sellerId) return { shipping: 0, taxRateBp: 0 };
    const terms = this.#forSeller.get({ sellerId, currency });
    return { shipping: shippingFor(terms, units), taxRateBp: terms?.taxRateBp ?? 0 };
  }
}
