import { and, asc, desc, eq, inArray, lt, notExists, sql } from 'drizzle-orm';
import type { Repo } from '../db/repo.ts';
import type { OrderRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import { orderEventData, recordWebhookEvent } from '../webhooks/outbox.ts';
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
  readonly #repo: Repo;
  readonly #inventory: Inventory;
  readonly #now: () => number;
  readonly #terms: SellerTerms;
  /** Orders with a charge in flight on this node: expiry waits for them (across nodes, their pending attempt says so). */
  readonly #paying = new Set<string>();
  // Checked by every buy attempt before anything else.
  readonly #byKey;
  // Prepared once: at a drop's opening every order of the rush is written at once.
  readonly #insertOrder;
  readonly #itemsOf;
  readonly #byId;

  constructor(repo: Repo, inventory: Inventory, now: () => number = Date.now, terms = new SellerTerms(repo)) {
    super();
    this.#repo = repo;
    this.#inventory = inventory;
    this.#now = now;
    this.#terms = terms;
    const p = sql.placeholder;
    this.#byKey = repo.prepare((db, t) => db.select().from(t.orders).where(and(eq(t.orders.buyerId, p('buyerId')), eq(t.orders.idempotencyKey, p('key')))));
    this.#insertOrder = repo.prepare((db, t) =>
      db
        .insert(t.orders)
        .values({
          id: p('id'), buyerId: p('buyerId'), sellerId: p('sellerId'), showId: p('showId'), lotId: null, status: 'pending_payment', currency: p('currency'),
          title: p('title'), payBy: p('payBy'), idempotencyKey: p('idempotencyKey'), createdAt: p('now'), updatedAt: p('now'),
          subtotal: p('subtotal'), shipping: p('shipping'), taxRateBp: p('taxRateBp'), tax: p('tax'), total: p('total')
        })
        .returning()
    );
    this.#itemsOf = repo.prepare((db, t) => db.select().from(t.orderItems).where(eq(t.orderItems.orderId, p('orderId'))).orderBy(asc(t.orderItems.variantId)));
    this.#byId = repo.prepare((db, t) => db.select().from(t.orders).where(eq(t.orders.id, p('id'))));
  }

  /** An order for a fixed amount (an auction win); call inside the transaction that decided the sale. */
  async createPending(input: { buyerId: string; showId: string | null; lotId: string | null; title: string; currency: Currency; total: number }): Promise<OrderRow> {
    const now = this.#now();
    const sellerId = (await this.#lotSeller(input.lotId)) ?? (await this.#showHost(input.showId));
    const figures = await this.#figures(sellerId, input.currency, input.total, 1);
    const { db, t } = this.#repo;
    const row = (await this.#repo.one(
      db
        .insert(t.orders)
        .values({ id: newId(), status: 'pending_payment', payBy: now + PAYMENT_WINDOW_MS, createdAt: now, updatedAt: now, sellerId, ...input, ...figures })
        .returning()
    ))!;
    log.info({ order: row.id, buyer: input.buyerId, lot: input.lotId, total: input.total }, 'order created');
    this.emit('created', row);
    return row;
  }

  /** An order for one seller's items whose stock the caller has just taken; call inside that transaction. */
  async createForItems(input: { buyerId: string; sellerId: string; showId: string | null; currency: Currency; items: NewItem[]; idempotencyKey: string }): Promise<OrderRow> {
    const now = this.#now();
    const subtotal = input.items.reduce((s, i) => s + i.unitPrice * i.quantity, 0);
    const title = input.items.length === 1 ? input.items[0]!.title : `${input.items[0]!.title} + ${input.items.length - 1} more`;
    const units = input.items.reduce((n, i) => n + i.quantity, 0);
    const row = (await this.#insertOrder.one({
      id: newId(), buyerId: input.buyerId, sellerId: input.sellerId, showId: input.showId, currency: input.currency,
      title, payBy: now + RESERVATION_MS, idempotencyKey: input.idempotencyKey, now,
      ...(await this.#figures(input.sellerId, input.currency, subtotal, units))
    }))!;
    const { db, t } = this.#repo;
    await this.#repo.changes(
      db.insert(t.orderItems).values(input.items.map((i) => ({ orderId: row.id, variantId: i.variantId, productId: i.productId, saleId: i.saleId, title: i.title, unitPrice: i.unitPrice, quantity: i.quantity })))
    );
    this.emit('created', row);
    return row;
  }

  byIdempotencyKey(buyerId: string, key: string): Promise<OrderRow | undefined> {
    return this.#byKey.one({ buyerId, key });
  }

  async get(id: string): Promise<OrderRow> {
    const row = await this.#byId.one({ id });
    if (!row) throw new AppError('not_found', 'No such order.');
    return row;
  }

  items(orderId: string): Promise<NewItem[]> {
    return this.#itemsOf.all({ orderId });
  }

  async dto(row: OrderRow): Promise<OrderDto> {
    return toOrderDto(row, await this.items(row.id));
  }

  /** Many orders with their items, read in one query rather than one per order. */
  async dtos(rows: OrderRow[]): Promise<OrderDto[]> {
    if (!rows.length) return [];
    const { db, t } = this.#repo;
    const items = await this.#repo.all(db.select().from(t.orderItems).where(inArray(t.orderItems.orderId, rows.map((r) => r.id))).orderBy(asc(t.orderItems.variantId)));
    const byOrder = Map.groupBy(items, (i) => i.orderId);
    return rows.map((r) => toOrderDto(r, byOrder.get(r.id) ?? []));
  }

  async forBuyer(buyerId: string): Promise<OrderDto[]> {
    const { db, t } = this.#repo;
    return this.dtos(await this.#repo.all(db.select().from(t.orders).where(eq(t.orders.buyerId, buyerId)).orderBy(desc(t.orders.createdAt)).limit(200)));
  }

  /** What this seller sold in this show. */
  async forShow(showId: string, sellerId: string): Promise<OrderDto[]> {
    const { db, t } = this.#repo;
    return this.dtos(await this.#repo.all(db.select().from(t.orders).where(and(eq(t.orders.showId, showId), eq(t.orders.sellerId, sellerId))).orderBy(desc(t.orders.createdAt)).limit(1000)));
  }

  /** The buyer's unpaid order for a lot they won, where "Pay now" leads. */
  unpaidForLot(buyerId: string, lotId: string): Promise<OrderRow | undefined> {
    const { db, t } = this.#repo;
    return this.#repo.one(db.select().from(t.orders).where(and(eq(t.orders.lotId, lotId), eq(t.orders.buyerId, buyerId), eq(t.orders.status, 'pending_payment'))));
  }

  forLot(lotId: string): Promise<OrderRow[]> {
    const { db, t } = this.#repo;
    return this.#repo.all(db.select().from(t.orders).where(eq(t.orders.lotId, lotId)).orderBy(desc(t.orders.createdAt)));
  }

  /** The buyer declines to pay. */
  async cancel(buyerId: string, id: string): Promise<OrderDto> {
    const row = await this.get(id);
    if (row.buyerId !== buyerId) throw new AppError('forbidden', 'This is not your order.');
    if (this.#paying.has(id)) throw new AppError('conflict', 'A payment for this order is in progress.');
    return this.dto(await this.#lapse(row, 'cancelled'));
  }

  /** Deletes these buyers' orders that lapsed unpaid (cancelled or expired) before `before` and were never charged. */
  async deleteLapsed(buyerIds: readonly string[], before: number): Promise<number> {
    if (buyerIds.length === 0) return 0;
    const { db, t } = this.#repo;
    const charged = db.select().from(t.paymentAttempts).where(eq(t.paymentAttempts.orderId, t.orders.id));
    return this.#repo.changes(
      db.delete(t.orders).where(and(inArray(t.orders.buyerId, [...buyerIds]), inArray(t.orders.status, ['cancelled', 'expired']), lt(t.orders.updatedAt, before), notExists(charged)))
    );
  }

  /** Marks unpaid orders past their window as expired, releasing their stock; an order whose charge is unsettled waits. */
  async expireOverdue(): Promise<number> {
    const { db, t } = this.#repo;
    const unsettled = db.select().from(t.paymentAttempts).where(and(eq(t.paymentAttempts.orderId, t.orders.id), eq(t.paymentAttempts.status, 'pending')));
    const overdue = await this.#repo.all(db.select().from(t.orders).where(and(eq(t.orders.status, 'pending_payment'), lt(t.orders.payBy, this.#now()), notExists(unsettled))));
    let n = 0;
    for (const row of overdue) {
      if (this.#paying.has(row.id)) continue;
      try {
        await this.#lapse(row, 'expired');
        n++;
      } catch (err) {
        // Paid, cancelled or expired by someone else since the read (another node's sweep, a payment): nothing to do.
        if (!(err instanceof AppError && err.code === 'invalid_state')) throw err;
      }
    }
    return n;
  }

  /** Holds the order against expiry while `charge` runs; at most one charge per order at a time on this node. */
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

  /** Locks the orders' rows until the transaction ends, so two nodes cannot open charges for one order at once. */
  async lock(ids: string[]): Promise<void> {
    const { db, t } = this.#repo;
    await this.#repo.all(this.#repo.forUpdate(db.select({ id: t.orders.id }).from(t.orders).where(inArray(t.orders.id, ids)).orderBy(asc(t.orders.id))));
  }

  /**
   * Shipping for orders paid together: the seller's price per order once and the extra-item price for every
   * further unit, under today's terms, but never more than the orders' own shipping added up.
   */
  async combinedShipping(rows: OrderRow[], units: number): Promise<number> {
    const first = rows[0];
    if (!first) return 0;
    const separate = rows.reduce((s, r) => s + r.shipping, 0);
    return Math.min(separate, (await this.#terms.forOrder(first.sellerId, first.currency, units)).shipping);
  }

  /** Call inside the transaction that records the successful charge; emit with `announcePaid` after it commits. */
  async markPaid(id: string, paid: { paymentRef: string; discount: number; shipping: number; tax: number; total: number; couponId: string | null; shippingAddress: ShippingAddress }): Promise<OrderRow> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(
      db
        .update(t.orders)
        .set({ status: 'paid', ...paid, updatedAt: this.#now() })
        .where(and(eq(t.orders.id, id), eq(t.orders.status, 'pending_payment')))
        .returning()
    );
    if (!row) throw new AppError('invalid_state', 'This order can no longer be paid.');
    if (row.sellerId) {
      const at = row.updatedAt;
      const data = async () => ({ order: orderEventData(row, await this.items(id)), paidAt: at });
      await recordWebhookEvent(this.#repo, { hostId: row.sellerId, showId: row.showId, type: 'order.paid', at, data });
    }
    log.info({ order: id, total: paid.total }, 'order pending_payment -> paid');
    return row;
  }

  announcePaid(row: OrderRow): void {
    this.emit('paid', row);
  }

  /** The seller shipped a paid order; the buyer follows it with the carrier's tracking number. */
  async fulfil(id: string, tracking: { carrier: string; trackingNumber: string }): Promise<OrderDto> {
    const { db, t } = this.#repo;
    const row = await this.#repo.one(
      db
        .update(t.orders)
        .set({ status: 'fulfilled', trackingCarrier: tracking.carrier, trackingNumber: tracking.trackingNumber, updatedAt: this.#now() })
        .where(and(eq(t.orders.id, id), eq(t.orders.status, 'paid')))
        .returning()
    );
    if (!row) throw new AppError('invalid_state', 'Only a paid order can be marked as sent.');
    log.info({ order: id }, 'order paid -> fulfilled');
    return this.dto(row);
  }

  /** Money went back to the buyer (the caller refunded it); unshipped units go back on sale, shipped ones are gone. */
  async markRefunded(row: OrderRow, reason: string): Promise<OrderDto> {
    return this.dto(await this.#release(row, 'refunded', [row.status === 'fulfilled' ? 'fulfilled' : 'paid'], reason));
  }

  #lapse(row: OrderRow, status: Extract<OrderStatus, 'cancelled' | 'expired'>): Promise<OrderRow> {
    return this.#release(row, status, ['pending_payment']);
  }

  /** Moves an order to a final state and, unless it was shipped, hands its units back, in one transaction. */
  async #release(row: OrderRow, status: Extract<OrderStatus, 'cancelled' | 'expired' | 'refunded'>, from: OrderStatus[], refundReason: string | null = null): Promise<OrderRow> {
    if (!from.includes(row.status)) throw new AppError('invalid_state', `This order is ${row.status.replace('_', ' ')}.`);
    const items = row.status === 'fulfilled' ? [] : await this.items(row.id);
    const updated = await this.#repo.tx(async () => {
      await this.#inventory.lock({ variantIds: items.map((i) => i.variantId), saleIds: items.flatMap((i) => i.saleId ?? []) });
      const { db, t } = this.#repo;
      const u = await this.#repo.one(
        db
          .update(t.orders)
          .set({ status, refundReason, updatedAt: this.#now() })
          .where(and(eq(t.orders.id, row.id), inArray(t.orders.status, from)))
          .returning()
      );
      if (!u) throw new AppError('invalid_state', 'This order changed meanwhile.');
      for (const i of items) {
        await this.#inventory.give(i.variantId, i.quantity);
        if (i.saleId) await this.#inventory.giveSale(i.saleId, i.quantity);
      }
      if (status === 'refunded' && u.sellerId) {
        // A shipped order's units stay gone (`items` is empty then), but the event still lists them.
        const data = async () => ({ order: orderEventData(u, row.status === 'fulfilled' ? await this.items(row.id) : items), reason: refundReason, refundedAt: u.updatedAt });
        await recordWebhookEvent(this.#repo, { hostId: u.sellerId, showId: u.showId, type: 'order.refunded', at: u.updatedAt, data });
      }
      return u;
    });
    log.info({ order: row.id }, `order ${row.status} -> ${status}`);
    this.emit('lapsed', updated, items);
    return updated;
  }

  /** Subtotal, the seller's shipping and tax rate, and the total before any coupon. */
  async #figures(sellerId: string | null, currency: Currency, subtotal: number, units: number) {
    const terms = await this.#terms.forOrder(sellerId, currency, units);
    return { subtotal, ...terms, ...orderTotals({ subtotal, discount: 0, ...terms }) };
  }

  async #lotSeller(lotId: string | null): Promise<string | null> {
    if (!lotId) return null;
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.select({ id: t.lots.sellerId }).from(t.lots).where(eq(t.lots.id, lotId))))?.id ?? null;
  }

  async #showHost(showId: string | null): Promise<string | null> {
    if (!showId) return null;
    const { db, t } = this.#repo;
    return (await this.#repo.one(db.select({ id: t.shows.hostId }).from(t.shows).where(eq(t.shows.id, showId))))?.id ?? null;
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
