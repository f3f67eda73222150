import { and, eq, gt } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { FlashSaleRow } from '../db/schema.ts';
import { smaller } from '../db/portable-sql.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { FlashSaleDto, FlashSaleTerms } from '#shared/commerce.ts';

/** Creates flash sales; selling against them is Purchases' job. */
export class FlashSales {
  readonly #repo: Repo;

  constructor(repo: Repo) {
    this.#repo = repo;
  }

  async create(showId: string, productId: string, regularPrice: number, terms: FlashSaleTerms, startsAt: number): Promise<FlashSaleRow> {
    if (terms.discountKind === 'price' && terms.discountValue >= regularPrice) {
      throw new AppError('bad_request', 'A sale price must be below the regular price.');
    }
    const { db, t } = this.#repo;
    const row = await this.#repo.one(
      db
        .insert(t.flashSales)
        .values({
          id: newId(), showId, productId, discountKind: terms.discountKind, discountValue: terms.discountValue,
          quantity: terms.quantity, perBuyerLimit: terms.perBuyerLimit, startsAt, endsAt: startsAt + terms.durationSeconds * 1000
        })
        .returning()
    );
    return row!;
  }

  /** Ends now the show's sales of a product that are running or yet to start. */
  async endFor(showId: string, productId: string, now: number): Promise<void> {
    const { db, t } = this.#repo;
    await this.#repo.changes(
      db
        .update(t.flashSales)
        .set({ startsAt: smaller(t.flashSales.startsAt, now), endsAt: now })
        .where(and(eq(t.flashSales.showId, showId), eq(t.flashSales.productId, productId), gt(t.flashSales.endsAt, now)))
    );
  }
}

export function toFlashSaleDto(r: FlashSaleRow): FlashSaleDto {
  return {
    id: r.id, productId: r.productId, discountKind: r.discountKind, discountValue: r.discountValue,
    quantity: r.quantity, remaining: r.quantity - r.sold, perBuyerLimit: r.perBuyerLimit, startsAt: r.startsAt, endsAt: r.endsAt
  };
}
