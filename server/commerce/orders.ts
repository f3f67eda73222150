import { and, desc, eq, lt } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { orders, type OrderRow } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { TypedEmitter } from '../events.ts';
import { newId } from '../ids.ts';
import { logger } from '../log.ts';
import type { Currency } from '../../shared/money.ts';
import type { OrderDto, OrderStatus } from '../../shared/orders.ts';

const log = logger('orders');
/** How long a buyer has to pay for what they won. */
export const PAYMENT_WINDOW_MS = 15 * 60_000;

export interface OrdersEvents extends Record<string, unknown[]> {
  /** An order left pending_payment without being paid (cancelled or expired). */
  lapsed: [order: OrderRow];
}

/** Orders and their state machine: pending_payment → paid → fulfilled, or → cancelled / expired. */
export class Orders extends TypedEmitter<OrdersEvents> {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number = Date.now) {
    super();
    this.#db = db;
    this.#now = now;
  }

  /** Creates an order awaiting payment; call inside the transaction that decided the sale. */
  createPending(input: { buyerId: string; showId: string | null; lotId: string | null; title: string; currency: Currency; total: number }): OrderRow {
    const now = this.#now();
    const row = this.#db
      .insert(orders)
      .values({ id: newId(), status: 'pending_payment', payBy: now + PAYMENT_WINDOW_MS, createdAt: now, updatedAt: now, ...input })
      .returning()
      .get();
    log.info({ order: row.id, buyer: input.buyerId, lot: input.lotId, total: input.total }, 'order created');
    return row;
  }

  get(id: string): OrderRow {
    const row = this.#db.select().from(orders).where(eq(orders.id, id)).get();
    if (!row) throw new AppError('not_found', 'No such order.');
    return row;
  }

  forBuyer(buyerId: string): OrderDto[] {
    return this.#db.select().from(orders).where(eq(orders.buyerId, buyerId)).orderBy(desc(orders.createdAt)).limit(200).all().map(toOrderDto);
  }

  forLot(lotId: string): OrderRow[] {
    return this.#db.select().from(orders).where(eq(orders.lotId, lotId)).orderBy(desc(orders.createdAt)).all();
  }

  /** The buyer declines to pay. */
  cancel(buyerId: string, id: string): OrderDto {
    const row = this.get(id);
    if (row.buyerId !== buyerId) throw new AppError('forbidden', 'This is not your order.');
    return toOrderDto(this.#lapse(row, 'cancelled'));
  }

  /** Marks unpaid orders past their payment window as expired. */
  expireOverdue(): number {
    const overdue = this.#db
      .select()
      .from(orders)
      .where(and(eq(orders.status, 'pending_payment'), lt(orders.payBy, this.#now())))
      .all();
    for (const row of overdue) this.#lapse(row, 'expired');
    return overdue.length;
  }

  #lapse(row: OrderRow, status: Extract<OrderStatus, 'cancelled' | 'expired'>): OrderRow {
    if (row.status !== 'pending_payment') throw new AppError('invalid_state', `This order is ${row.status.replace('_', ' ')}.`);
    const updated = this.#db.update(orders).set({ status, updatedAt: this.#now() }).where(eq(orders.id, row.id)).returning().get();
    log.info({ order: row.id }, `order pending_payment -> ${status}`);
    this.emit('lapsed', updated);
    return updated;
  }
}

export function toOrderDto(r: OrderRow): OrderDto {
  return { id: r.id, status: r.status, title: r.title, currency: r.currency, total: r.total, lotId: r.lotId, showId: r.showId, payBy: r.payBy, createdAt: r.createdAt };
}
