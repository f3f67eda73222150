import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { paymentAttempts, type PaymentAttemptRow } from '../db/schema.ts';
import { newId } from '../ids.ts';
import type { Currency } from '#shared/money.ts';
import type { ShippingAddress } from '#shared/orders.ts';

/**
 * The durable record of each charge attempt. A row is committed as `pending` before the
 * provider is called and settled once its outcome is known, so a crash in between leaves a
 * row that says which charge to ask the provider about.
 */
export class PaymentAttempts {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Records a new attempt; call inside the transaction that reserves its coupon. */
  open(input: { orderId: string; amount: number; currency: Currency; discount: number; couponId: string | null; shippingAddress: ShippingAddress; chargeId?: string; shipping?: number }): PaymentAttemptRow {
    const now = this.#now();
    return this.#db.insert(paymentAttempts).values({ id: newId(), status: 'pending', createdAt: now, updatedAt: now, ...input }).returning().get();
  }

  /** Settles a pending attempt; false when it was already settled. */
  settle(id: string, outcome: { status: 'succeeded'; providerRef: string } | { status: 'failed' }): boolean {
    const r = this.#db
      .update(paymentAttempts)
      .set({ ...outcome, updatedAt: this.#now() })
      .where(and(eq(paymentAttempts.id, id), eq(paymentAttempts.status, 'pending')))
      .run();
    return r.changes === 1;
  }

  pendingFor(orderId: string): PaymentAttemptRow | undefined {
    return this.#db.select().from(paymentAttempts).where(and(eq(paymentAttempts.orderId, orderId), eq(paymentAttempts.status, 'pending'))).get();
  }

  /** The attempts one charge pays for: the attempt itself, or every order of a charge shared by several. */
  ofCharge(attempt: PaymentAttemptRow): PaymentAttemptRow[] {
    if (attempt.chargeId === null) return [attempt];
    return this.#db.select().from(paymentAttempts).where(eq(paymentAttempts.chargeId, attempt.chargeId)).orderBy(asc(paymentAttempts.orderId)).all();
  }

  pending(): PaymentAttemptRow[] {
    return this.#db.select().from(paymentAttempts).where(eq(paymentAttempts.status, 'pending')).orderBy(asc(paymentAttempts.createdAt)).all();
  }
}
