import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { flashSales, type FlashSaleRow } from '../db/schema.ts';
import { smaller } from '../db/portable-sql.ts';
import { AppError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { FlashSaleDto, FlashSaleTerms } from '#shared/commerce.ts';

/** Creates flash sales; selling against them is Purchases' job. */
export class FlashSales {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  create(showId: string, productId: string, regularPrice: number, terms: FlashSaleTerms, startsAt: number): FlashSaleRow {
    if (terms.discountKind === 'price' && terms.discountValue >= regularPrice) {
      throw new AppError('bad_request', 'A sale price must be below the regular price.');
    }
    return this.#db
      .insert(flashSales)
      .values({
        id: newId(), showId, productId, discountKind: terms.discountKind, discountValue: terms.discountValue,
        quantity: terms.quantity, perBuyerLimit: terms.perBuyerLimit, startsAt, endsAt: startsAt + terms.durationSeconds * 1000
      })
      .returning()
      .get();
  }

  /** Ends now the show's sales of a product that are running or yet to start. */
  endFor(showId: string, productId: string, now: number): void {
    this.#db
      .update(flashSales)
      .set({ startsAt: smaller(flashSales.startsAt, now), endsAt: now })
      .where(and(eq(flashSales.showId, showId), eq(flashSales.productId, productId), gt(flashSales.endsAt, now)))
      .run();
  }
}

export function toFlashSaleDto(r: FlashSaleRow): FlashSaleDto {
  return {
    id: r.id, productId: r.productId, discountKind: r.discountKind, discountValue: r.discountValue,
    quantity: r.quantity, remaining: r.quantity - r.sold, perBuyerLimit: r.perBuyerLimit, startsAt: r.startsAt, endsAt: r.endsAt
  };
}
