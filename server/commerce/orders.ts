import { and, desc, eq, inArray, lt, notExists, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { lots, orderItems, orders, paymentAttempts, shows, type OrderRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import type { Currency } from '#shared/money.ts';
import { orderTotals, type OrderDto, type OrderItemDto, type OrderStatus, type ShippingAddress } from '#shared/orders.ts';
import type { Inventory } from './inventory.ts';
import { SellerTerms } from './seller-terms.ts';

const log = logger('orders');
/** How long a buyer has to pay for what they won at auction. */
export const PAYMENT_WINDOW_MS = 15 * 60_000;
/** How long bought-but-unpaid stock stays reserved. */
export const RESERVATION_MS = 10 * 60_000;

export interface NewItem extends OrderItemDto {
  saleId: string | null;
}

export interface OrdersEvents extends Record<string, unknown[]> {
  /** An order was cancelled, expired or refunded; its stock is back. */
  lapsed: [order: OrderRow, items: NewItem[]];
  created: [order: OrderRow];
  paid: [order: OrderRow];
}

/**
 * Orders and their state machine: pending_payment → paid → fulfilled, or
 * pending_payment → cancelled / expired, which hands reserved stock back in the
 * same transaction. Every order stores its seller; only they (or an admin) act on it.
 */
export class Orders extends TypedEmitter<OrdersEvents> {
  readonly #db: Db;
  readonly #inventory: Inventory;
  readonly #now: () => number;
  readonly #terms: SellerTerms;
  /** Orders with a charge in flight: expiry waits for them. */
  readonly #paying = new Set<string>();
  // Checked by every buy attempt before anything else.
  readonly #byKey;
  // Prepared once: at a drop's opening every order of the rush is written in one turn of the event loop.
  readonly #insertOrder;
  readonly #insertItem;
  readonly #itemsOf;

  constructor(db: Db, inventory: Inventory, now: () => number = Date.now, terms = new SellerTerms(db)) {
    super();
    this.#db = db;
    this.#inventory = inventory;
    this.#now = now;
    this.#terms = terms;
    this.#byKey = db.select().from(orders).where(and(eq(orders.buyerId, sql.placeholder('buyerId')), eq(orders.idempotencyKey, sql.placeholder('key')))).prepare();
    const p = sql.placeholder;
    this.#insertOrder = db
      .insert(orders)
      .values({
        id: p('id'), buyerId: p('buyerId'), sellerId: p('sellerId'), showId: p('showId'), lotId: null, status: 'pending_payment', currency: p('currency'),
        title: p('title'), payBy: p('payBy'), idempotencyKey: p('idempotencyKey'), createdAt: p('now'), updatedAt: p('now'),
        subtotal: p('subtotal'), shipping: p('shipping'), taxRateBp: p('taxRateBp'), tax: p('tax'), total: p('total')
      })
      .returning()
      .prepare();
    this.#insertItem = db
      .insert(orderItems)
      .values({ orderId: p('orderId'), variantId: p('variantId'), productId: p('productId'), saleId: p('saleId'), title: p('title'), unitPrice: p('unitPrice'), quantity: p('quantity') })
      .prepare();
    this.#itemsOf = db.select().from(orderItems).where(eq(orderItems.orderId, p('orderId'))).prepare();
  }

  /** An order for a fixed amount (an auction win); call inside the transaction that decided the sale. */
  createPending(input: { buyerId: string; showId: string | null; lotId: string | null; title: string; currency: Currency; total: number }): OrderRow {
    const now = this.#now();
    const sellerId = this.#lotSeller(input.lotId) ?? this.#showHost(input.showId);
    const figures = this.#figures(sellerId, input.currency, input.total, 1);
    const row = this.#db
      .insert(orders)
      .values({ id: newId(), status: 'pending_payment', payBy: now + PAYMENT_WINDOW_MS, createdAt: now, updatedAt: now, sellerId, ...input, ...figures })
      .returning()
      .get();
    log.info({ order: row.id, buyer: input.buyerId, lot: input.lotId, total: input.total }, 'order created');
    this.emit('created', row);
    return row;
  }

  /** An order for one seller's items whose stock the caller has just taken; call inside that transaction. */
  createForItems(input: { buyerId: string; sellerId: string; showId: string | null; currency: Currency; items: NewItem[]; idempotencyKey: string }): OrderRow {
    const now = this.#now();
    const subtotal = input.items.reduce((s, i) => s + i.unitPrice * i.quantity, 0);
    const title = input.items.length === 1 ? input.items[0]!.title : `${input.items[0]!.title} + ${input.items.length - 1} more`;
    const units = input.items.reduce((n, i) => n + i.quantity, 0);
    const row = this.#insertOrder.get({
      id: newId(), buyerId: input.buyerId, sellerId: input.sellerId, showId: input.showId, currency: input.currency,
      title, payBy: now + RESERVATION_MS, idempotencyKey: input.idempotencyKey, now,
      ...this.#figures(input.sellerId, input.currency, subtotal, units)
    })!;
    for (const i of input.items) {
      this.#insertItem.run({ orderId: row.id, variantId: i.variantId, productId: i.productId, saleId: i.saleId, title: i.title, unitPrice: i.unitPrice, quantity: i.quantity });
    }
    this.emit('created', row);
    return row;
  }

  byIdempotencyKey(buyerId: string, key: string): OrderRow | undefined {
    return this.#byKey.get({ buyerId, key });
  }

  get(id: string): OrderRow {
    const row = this.#db.select().from(orders).where(eq(orders.id, id)).get();
    if (!row) throw new AppError('not_found', 'No such order.');
    return row;
  }

  items(orderId: string): NewItem[] {
    return this.#itemsOf.all({ orderId });
  }

  dto(row: OrderRow): OrderDto {
    return toOrderDto(row, this.items(row.id));
  }

  forBuyer(buyerId: string): OrderDto[] {
    return this.#db.select().from(orders).where(eq(orders.buyerId, buyerId)).orderBy(desc(orders.createdAt)).limit(200).all().map((r) => this.dto(r));
  }

  /** What this seller sold in this show. */
  forShow(showId: string, sellerId: string): OrderDto[] {
    return this.#db.select().from(orders).where(and(eq(orders.showId, showId), eq(orders.sellerId, sellerId))).orderBy(desc(orders.createdAt)).limit(1000).all().map((r) => this.dto(r));
  }

  /** The buyer's unpaid order for a lot they won, where "Pay now" leads. */
  unpaidForLot(buyerId: string, lotId: string): OrderRow | undefined {
    return this.#db.select().from(orders).where(and(eq(orders.lotId, lotId), eq(orders.buyerId, buyerId), eq(orders.status, 'pending_payment'))).get();
  }

  forLot(lotId: string): OrderRow[] {
    return this.#db.select().from(orders).where(eq(orders.lotId, lotId)).orderBy(desc(orders.createdAt)).all();
  }

  /** The buyer declines to pay. */
  cancel(buyerId: string, id: string): OrderDto {
    const row = this.get(id);
    if (row.buyerId !== buyerId) throw new AppError('forbidden', 'This is not your order.');
    if (this.#paying.has(id)) throw new AppError('conflict', 'A payment for this order is in progress.');
    return this.dto(this.#lapse(row, 'cancelled'));
  }

  /** Marks unpaid orders past their window as expired, releasing their stock; an order whose charge is unsettled waits. */
  expireOverdue(): number {
    const unsettled = this.#db.select().from(paymentAttempts).where(and(eq(paymentAttempts.orderId, orders.id), eq(paymentAttempts.status, 'pending')));
    const overdue = this.#db.select().from(orders).where(and(eq(orders.status, 'pending_payment'), lt(orders.payBy, this.#now()), notExists(unsettled))).all();
    let n = 0;
    for (const row of overdue) {
      if (this.#paying.has(row.id)) continue;
      this.#lapse(row, 'expired');
      n++;
    }
    return n;
  }

  /** Holds the order against expiry while `charge` runs; at most one charge per order at a time. */
  async whilePaying<T>(id: string | string[], charge: () => Promise<T>): Promise<T> {
    const ids = typeof id === 'string' ? [id] : id;
    if (ids.some((i) => this.#paying.has(i))) throw new AppError('conflict', 'A payment for this order is already in progress.');
    for (const i of ids) this.#paying.add(i);
    try {
      return await charge();
    } finally {
      for (const i of ids) this.#paying.delete(i);
    }
  }

  /**
   * Shipping for orders paid together: the seller's price per order once and the extra-item price for every
   * further unit, under today's terms, but never more than the orders' own shipping added up.
   */
  combinedShipping(rows: OrderRow[], units: number): number {
    const first = rows[0];
    if (!first) return 0;
    const separate = rows.reduce((s, r) => s + r.shipping, 0);
    return Math.min(separate, this.#terms.forOrder(first.sellerId, first.currency, units).shipping);
  }

  /** Call inside the transaction that records the successful charge; emit with `announcePaid` after it commits. */
  markPaid(id: string, paid: { paymentRef: string; discount: number; shipping: number; tax: number; total: number; couponId: string | null; shippingAddress: ShippingAddress }): OrderRow {
    const row = this.#db
      .update(orders)
      .set({ status: 'paid', ...paid, updatedAt: this.#now() })
      .where(and(eq(orders.id, id), eq(orders.status, 'pending_payment')))
      .returning()
      .get();
    if (!row) throw new AppError('invalid_state', 'This order can no longer be paid.');
    log.info({ order: id, total: paid.total }, 'order pending_payment -> paid');
    return row;
  }

  announcePaid(row: OrderRow): void {
    this.emit('paid', row);
  }

  /** The seller shipped a paid order; the buyer follows it with the carrier's tracking number. */
  fulfil(id: string, tracking: { carrier: string; trackingNumber: string }): OrderDto {
    const row = this.#db
      .update(orders)
      .set({ status: 'fulfilled', trackingCarrier: tracking.carrier, trackingNumber: tracking.trackingNumber, updatedAt: this.#now() })
      .where(and(eq(orders.id, id), eq(orders.status, 'paid')))
      .returning()
      .get();
    if (!row) throw new AppError('invalid_state', 'Only a paid order can be marked as sent.');
    log.info({ order: id }, 'order paid -> fulfilled');
    return this.dto(row);
  }

  /** Money went back to the buyer (the caller refunded it); unshipped units go back on sale, shipped ones are gone. */
  markRefunded(row: OrderRow, reason: string): OrderDto {
    return this.dto(this.#release(row, 'refunded', [row.status === 'fulfilled' ? 'fulfilled' : 'paid'], reason));
  }

  #lapse(row: OrderRow, status: Extract<OrderStatus, 'cancelled' | 'expired'>): OrderRow {
    return this.#release(row, status, ['pending_payment']);
  }

  /** Moves an order to a final state and, unless it was shipped, hands its units back, in one transaction. */
  #release(row: OrderRow, status: Extract<OrderStatus, 'cancelled' | 'expired' | 'refunded'>, from: OrderStatus[], refundReason: string | null = null): OrderRow {
    if (!from.includes(row.status)) throw new AppError('invalid_state', `This order is ${row.status.replace('_', ' ')}.`);
    const items = row.status === 'fulfilled' ? [] : this.items(row.id);
    const updated = this.#db.transaction(() => {
      const u = this.#db
        .update(orders)
        .set({ status, refundReason, updatedAt: this.#now() })
        .where(and(eq(orders.id, row.id), inArray(orders.status, from)))
        .returning()
        .get();
      if (!u) throw new AppError('invalid_state', 'This order changed meanwhile.');
      for (const i of items) {
        this.#inventory.give(i.variantId, i.quantity);
        if (i.saleId) this.#inventory.giveSale(i.saleId, i.quantity);
      }
      return u;
    });
    log.info({ order: row.id }, `order ${row.status} -> ${status}`);
    this.emit('lapsed', updated, items);
    return updated;
  }

  /** Subtotal, the seller's shipping and tax rate, and the total before any coupon. */
  #figures(sellerId: string | null, currency: Currency, subtotal: number, units: number) {
    const terms = this.#terms.forOrder(sellerId, currency, units);
    return { subtotal, ...terms, ...orderTotals({ subtotal, discount: 0, ...terms }) };
  }

  #lotSeller(lotId: string | null): string | null {
    return lotId ? (this.#db.select({ id: lots.sellerId }).from(lots).where(eq(lots.id, lotId)).get()?.id ?? null) : null;
  }

  #showHost(showId: string | null): string | null {
    return showId ? (this.#db.select({ id: shows.hostId }).from(shows).where(eq(shows.id, showId)).get()?.id ?? null) : null;
  }
}

export function toOrderDto(r: OrderRow, items: OrderItemDto[] = []): OrderDto {
  return {
    id: r.id, status: r.status, title: r.title, currency: r.currency, subtotal: r.subtotal, discount: r.discount,
    shipping: r.shipping, taxRateBp: r.taxRateBp, tax: r.tax, total: r.total,
    lotId: r.lotId, showId: r.showId, sellerId: r.sellerId, payBy: r.payBy, createdAt: r.createdAt,
    items: items.map((i) => ({ productId: i.productId, variantId: i.variantId, title: i.title, unitPrice: i.unitPrice, quantity: i.quantity })),
    tracking: r.trackingCarrier && r.trackingNumber ? { carrier: r.trackingCarrier, number: r.trackingNumber } : null,
    refundReason: r.refundReason
  };
}
