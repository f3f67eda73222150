import { and, asc, eq, gt, inArray, lte, sql, sum } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { FlashSaleRow } from '../db/schema.ts';
import { larger } from '../db/portable-sql.ts';
import { AppError } from '../errors.ts';

/** Order states that hold stock: reserved (awaiting payment) or sold. */
const HOLDING = ['pending_payment', 'paid', 'fulfilled'] as const;

/**
 * Stock moves, each a single conditional UPDATE so it can never go negative or
 * oversell a sale, whatever runs concurrently. Call inside a transaction.
 */
export class Inventory {
  readonly #repo: Repo;
  // The buy path runs these for every attempt of a rush: prepared once, not rebuilt per call.
  readonly #take;
  readonly #stockOf;
  readonly #takeSale;
  readonly #saleById;
  readonly #bought;
  readonly #unpaid;

  constructor(repo: Repo) {
    this.#repo = repo;
    const id = sql.placeholder('id');
    const quantity = sql.placeholder('quantity');
    const buyerId = sql.placeholder('buyerId');
    this.#take = repo.prepare((db, t) => db.update(t.variants).set({ stock: sql`${t.variants.stock} - ${quantity}` }).where(and(eq(t.variants.id, id), sql`${t.variants.stock} >= ${quantity}`)));
    this.#stockOf = repo.prepare((db, t) => db.select({ stock: t.variants.stock }).from(t.variants).where(eq(t.variants.id, id)));
    this.#takeSale = repo.prepare((db, t) =>
      db
        .update(t.flashSales)
        .set({ sold: sql`${t.flashSales.sold} + ${quantity}` })
        .where(and(eq(t.flashSales.id, id), sql`${t.flashSales.sold} + ${quantity} <= ${t.flashSales.quantity}`))
    );
    this.#saleById = repo.prepare((db, t) => db.select().from(t.flashSales).where(eq(t.flashSales.id, id)));
    this.#bought = repo.prepare((db, t) =>
      db
        .select({ n: sum(t.orderItems.quantity) })
        .from(t.orderItems)
        .innerJoin(t.orders, eq(t.orders.id, t.orderItems.orderId))
        .where(and(eq(t.orderItems.saleId, id), eq(t.orders.buyerId, buyerId), inArray(t.orders.status, [...HOLDING])))
    );
    this.#unpaid = repo.prepare((db, t) =>
      db
        .select({ n: sum(t.orderItems.quantity) })
        .from(t.orderItems)
        .innerJoin(t.orders, eq(t.orders.id, t.orderItems.orderId))
        .where(and(eq(t.orders.buyerId, buyerId), eq(t.orders.status, 'pending_payment')))
    );
  }

  /**
   * Locks, before a stock move writes anything, what it counts on and writes, in one order: the buyer whose holdings
   * a buy's limits count, then sales, then variants, each by id. On PostgreSQL moves run side by side: two buys of
   * one buyer would both pass the limits, and moves taking shared rows in other orders (two carts, a buy and an
   * expiry) would deadlock. Call inside the move's transaction. SQLite runs one transaction at a time.
   */
  async lock({ buyerId, variantIds, saleIds }: { buyerId?: string; variantIds: string[]; saleIds: string[] }): Promise<void> {
    if (this.#repo.dialect === 'sqlite') return;
    const { db, t } = this.#repo;
    // Inserts that refer to these rows may go on: an order names its seller, and two hosts buying from each other would deadlock.
    const strength = 'no key update';
    if (buyerId) await this.#repo.all(this.#repo.forUpdate(db.select({ id: t.users.id }).from(t.users).where(eq(t.users.id, buyerId)), strength));
    if (saleIds.length) await this.#repo.all(this.#repo.forUpdate(db.select({ id: t.flashSales.id }).from(t.flashSales).where(inArray(t.flashSales.id, saleIds)).orderBy(asc(t.flashSales.id)), strength));
    if (variantIds.length) await this.#repo.all(this.#repo.forUpdate(db.select({ id: t.variants.id }).from(t.variants).where(inArray(t.variants.id, variantIds)).orderBy(asc(t.variants.id)), strength));
  }

  async take(variantId: string, quantity: number): Promise<void> {
    if ((await this.#take.changes({ id: variantId, quantity })) === 1) return;
    const left = (await this.#stockOf.one({ id: variantId }))?.stock ?? 0;
    throw new AppError('conflict', left === 0 ? 'Sold out.' : `Only ${left} left.`, left === 0 ? { reason: 'sold_out' } : { reason: 'only_left', left });
  }

  async give(variantId: string, quantity: number): Promise<void> {
    const { db, t } = this.#repo;
    await this.#repo.changes(db.update(t.variants).set({ stock: sql`${t.variants.stock} + ${quantity}` }).where(eq(t.variants.id, variantId)));
  }

  /** Counts units against a running sale's quantity; refuses outside its window or beyond it. */
  async takeSale(sale: FlashSaleRow, quantity: number, now: number): Promise<void> {
    if (now < sale.startsAt) throw new AppError('invalid_state', 'This sale has not started yet.', { reason: 'sale_not_started' });
    if (now >= sale.endsAt) throw new AppError('invalid_state', 'This sale has ended.', { reason: 'sale_ended' });
    if ((await this.#takeSale.changes({ id: sale.id, quantity })) !== 1) throw new AppError('conflict', 'Sold out.', { reason: 'sold_out' });
  }

  async giveSale(saleId: string, quantity: number): Promise<void> {
    const { db, t } = this.#repo;
    await this.#repo.changes(db.update(t.flashSales).set({ sold: larger(0, sql`${t.flashSales.sold} - ${quantity}`) }).where(eq(t.flashSales.id, saleId)));
  }

  /** Units of a sale this buyer holds or bought. */
  async boughtInSale(saleId: string, buyerId: string): Promise<number> {
    return Number((await this.#bought.one({ id: saleId, buyerId }))?.n ?? 0);
  }

  /** Units this buyer holds reserved and not yet paid for. */
  async unpaidUnits(buyerId: string): Promise<number> {
    return Number((await this.#unpaid.one({ buyerId }))?.n ?? 0);
  }

  async sale(id: string): Promise<FlashSaleRow> {
    const row = await this.#saleById.one({ id });
    if (!row) throw new AppError('not_found', 'No such sale.');
    return row;
  }

  activeSales(showId: string, now: number): Promise<FlashSaleRow[]> {
    const { db, t } = this.#repo;
    return this.#repo.all(db.select().from(t.flashSales).where(and(eq(t.flashSales.showId, showId), lte(t.flashSales.startsAt, now), gt(t.flashSales.endsAt, now))));
  }
}

/** The unit price a sale gives on a regular price (never below one minor unit). */
export function salePrice(regular: number, sale: Pick<FlashSaleRow, 'discountKind' | 'discountValue'> | null): number {
  if (!sale) return regular;
  if (sale.discountKind === 'price') return Math.min(regular, sale.discountValue);
  return Math.max(1, Math.round((regular * (100 - sale.discountValue)) / 100));
}
