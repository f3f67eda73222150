import { and, eq, gt, inArray, lte, sql, sum } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { flashSales, orderItems, orders, variants, type FlashSaleRow } from '../db/schema.ts';
import { larger } from '../db/portable-sql.ts';
import { AppError } from '../errors.ts';

/** Order states that hold stock: reserved (awaiting payment) or sold. */
const HOLDING = ['pending_payment', 'paid', 'fulfilled'] as const;

/**
 * Stock moves, each a single conditional UPDATE so it can never go negative or
 * oversell a sale, whatever runs concurrently. Call inside a transaction.
 */
export class Inventory {
  readonly #db: Db;
  // The buy path runs these for every attempt of a rush: prepared once, not rebuilt per call.
  readonly #take;
  readonly #stockOf;
  readonly #takeSale;
  readonly #saleById;
  readonly #bought;
  readonly #unpaid;

  constructor(db: Db) {
    this.#db = db;
    const id = sql.placeholder('id');
    const quantity = sql.placeholder('quantity');
    this.#take = db.update(variants).set({ stock: sql`${variants.stock} - ${quantity}` }).where(and(eq(variants.id, id), sql`${variants.stock} >= ${quantity}`)).prepare();
    this.#stockOf = db.select({ stock: variants.stock }).from(variants).where(eq(variants.id, id)).prepare();
    this.#takeSale = db
      .update(flashSales)
      .set({ sold: sql`${flashSales.sold} + ${quantity}` })
      .where(and(eq(flashSales.id, id), sql`${flashSales.sold} + ${quantity} <= ${flashSales.quantity}`))
      .prepare();
    this.#saleById = db.select().from(flashSales).where(eq(flashSales.id, id)).prepare();
    this.#bought = db
      .select({ n: sum(orderItems.quantity) })
      .from(orderItems)
      .innerJoin(orders, eq(orders.id, orderItems.orderId))
      .where(and(eq(orderItems.saleId, id), eq(orders.buyerId, sql.placeholder('buyerId')), inArray(orders.status, [...HOLDING])))
      .prepare();
    this.#unpaid = db
      .select({ n: sum(orderItems.quantity) })
      .from(orderItems)
      .innerJoin(orders, eq(orders.id, orderItems.orderId))
      .where(and(eq(orders.buyerId, sql.placeholder('buyerId')), eq(orders.status, 'pending_payment')))
      .prepare();
  }

  take(variantId: string, quantity: number): void {
    if (this.#take.run({ id: variantId, quantity }).changes === 1) return;
    const left = this.#stockOf.get({ id: variantId })?.stock ?? 0;
    throw new AppError('conflict', left === 0 ? 'Sold out.' : `Only ${left} left.`, left === 0 ? { reason: 'sold_out' } : { reason: 'only_left', left });
  }

  give(variantId: string, quantity: number): void {
    this.#db.update(variants).set({ stock: sql`${variants.stock} + ${quantity}` }).where(eq(variants.id, variantId)).run();
  }

  /** Counts units against a running sale's quantity; refuses outside its window or beyond it. */
  takeSale(sale: FlashSaleRow, quantity: number, now: number): void {
    if (now < sale.startsAt) throw new AppError('invalid_state', 'This sale has not started yet.', { reason: 'sale_not_started' });
    if (now >= sale.endsAt) throw new AppError('invalid_state', 'This sale has ended.', { reason: 'sale_ended' });
    if (this.#takeSale.run({ id: sale.id, quantity }).changes !== 1) throw new AppError('conflict', 'Sold out.', { reason: 'sold_out' });
  }

  giveSale(saleId: string, quantity: number): void {
    this.#db.update(flashSales).set({ sold: larger(0, sql`${flashSales.sold} - ${quantity}`) }).where(eq(flashSales.id, saleId)).run();
  }

  /** Units of a sale this buyer holds or bought. */
  boughtInSale(saleId: string, buyerId: string): number {
    return Number(this.#bought.get({ id: saleId, buyerId })?.n ?? 0);
  }

  /** Units this buyer holds reserved and not yet paid for. */
  unpaidUnits(buyerId: string): number {
    return Number(this.#unpaid.get({ buyerId })?.n ?? 0);
  }

  sale(id: string): FlashSaleRow {
    const row = this.#saleById.get({ id });
    if (!row) throw new AppError('not_found', 'No such sale.');
    return row;
  }

  activeSales(showId: string, now: number): FlashSaleRow[] {
    return this.#db.select().from(flashSales).where(and(eq(flashSales.showId, showId), lte(flashSales.startsAt, now), gt(flashSales.endsAt, now))).all();
  }
}

/** The unit price a sale gives on a regular price (never below one minor unit). */
export function salePrice(regular: number, sale: Pick<FlashSaleRow, 'discountKind' | 'discountValue'> | null): number {
  if (!sale) return regular;
  if (sale.discountKind === 'price') return Math.min(regular, sale.discountValue);
  return Math.max(1, Math.round((regular * (100 - sale.discountValue)) / 100));
}
